import type { Knex } from "knex";

// Issue 18: the annual conference records next year's head (the column existed, unused) and
// deputy; the minutes show them and a year copied from this one takes them.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("emulation_years", (t) => {
    t.integer("next_deputy_agency_id").references("agencies.id");
    t.date("conference_held_on");
  });
  await knex.raw(
    "ALTER TABLE emulation_years ADD CONSTRAINT emulation_years_next_head_deputy CHECK (next_head_agency_id IS NULL OR next_deputy_agency_id IS NULL OR next_head_agency_id <> next_deputy_agency_id)",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE emulation_years DROP CONSTRAINT emulation_years_next_head_deputy");
  await knex.schema.alterTable("emulation_years", (t) => {
    t.dropColumn("conference_held_on");
    t.dropColumn("next_deputy_agency_id");
  });
}
