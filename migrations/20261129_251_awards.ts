import type { Knex } from "knex";

// Issue 18: the province's decision on each proposal (awarded with its decision, or not awarded),
// and awards decided outside the portal, past years too. A revoked award stays, marked with its
// reason: rows are never deleted.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("awards", (t) => {
    t.increments("id");
    t.integer("agency_id").notNullable().references("agencies.id");
    /** The emulation year the award is for (a number: past years need not exist in the portal). */
    t.integer("year").notNullable();
    t.integer("bloc_id").references("blocs.id");
    /**
     * The proposal decided; null for an award entered afterwards (back-filled). A year replaced by
     * an import loses its proposals, not the awards: agency, year and bloc stay on the row.
     */
    t.integer("proposal_id").unique().references("proposals.id").onDelete("SET NULL");
    t.boolean("backfilled").notNullable().defaultTo(false);
    t.string("outcome", 12).notNullable().checkIn(["awarded", "not_awarded"]);
    t.string("award", 10).checkIn(["flag", "merit", "other"]);
    /** The award's name when `other` (e.g. Huân chương Lao động hạng Ba). */
    t.string("award_title", 255);
    t.string("decision_number", 60);
    t.date("decided_on");
    t.string("authority", 255);
    t.text("note");
    t.timestamp("revoked_at", { useTz: true });
    t.integer("revoked_by").references("users.id");
    t.text("revoked_reason");
    t.integer("recorded_by").notNullable().references("users.id");
    t.timestamps(true, true);
    t.check("year BETWEEN 1945 AND 2100", [], "awards_year");
    t.check("outcome <> 'awarded' OR (award IS NOT NULL AND decision_number IS NOT NULL AND decided_on IS NOT NULL AND authority IS NOT NULL)", [], "awards_awarded_has_decision");
    t.check("award <> 'other' OR award_title IS NOT NULL", [], "awards_other_has_title");
    t.check("(revoked_at IS NULL) = (revoked_reason IS NULL)", [], "awards_revoked_has_reason");
    t.check("revoked_at IS NULL OR outcome = 'awarded'", [], "awards_revoked_was_awarded");
    t.check("NOT backfilled OR (outcome = 'awarded' AND proposal_id IS NULL)", [], "awards_backfill_awarded");
    t.index(["agency_id", "year"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("awards");
}
