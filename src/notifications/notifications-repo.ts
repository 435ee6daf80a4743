import type { Knex } from "knex";
import type { NotificationDraft, NotificationKind } from "./messages.js";

export interface Recipient {
  id: number;
  fullName: string;
  email: string | null;
  emailNotifications: boolean;
}

export interface Notification {
  id: number;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface MailSettings {
  email: string | null;
  emailNotifications: boolean;
}

interface RecipientRow {
  id: number;
  full_name: string;
  email: string | null;
  email_notifications: boolean;
}

const toRecipient = (r: RecipientRow): Recipient => ({ id: r.id, fullName: r.full_name, email: r.email, emailNotifications: r.email_notifications });
const RECIPIENT_COLUMNS = ["users.id", "users.full_name", "users.email", "users.email_notifications"];

/** The deliverables of open years, one row per agency, for the reminders. */
export interface DeliverableRow {
  kind: "report" | "registration";
  blocCode: string;
  year: number;
  yearId: number;
  rules: { reminderDays?: number[] };
  /** The period's id and number (reports only). */
  periodId: number | null;
  periodNumber: number | null;
  periodTitle: string | null;
  agencyId: number;
  agencyCode: string;
  dueOn: string;
  extensionDueOn: string | null;
  status: string | null;
}

export function notificationsRepo(db: Knex) {
  return {
    /** Active clerks of one agency. */
    async agencyRecipients(trx: Knex, agencyId: number): Promise<Recipient[]> {
      const rows: RecipientRow[] = await trx("users").where({ role: "clerk", agency_id: agencyId, active: true }).orderBy("id").select(RECIPIENT_COLUMNS);
      return rows.map(toRecipient);
    },

    /** Active accounts of one role given the bloc (e.g. its secretariat). */
    async blocRoleRecipients(trx: Knex, blocId: number, role: string): Promise<Recipient[]> {
      const rows: RecipientRow[] = await trx("users")
        .where({ "users.active": true, "users.role": role })
        .whereIn("users.id", trx("user_blocs").where({ bloc_id: blocId }).select("user_id"))
        .orderBy("users.id")
        .select(RECIPIENT_COLUMNS);
      return rows.map(toRecipient);
    },

    /** Everyone of a bloc's year: its secretariat, leader and observers, and the clerks of its agencies. */
    async yearRecipients(trx: Knex, blocId: number, yearId: number): Promise<Recipient[]> {
      const rows: RecipientRow[] = await trx("users")
        .where("users.active", true)
        .andWhere((w) =>
          w
            .whereIn("users.id", trx("user_blocs").where({ bloc_id: blocId }).select("user_id"))
            .orWhere((c) => c.where("users.role", "clerk").whereIn("users.agency_id", trx("year_agencies").where({ year_id: yearId }).select("agency_id"))),
        )
        .orderBy("users.id")
        .select(RECIPIENT_COLUMNS);
      return rows.map(toRecipient);
    },

    /**
     * Records the event for each user once; returns the users for whom it is new. A second
     * recording (a rerun, another process) meets the unique (user_id, event_key) and adds nothing.
     */
    async insertOnce(trx: Knex, userIds: number[], n: NotificationDraft, at: Date): Promise<{ id: number; userId: number }[]> {
      if (!userIds.length) return [];
      const rows: { id: number; user_id: number }[] = await trx("notifications")
        .insert(userIds.map((userId) => ({ user_id: userId, kind: n.kind, event_key: n.eventKey, title: n.title, body: n.body, link: n.link, created_at: at })))
        .onConflict(["user_id", "event_key"])
        .ignore()
        .returning(["id", "user_id"]);
      return rows.map((r) => ({ id: r.id, userId: r.user_id }));
    },

    async enqueueMail(trx: Knex, rows: { notificationId: number; to: string; subject: string; text: string; at: Date }[]): Promise<void> {
      if (!rows.length) return;
      await trx("mail_outbox").insert(
        rows.map((r) => ({ notification_id: r.notificationId, to_address: r.to, subject: r.subject, body_text: r.text, next_attempt_at: r.at, created_at: r.at })),
      );
    },

    async unreadCount(userId: number): Promise<number> {
      const row = await db("notifications").where({ user_id: userId }).whereNull("read_at").count<{ n: number | string }[]>({ n: "*" }).first();
      return Number(row?.n ?? 0);
    },

    async list(userId: number, limit: number, offset: number): Promise<{ items: Notification[]; total: number }> {
      const [rows, total] = await Promise.all([
        db("notifications").where({ user_id: userId }).orderBy([{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }]).limit(limit).offset(offset)
          .select("id", "kind", "title", "body", "link", "created_at", "read_at"),
        db("notifications").where({ user_id: userId }).count<{ n: number | string }[]>({ n: "*" }).first(),
      ]);
      return {
        items: rows.map((r: { id: number; kind: NotificationKind; title: string; body: string; link: string; created_at: Date; read_at: Date | null }) => ({
          id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, createdAt: r.created_at, readAt: r.read_at,
        })),
        total: Number(total?.n ?? 0),
      };
    },

    /** Only the owner's notification is touched: another user's id changes nothing. */
    async markRead(userId: number, id: number, at: Date): Promise<{ link: string } | undefined> {
      const [row] = await db("notifications").where({ id, user_id: userId }).update({ read_at: db.raw("coalesce(read_at, ?)", [at]) }).returning(["link"]);
      return row;
    },

    async markAllRead(userId: number, at: Date): Promise<void> {
      await db("notifications").where({ user_id: userId }).whereNull("read_at").update({ read_at: at });
    },

    async mailSettings(userId: number): Promise<MailSettings | undefined> {
      const row = await db("users").where({ id: userId }).first("email", "email_notifications");
      return row && { email: row.email, emailNotifications: row.email_notifications };
    },

    async updateMailSettings(trx: Knex, userId: number, s: MailSettings): Promise<void> {
      await trx("users").where({ id: userId }).update({ email: s.email, email_notifications: s.emailNotifications, updated_at: trx.fn.now() });
    },

    /**
     * Reports and registrations of years whose ranking is not yet published, per agency of the
     * year, with the extension and the current status; only those whose due date falls in the
     * window the reminders look at.
     */
    async deliverablesDueBetween(from: string, to: string): Promise<DeliverableRow[]> {
      const reports = await db("periods as p")
        .join("emulation_years as y", "y.id", "p.year_id")
        .join("blocs as b", "b.id", "y.bloc_id")
        .join("year_agencies as ya", "ya.year_id", "y.id")
        .join("agencies as a", "a.id", "ya.agency_id")
        .leftJoin("period_extensions as pe", (j) => j.on("pe.period_id", "p.id").andOn("pe.agency_id", "ya.agency_id"))
        .leftJoin("reports as r", (j) => j.on("r.period_id", "p.id").andOn("r.agency_id", "ya.agency_id"))
        .whereNull("y.ranking_published_at")
        .where("p.locked", false)
        .whereRaw("greatest(p.due_on, pe.due_on) BETWEEN ? AND ?", [from, to])
        .orderBy(["p.id", "ya.sort_order"])
        .select(
          "b.code as bloc_code", "y.year", "y.id as year_id", "y.rules", "p.id as period_id", "p.number as period_number", "p.title as period_title",
          "ya.agency_id", "a.code as agency_code", "p.due_on", "pe.due_on as extension_due_on", "r.status",
        );
      const registrations = await db("emulation_years as y")
        .join("blocs as b", "b.id", "y.bloc_id")
        .join("year_agencies as ya", "ya.year_id", "y.id")
        .join("agencies as a", "a.id", "ya.agency_id")
        .leftJoin("registrations as g", (j) => j.on("g.year_id", "y.id").andOn("g.agency_id", "ya.agency_id"))
        .whereNull("y.ranking_published_at")
        .whereBetween("y.registration_due_on", [from, to])
        .orderBy(["y.id", "ya.sort_order"])
        .select("b.code as bloc_code", "y.year", "y.id as year_id", "y.rules", "ya.agency_id", "a.code as agency_code", "y.registration_due_on as due_on", "g.status");
      type Row = Record<string, unknown>;
      const rules = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as DeliverableRow["rules"];
      return [
        ...reports.map((r: Row) => ({
          kind: "report" as const, blocCode: String(r.bloc_code), year: Number(r.year), yearId: Number(r.year_id), rules: rules(r.rules),
          periodId: Number(r.period_id), periodNumber: Number(r.period_number), periodTitle: String(r.period_title),
          agencyId: Number(r.agency_id), agencyCode: String(r.agency_code), dueOn: String(r.due_on),
          extensionDueOn: (r.extension_due_on as string | null) ?? null, status: (r.status as string | null) ?? null,
        })),
        ...registrations.map((r: Row) => ({
          kind: "registration" as const, blocCode: String(r.bloc_code), year: Number(r.year), yearId: Number(r.year_id), rules: rules(r.rules),
          periodId: null, periodNumber: null, periodTitle: null,
          agencyId: Number(r.agency_id), agencyCode: String(r.agency_code), dueOn: String(r.due_on),
          extensionDueOn: null, status: (r.status as string | null) ?? null,
        })),
      ];
    },
  };
}

export type NotificationsRepo = ReturnType<typeof notificationsRepo>;
