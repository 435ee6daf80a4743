import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  // The year's criteria tree: groups (parent_id NULL) holding items.
  await knex.schema.createTable("criteria", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.integer("parent_id").references("criteria.id").onDelete("CASCADE");
    t.string("code", 20).notNullable();
    t.text("title").notNullable();
    t.string("kind", 10).notNullable().checkIn(["standard", "bonus", "deduction"]);
    // standard/bonus: the item's maximum; deduction: points per occurrence.
    t.decimal("max_points", 7, 2).notNullable();
    t.string("auto_source", 20).checkIn(["late_reports"]);
    t.integer("sort_order").notNullable().defaultTo(0);
    t.unique(["year_id", "code"]);
    t.check("max_points >= 0", [], "criteria_max_points");
    t.check("parent_id IS NULL OR parent_id <> id", [], "criteria_not_own_parent");
  });

  await knex.schema.createTable("score_sheets", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.integer("agency_id").notNullable().references("agencies.id");
    t.string("status", 10).notNullable().defaultTo("draft").checkIn(["draft", "submitted", "returned", "reviewed"]);
    t.timestamp("submitted_at", { useTz: true }); // first submission: tie-break (3) and lateness
    t.date("submitted_on");
    t.integer("late_days").notNullable().defaultTo(0);
    t.timestamp("reviewed_at", { useTz: true });
    t.integer("reviewed_by").references("users.id");
    t.text("return_comment");
    t.boolean("discipline_flag").notNullable().defaultTo(false);
    t.text("discipline_reason");
    t.integer("version").notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.unique(["year_id", "agency_id"]);
    t.check("late_days >= 0", [], "score_sheets_late_days");
    t.check("NOT discipline_flag OR discipline_reason IS NOT NULL", [], "score_sheets_flag_has_reason");
    t.check("status = 'draft' OR submitted_at IS NOT NULL", [], "score_sheets_submitted_has_date");
  });

  await knex.schema.createTable("score_entries", (t) => {
    t.increments("id");
    t.integer("sheet_id").notNullable().references("score_sheets.id").onDelete("CASCADE");
    t.integer("criterion_id").notNullable().references("criteria.id").onDelete("CASCADE");
    t.decimal("self_points", 7, 2); // standard / bonus items
    t.decimal("bloc_points", 7, 2);
    t.integer("self_count"); // deduction items: occurrences
    t.integer("bloc_count");
    t.text("evidence");
    t.text("bloc_reason"); // required where the bloc's value differs from the agency's
    t.unique(["sheet_id", "criterion_id"]);
    t.check("self_points IS NULL OR self_points >= 0", [], "score_entries_self_points");
    t.check("bloc_points IS NULL OR bloc_points >= 0", [], "score_entries_bloc_points");
    t.check("self_count IS NULL OR self_count >= 0", [], "score_entries_self_count");
    t.check("bloc_count IS NULL OR bloc_count >= 0", [], "score_entries_bloc_count");
  });

  // The review meeting where the bloc votes by secret ballot.
  await knex.schema.createTable("ballot_meetings", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().unique().references("emulation_years.id").onDelete("CASCADE");
    t.date("held_on").notNullable();
    t.string("place", 300).notNullable();
    t.string("chair", 200);
    t.string("secretary", 200);
    t.text("attendees");
    t.integer("valid_ballots").notNullable();
    t.integer("version").notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.check("valid_ballots >= 0", [], "ballot_meetings_valid_ballots");
  });

  await knex.schema.createTable("votes", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.integer("agency_id").notNullable().references("agencies.id"); // the candidate
    t.integer("votes_for").notNullable();
    t.integer("valid_ballots").notNullable();
    t.timestamps(true, true);
    t.unique(["year_id", "agency_id"]);
    t.check("votes_for >= 0 AND valid_ballots >= 0 AND votes_for <= valid_ballots", [], "votes_counts");
  });

  // Commendation proposals as published; revoked awards stay, marked with their reason.
  await knex.schema.createTable("proposals", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.integer("agency_id").notNullable().references("agencies.id");
    t.string("award", 10).notNullable().checkIn(["flag", "merit"]);
    t.integer("rank").notNullable();
    t.decimal("total", 7, 2).notNullable();
    t.integer("votes_for").notNullable();
    t.integer("valid_ballots").notNullable();
    t.text("reason");
    t.string("status", 10).notNullable().defaultTo("proposed").checkIn(["proposed", "awarded", "revoked"]);
    t.text("revoked_reason");
    t.timestamps(true, true);
    t.unique(["year_id", "agency_id", "award"]);
    t.check("status <> 'revoked' OR revoked_reason IS NOT NULL", [], "proposals_revoked_has_reason");
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ["proposals", "votes", "ballot_meetings", "score_entries", "score_sheets", "criteria"]) {
    await knex.schema.dropTable(table);
  }
}
