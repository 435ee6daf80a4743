import type { Knex } from "knex";

// Issue 18: after publication a member agency may object (kiến nghị) to an agency's points or
// proposal; the secretariat answers each. Objections and answers are kept, never deleted.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("objections", (t) => {
    t.increments("id");
    t.integer("year_id").notNullable().references("emulation_years.id").onDelete("CASCADE");
    /** The agency whose clerk filed it. */
    t.integer("agency_id").notNullable().references("agencies.id");
    /** The agency whose points or proposal it is about (the filer's own or another member). */
    t.integer("subject_agency_id").notNullable().references("agencies.id");
    t.string("topic", 10).notNullable().checkIn(["points", "proposal"]);
    t.text("reasons").notNullable();
    t.string("status", 10).notNullable().defaultTo("pending").checkIn(["pending", "accepted", "rejected"]);
    t.text("answer");
    t.timestamp("answered_at", { useTz: true });
    t.integer("answered_by").references("users.id");
    /** When the leader reopened the ranking because of this (accepted) objection. */
    t.timestamp("reopened_at", { useTz: true });
    t.integer("filed_by").notNullable().references("users.id");
    t.timestamp("filed_at", { useTz: true }).notNullable();
    t.timestamps(true, true);
    t.check("status = 'pending' OR (answer IS NOT NULL AND answered_at IS NOT NULL)", [], "objections_answered");
    t.check("reopened_at IS NULL OR status = 'accepted'", [], "objections_reopened_accepted");
    t.index(["year_id", "status"]);
  });

  await knex.schema.createTable("objection_attachments", (t) => {
    t.increments("id");
    t.integer("objection_id").notNullable().references("objections.id").onDelete("CASCADE");
    t.string("filename", 255).notNullable();
    t.string("mime_type", 100).notNullable();
    t.integer("size_bytes").notNullable();
    t.string("sha256", 64).notNullable();
    t.binary("content").notNullable();
    t.integer("uploaded_by").references("users.id");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("size_bytes > 0 AND size_bytes <= 10485760", [], "objection_attachments_size");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("objection_attachments");
  await knex.schema.dropTable("objections");
}
