import type { Knex } from "knex";

// Frozen. The body an agency reports to, printed above its name at the top left of its own documents
// (Nghị định 30/2020: "tên cơ quan, tổ chức chủ quản"), e.g. "BỘ CÔNG AN" over "CÔNG AN TỈNH TUYÊN QUANG".
// Null: the agency's name stands alone.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("agencies", (t) => t.string("governing_body", 200));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("agencies", (t) => t.dropColumn("governing_body"));
}
