import type { Knex } from "knex";

// Issue 14: the ranking as it stood at the meeting and as published is stored whole (a JSON result,
// so later edits of rules, criteria or names cannot change it), and the meeting's choices between
// agencies tied for the last place of an award are recorded with their reason.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("ranking_snapshots", (t) => {
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.text("kind").notNullable();
    t.jsonb("payload").notNullable();
    t.timestamp("taken_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["year_id", "kind"]);
    t.check("kind IN ('meeting', 'published')", [], "ranking_snapshots_kind");
  });
  await knex.schema.createTable("tie_decisions", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.text("award").notNullable();
    t.jsonb("tied_agency_ids").notNullable();
    t.jsonb("chosen_agency_ids").notNullable();
    t.text("reason").notNullable();
    t.integer("decided_by").references("users.id");
    t.timestamp("decided_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(["year_id", "award"]);
    t.check("award IN ('flag', 'merit')", [], "tie_decisions_award");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("tie_decisions");
  await knex.schema.dropTable("ranking_snapshots");
}
