import type { Knex } from "knex";

const REPORT_STATUSES = ["draft", "submitted", "returned", "accepted"];

export async function up(knex: Knex): Promise<void> {
  // An agency's emulation pledge for a year (đăng ký thi đua).
  await knex.schema.createTable("registrations", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    t.integer("agency_id").notNullable().references("agencies.id");
    t.string("status", 10).notNullable().defaultTo("draft").checkIn(REPORT_STATUSES);
    t.jsonb("content").notNullable().defaultTo("{}"); // titles and targets registered
    t.string("signer_name", 120);
    t.string("signer_position", 200);
    t.timestamp("submitted_at", { useTz: true });
    t.date("submitted_on"); // local (Asia/Ho_Chi_Minh) date of the first submission, for lateness
    t.integer("late_days").notNullable().defaultTo(0);
    t.text("return_comment");
    t.timestamp("accepted_at", { useTz: true });
    t.integer("version").notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.unique(["year_id", "agency_id"]);
    t.check("late_days >= 0", [], "registrations_late_days");
  });

  // A period's report of one agency: sections per movement, narrative and figures.
  await knex.schema.createTable("reports", (t) => {
    t.increments("id");
    t.integer("period_id").notNullable().references("periods.id").onDelete("CASCADE");
    t.integer("agency_id").notNullable().references("agencies.id");
    t.string("status", 10).notNullable().defaultTo("draft").checkIn(REPORT_STATUSES);
    t.jsonb("content").notNullable().defaultTo("{}");
    t.timestamp("submitted_at", { useTz: true }); // latest submission
    t.date("submitted_on"); // local date of the FIRST submission: lateness counts from it
    t.integer("late_days").notNullable().defaultTo(0);
    t.text("return_comment");
    t.timestamp("returned_at", { useTz: true });
    t.timestamp("accepted_at", { useTz: true });
    t.integer("updated_by").references("users.id");
    t.integer("version").notNullable().defaultTo(1); // optimistic concurrency
    t.timestamps(true, true);
    t.unique(["period_id", "agency_id"]);
    t.check("late_days >= 0", [], "reports_late_days");
    t.check("status = 'draft' OR submitted_at IS NOT NULL", [], "reports_submitted_has_date");
  });

  // Every submitted version is kept.
  await knex.schema.createTable("report_versions", (t) => {
    t.increments("id");
    t.integer("report_id").notNullable().references("reports.id").onDelete("CASCADE");
    t.integer("number").notNullable().checkPositive();
    t.jsonb("content").notNullable();
    t.timestamp("submitted_at", { useTz: true }).notNullable();
    t.integer("submitted_by").references("users.id");
    t.unique(["report_id", "number"]);
  });

  await knex.schema.createTable("report_attachments", (t) => {
    t.increments("id");
    t.integer("report_id").notNullable().references("reports.id").onDelete("CASCADE");
    t.string("kind", 12).notNullable().checkIn(["signed_scan", "other"]);
    t.string("filename", 255).notNullable();
    t.string("mime_type", 100).notNullable();
    t.integer("size_bytes").notNullable();
    t.string("sha256", 64).notNullable();
    t.binary("content").notNullable();
    t.integer("uploaded_by").references("users.id");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("size_bytes > 0 AND size_bytes <= 10485760", [], "report_attachments_size");
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ["report_attachments", "report_versions", "reports", "registrations"]) {
    await knex.schema.dropTable(table);
  }
}
