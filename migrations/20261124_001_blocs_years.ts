import type { Knex } from "knex";

// Frozen: column specs are written literally here, never imported from app code.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("blocs", (t) => {
    t.increments("id");
    t.string("code", 40).notNullable().unique();
    t.string("name", 200).notNullable();
    t.string("kind", 10).notNullable().defaultTo("bloc").checkIn(["bloc", "cluster"]);
    // Issuing body printed at the top left of documents, e.g. "UBND TỈNH TUYÊN QUANG".
    t.string("issuing_body", 200).notNullable();
    t.string("short_name", 60).notNullable(); // e.g. "KTĐNC" in document symbols
    t.string("place_name", 100).notNullable(); // "Tuyên Quang" in "Tuyên Quang, ngày …"
    t.timestamps(true, true);
  });

  await knex.schema.createTable("agencies", (t) => {
    t.increments("id");
    t.string("code", 40).notNullable().unique();
    t.string("name", 200).notNullable(); // current name; a year keeps its own in year_agencies
    t.string("short_name", 80).notNullable();
    t.string("head_name", 120);
    t.string("head_position", 120);
    t.timestamps(true, true);
  });

  // Membership of a bloc over the years: join in joined_year, leave after left_year.
  await knex.schema.createTable("bloc_memberships", (t) => {
    t.increments("id");
    t.integer("bloc_id").notNullable().references("blocs.id").onDelete("CASCADE");
    t.integer("agency_id").notNullable().references("agencies.id").onDelete("CASCADE");
    t.integer("joined_year").notNullable().checkBetween([2000, 2100]);
    t.integer("left_year").checkBetween([2000, 2100]);
    t.unique(["bloc_id", "agency_id", "joined_year"]);
    t.check("left_year IS NULL OR left_year >= joined_year", [], "bloc_memberships_years_order");
  });

  await knex.schema.createTable("emulation_years", (t) => {
    t.increments("id");
    t.integer("bloc_id").notNullable().references("blocs.id").onDelete("CASCADE");
    t.integer("year").notNullable().checkBetween([2000, 2100]);
    t.text("theme");
    t.string("plan_number", 60);
    t.date("plan_date");
    t.string("plan_signer_name", 120);
    t.string("plan_signer_position", 200);
    t.integer("head_agency_id").references("agencies.id");
    t.integer("deputy_agency_id").references("agencies.id");
    t.integer("next_head_agency_id").references("agencies.id");
    t.date("registration_due_on");
    // The year's rule set (thresholds, caps, quotas, vote shares), validated by the scoring schema.
    t.jsonb("rules").notNullable();
    t.timestamp("ranking_published_at", { useTz: true });
    t.integer("version").notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.unique(["bloc_id", "year"]);
    t.check(
      "head_agency_id IS NULL OR deputy_agency_id IS NULL OR head_agency_id <> deputy_agency_id",
      [],
      "emulation_years_head_not_deputy",
    );
  });

  // The agencies of a year with the names they had then: history is never overwritten.
  await knex.schema.createTable("year_agencies", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.integer("agency_id").notNullable().references("agencies.id");
    t.string("name", 200).notNullable();
    t.string("short_name", 80).notNullable();
    t.integer("sort_order").notNullable().defaultTo(0);
    t.unique(["year_id", "agency_id"]);
  });

  await knex.schema.createTable("campaigns", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.string("kind", 20)
      .notNullable()
      .checkIn(["annual", "covid19", "new_rural", "poverty", "enterprise", "office_culture", "other"]);
    t.string("code", 20).notNullable();
    t.string("title", 500).notNullable();
    t.text("description");
    t.date("starts_on");
    t.date("ends_on");
    t.integer("sort_order").notNullable().defaultTo(0);
    t.unique(["year_id", "code"]);
    t.check("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", [], "campaigns_dates_order");
  });

  await knex.schema.createTable("periods", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.string("kind", 12).notNullable().checkIn(["six_month", "annual"]);
    t.smallint("number").notNullable().checkBetween([1, 9]);
    t.string("title", 300).notNullable();
    t.date("starts_on").notNullable();
    t.date("ends_on").notNullable();
    t.date("data_from").notNullable();
    t.date("data_to").notNullable();
    t.date("due_on").notNullable();
    t.string("conference_month", 7); // 'YYYY-MM'
    t.boolean("locked").notNullable().defaultTo(false);
    t.timestamp("locked_at", { useTz: true });
    t.integer("version").notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.unique(["year_id", "kind"]);
    t.unique(["year_id", "number"]);
    t.check("ends_on > starts_on", [], "periods_dates_order");
    t.check("data_to > data_from", [], "periods_data_window_order");
    t.check("conference_month IS NULL OR conference_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'", [], "periods_conference_month");
  });

  await knex.schema.createTable("period_extensions", (t) => {
    t.increments("id");
    t.integer("period_id").notNullable().references("periods.id").onDelete("CASCADE");
    t.integer("agency_id").notNullable().references("agencies.id");
    t.date("due_on").notNullable();
    t.text("reason").notNullable().checkLength(">", 0);
    t.timestamps(true, true);
    t.unique(["period_id", "agency_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    "period_extensions",
    "periods",
    "campaigns",
    "year_agencies",
    "emulation_years",
    "bloc_memberships",
    "agencies",
    "blocs",
  ]) {
    await knex.schema.dropTable(table);
  }
}
