import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import type { AuditService } from "../audit/audit-service.js";
import { NotFoundError, RuleViolationError } from "../errors.js";
import { formatDateTime } from "../lib/dates.js";
import { composeEmail, KIND_LABELS, messages, objectionAnsweredDraft, objectionFiledDraft, type NotificationDraft } from "./messages.js";
import type { MailSettings, NotificationsRepo, Recipient } from "./notifications-repo.js";
import type { OutboxRepo } from "./outbox-repo.js";

export interface MailOptions {
  /** true when SMTP_URL is set: events then also go to the outbox. */
  enabled: boolean;
  /** Base of the links in e-mails (PUBLIC_URL). */
  publicUrl: string;
}

const PAGE_SIZE = 30;

/**
 * Notifications in the portal and, when mail is on, their e-mails. Features record events with
 * the `trx` of the change that caused them, so the notification and its outbox row commit or roll
 * back with that change.
 */
export function notificationsService(deps: { db: Knex; repo: NotificationsRepo; outbox: OutboxRepo; audit: AuditService; mail: MailOptions; now: () => Date }) {
  const { db, repo, outbox, audit, mail, now } = deps;

  async function deliver(trx: Knex, recipients: Recipient[], draft: NotificationDraft): Promise<number> {
    const at = now();
    const created = await repo.insertOnce(trx, recipients.map((r) => r.id), draft, at);
    if (mail.enabled) {
      const byId = new Map(recipients.map((r) => [r.id, r]));
      await repo.enqueueMail(
        trx,
        created.flatMap(({ id, userId }) => {
          const r = byId.get(userId);
          if (!r?.email || !r.emailNotifications) return [];
          const email = composeEmail(draft, r.fullName, mail.publicUrl);
          return [{ notificationId: id, to: r.email, subject: email.subject, text: email.text, at }];
        }),
      );
    }
    return created.length;
  }

  return {
    mailEnabled: mail.enabled,

    /** Tells the clerks of one agency; returns how many were told for the first time. */
    async notifyAgency(trx: Knex, agencyId: number, draft: NotificationDraft): Promise<number> {
      return deliver(trx, await repo.agencyRecipients(trx, agencyId), draft);
    },

    /** Tells everyone of a bloc's year but the user who caused the event. */
    async notifyYear(trx: Knex, target: { blocId: number; yearId: number; exceptUserId?: number }, draft: NotificationDraft): Promise<number> {
      const all = await repo.yearRecipients(trx, target.blocId, target.yearId);
      return deliver(trx, all.filter((r) => r.id !== target.exceptUserId), draft);
    },

    /**
     * Hook for objections (issue 18): the objections feature calls this in the transaction that
     * records the secretariat's answer. `link` is the objection's page.
     */
    /** A clerk filed an objection: the bloc's secretariat, who answer it, are told (in the filing's transaction). */
    async objectionFiled(trx: Knex, o: { objectionId: number; blocId: number; year: number; filedBy: string; about: string; link: string }): Promise<number> {
      const draft = objectionFiledDraft({ year: o.year, filedBy: o.filedBy, about: o.about, link: o.link, eventKey: `objection:${o.objectionId}:filed` });
      return deliver(trx, await repo.blocRoleRecipients(trx, o.blocId, "secretariat"), draft);
    },

    async objectionAnswered(trx: Knex, o: { objectionId: number; agencyId: number; year: number; link: string }): Promise<number> {
      return deliver(trx, await repo.agencyRecipients(trx, o.agencyId), objectionAnsweredDraft(o.year, o.link, `objection:${o.objectionId}:answered`));
    },

    async unreadCount(user: User): Promise<number> {
      return repo.unreadCount(user.id);
    },

    /** The list page's view model: newest first, labelled. */
    async page(user: User, pageNumber: number) {
      const { items, total } = await repo.list(user.id, PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE);
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      if (pageNumber > pages) throw new NotFoundError();
      return {
        items: items.map((n) => ({ ...n, kindLabel: KIND_LABELS[n.kind], at: formatDateTime(n.createdAt), unread: n.readAt === null })),
        total,
        page: pageNumber,
        pages,
        unread: await repo.unreadCount(user.id),
      };
    },

    /** Marks one of the user's own notifications read; 404 for anyone else's. Returns its link. */
    async markRead(user: User, id: number): Promise<string> {
      const row = await repo.markRead(user.id, id, now());
      if (!row) throw new NotFoundError();
      return row.link;
    },

    async markAllRead(user: User): Promise<void> {
      await repo.markAllRead(user.id, now());
    },

    async settings(user: User): Promise<MailSettings & { mailEnabled: boolean }> {
      const s = await repo.mailSettings(user.id);
      if (!s) throw new NotFoundError();
      return { ...s, mailEnabled: mail.enabled };
    },

    async updateSettings(user: User, s: MailSettings, ip?: string): Promise<void> {
      const before = await repo.mailSettings(user.id);
      await db.transaction(async (trx) => {
        await repo.updateMailSettings(trx, user.id, s);
        await audit.record({ userId: user.id, username: user.username, action: "user.mail_settings", entity: "user", entityId: user.id, before, after: s, ip }, trx);
      });
    },

    /** The admin's view of the outbox: counts and the messages not delivered, with their errors. */
    async outboxPage() {
      const [counts, rows] = await Promise.all([outbox.counts(), outbox.undelivered(100)]);
      const STATUS = { pending: "Đang chờ gửi", sending: "Đang gửi", sent: "Đã gửi", failed: "Lỗi" } as const;
      return {
        mailEnabled: mail.enabled,
        counts,
        rows: rows.map((r) => ({ ...r, statusLabel: STATUS[r.status], created: formatDateTime(r.createdAt), next: r.status === "pending" && r.attempts > 0 ? formatDateTime(r.nextAttemptAt) : "" })),
      };
    },

    async retry(user: User, id: number, ip?: string): Promise<void> {
      await db.transaction(async (trx) => {
        if (!(await outbox.retry(trx, id, now()))) throw new RuleViolationError(messages.notRetryable);
        await audit.record({ userId: user.id, username: user.username, action: "mail.retry", entity: "mail_outbox", entityId: id, ip }, trx);
      });
    },
  };
}

export type NotificationsService = ReturnType<typeof notificationsService>;
