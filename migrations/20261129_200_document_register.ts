import type { Knex } from "knex";

// Frozen: column specs are written literally here, never imported from app code.
// The number (số) and date of each document the secretariat issues for a year (issue 17). A missing
// row or an empty column means "not set yet": the document then shows a blank number and the default
// date (the meeting's or the publication's), never today's.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("document_numbers", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.string("kind", 30).notNullable().checkIn(["ranking_summary", "minutes", "proposal_letter"]);
    t.string("number", 20);
    t.date("issued_on");
    t.integer("updated_by").references("users.id");
    t.timestamps(true, true);
    t.unique(["year_id", "kind"]);
    t.check("number IS NULL OR number ~ '^[0-9]{1,6}$'", [], "document_numbers_number_digits");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("document_numbers");
}
