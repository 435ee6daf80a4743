import type { Knex } from "knex";

// Issue 20: the province's view reads every bloc's published result at once, and the year-over-year
// pages read an agency's across years. The published snapshot (a JSON document of the whole year) is the
// source of truth; this table holds one row per agency of it (rank, totals, classification, award,
// votes), written in the same transaction and dropped with it (foreign key on the snapshot), so a
// page of 40 blocs reads a few hundred small rows instead of 40 whole snapshots.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("ranking_results", (t) => {
    t.integer("year_id").notNullable();
    t.text("kind").notNullable().defaultTo("published");
    t.integer("agency_id").notNullable().references("agencies.id").onDelete("CASCADE");
    t.text("code").notNullable();
    t.text("name").notNullable();
    // null: not ranked (no sheet, or not reviewed).
    t.integer("rank");
    // null: no score sheet at all; unranked with a sheet: its provisional total.
    t.decimal("total", 8, 2);
    t.decimal("self_total", 8, 2);
    // The sheet's state when published: the self-scoring gap counts reviewed sheets only.
    t.text("sheet_status").notNullable();
    t.text("classification");
    t.text("award");
    t.integer("votes_for");
    t.integer("valid_ballots");
    t.primary(["year_id", "kind", "agency_id"]);
    t.foreign(["year_id", "kind"]).references(["year_id", "kind"]).inTable("ranking_snapshots").onDelete("CASCADE");
    t.check("kind = 'published'", [], "ranking_results_kind");
    t.check("sheet_status IN ('none', 'draft', 'submitted', 'returned', 'reviewed')", [], "ranking_results_sheet_status");
    t.check("award IS NULL OR award IN ('flag', 'merit')", [], "ranking_results_award");
    t.check("classification IS NULL OR classification IN ('excellent', 'good', 'pass', 'fail')", [], "ranking_results_classification");
    t.index(["agency_id"], "ranking_results_agency");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("ranking_results");
}
