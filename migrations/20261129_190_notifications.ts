import type { Knex } from "knex";

// Frozen: column specs are written literally here, never imported from app code.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.string("email", 254);
    // A user may keep the portal's notifications and turn the e-mails off.
    t.boolean("email_notifications").notNullable().defaultTo(true);
  });

  // What a user is told in the portal. event_key names the event (e.g. one report's return, one
  // reminder of one due date): unique per user, so an event is recorded once however often the
  // code that records it runs, in one process or in several.
  await knex.schema.createTable("notifications", (t) => {
    t.bigIncrements("id");
    t.integer("user_id").notNullable().references("users.id").onDelete("CASCADE");
    t.string("kind", 30).notNullable();
    t.string("event_key", 200).notNullable();
    t.string("title", 300).notNullable();
    t.text("body").notNullable();
    t.string("link", 500).notNullable();
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("read_at", { useTz: true });
    t.unique(["user_id", "event_key"]);
    t.index(["user_id", "created_at"]);
  });
  await knex.raw("CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL");

  // E-mails to send, written in the transaction of the change that caused them. A row is claimed
  // (status 'sending') before it is handed to SMTP, so no two senders ever hand over the same row.
  await knex.schema.createTable("mail_outbox", (t) => {
    t.bigIncrements("id");
    t.bigInteger("notification_id").notNullable().unique().references("notifications.id").onDelete("CASCADE");
    t.string("to_address", 254).notNullable();
    t.string("subject", 300).notNullable();
    t.text("body_text").notNullable();
    t.string("status", 10).notNullable().defaultTo("pending").checkIn(["pending", "sending", "sent", "failed"]);
    t.integer("attempts").notNullable().defaultTo(0);
    t.timestamp("next_attempt_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("claimed_at", { useTz: true });
    t.string("claimed_by", 64);
    t.timestamp("sent_at", { useTz: true });
    t.text("last_error");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("attempts >= 0", [], "mail_outbox_attempts");
    t.check("status <> 'sent' OR sent_at IS NOT NULL", [], "mail_outbox_sent_has_date");
  });
  await knex.raw("CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending'");
  await knex.raw("CREATE INDEX mail_outbox_sending ON mail_outbox (claimed_at) WHERE status = 'sending'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("mail_outbox");
  await knex.schema.dropTable("notifications");
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("email_notifications");
    t.dropColumn("email");
  });
}
