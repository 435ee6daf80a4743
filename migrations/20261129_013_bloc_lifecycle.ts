import type { Knex } from "knex";

// Frozen: column specs are written literally here, never imported from app code.
// Issue 13: a bloc's level, closed years, periods of any kind and number, forced password change.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("blocs", (t) => {
    // tỉnh / huyện / cụm xã
    t.string("level", 20).notNullable().defaultTo("province").checkIn(["province", "district", "commune_cluster"], "blocs_level_check");
  });

  await knex.schema.alterTable("emulation_years", (t) => {
    // A closed year is read-only everywhere; only the admin reopens it, with a reason (audited).
    t.timestamp("closed_at", { useTz: true });
    t.integer("closed_by").references("users.id");
  });

  // Any number of periods per year, of four kinds; several may share a kind (e.g. quarters).
  await knex.raw("ALTER TABLE periods DROP CONSTRAINT periods_year_id_kind_unique");
  await knex.raw("ALTER TABLE periods DROP CONSTRAINT periods_kind_check");
  await knex.raw("ALTER TABLE periods DROP CONSTRAINT periods_number_check");
  await knex.raw("ALTER TABLE periods ADD CONSTRAINT periods_kind_check CHECK (kind IN ('six_month', 'annual', 'quarter', 'other'))");
  await knex.raw("ALTER TABLE periods ADD CONSTRAINT periods_number_check CHECK (number BETWEEN 1 AND 99)");

  await knex.schema.alterTable("users", (t) => {
    // Set when someone else chose the password: the user must change it before anything else.
    t.boolean("must_change_password").notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => t.dropColumn("must_change_password"));
  await knex.raw("ALTER TABLE periods DROP CONSTRAINT periods_number_check");
  await knex.raw("ALTER TABLE periods DROP CONSTRAINT periods_kind_check");
  await knex.raw("ALTER TABLE periods ADD CONSTRAINT periods_number_check CHECK (number BETWEEN 1 AND 9)");
  await knex.raw("ALTER TABLE periods ADD CONSTRAINT periods_kind_check CHECK (kind IN ('six_month', 'annual'))");
  await knex.raw("ALTER TABLE periods ADD CONSTRAINT periods_year_id_kind_unique UNIQUE (year_id, kind)");
  await knex.schema.alterTable("emulation_years", (t) => {
    t.dropColumn("closed_by");
    t.dropColumn("closed_at");
  });
  await knex.schema.alterTable("blocs", (t) => t.dropColumn("level"));
}
