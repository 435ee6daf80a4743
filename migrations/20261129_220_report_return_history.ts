import type { Knex } from "knex";

// Issue 22: a report returned twice kept only the last comment (reports.return_comment). Each
// submitted version now keeps the comment it was returned with, so the history shows them all.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("report_versions", (t) => {
    t.text("return_comment");
    t.timestamp("returned_at", { useTz: true });
    t.integer("returned_by").references("users.id");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("report_versions", (t) => {
    t.dropColumn("returned_by");
    t.dropColumn("returned_at");
    t.dropColumn("return_comment");
  });
}
