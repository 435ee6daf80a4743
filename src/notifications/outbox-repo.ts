import type { Knex } from "knex";

export interface OutboxMessage {
  id: number;
  to: string;
  subject: string;
  text: string;
  attempts: number;
}

export interface OutboxRow extends OutboxMessage {
  status: "pending" | "sending" | "sent" | "failed";
  nextAttemptAt: Date;
  sentAt: Date | null;
  lastError: string | null;
  createdAt: Date;
}

interface Row {
  id: number;
  to_address: string;
  subject: string;
  body_text: string;
  attempts: number;
  status: OutboxRow["status"];
  next_attempt_at: Date;
  sent_at: Date | null;
  last_error: string | null;
  created_at: Date;
}

const toMessage = (r: Row): OutboxMessage => ({ id: r.id, to: r.to_address, subject: r.subject, text: r.body_text, attempts: r.attempts });
const toRow = (r: Row): OutboxRow => ({ ...toMessage(r), status: r.status, nextAttemptAt: r.next_attempt_at, sentAt: r.sent_at, lastError: r.last_error, createdAt: r.created_at });

/** The mail outbox: claims, outcomes and the admin's view. */
export function outboxRepo(db: Knex) {
  return {
    /**
     * Claims up to `limit` due messages for `worker` in one statement. FOR UPDATE SKIP LOCKED lets
     * two senders on one PostgreSQL claim at once without waiting for or taking each other's rows;
     * a row already claimed no longer matches status = 'pending'.
     */
    async claim(worker: string, now: Date, limit: number): Promise<OutboxMessage[]> {
      const result = await db.raw(
        `UPDATE mail_outbox SET status = 'sending', claimed_at = ?, claimed_by = ?, attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ?
           ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
         RETURNING id, to_address, subject, body_text, attempts`,
        [now, worker, now, limit],
      );
      return (result.rows as Row[]).map(toMessage).sort((a, b) => a.id - b.id);
    },

    /** Only the worker holding the claim may settle it. */
    async markSent(id: number, worker: string, at: Date): Promise<void> {
      await db("mail_outbox").where({ id, status: "sending", claimed_by: worker }).update({ status: "sent", sent_at: at, last_error: null });
    },

    async markFailedAttempt(id: number, worker: string, error: string, retryAt: Date | null): Promise<void> {
      await db("mail_outbox")
        .where({ id, status: "sending", claimed_by: worker })
        .update(retryAt ? { status: "pending", next_attempt_at: retryAt, last_error: error, claimed_by: null } : { status: "failed", last_error: error, claimed_by: null });
    },

    /**
     * Claims older than `before` belong to a sender that stopped mid-delivery: SMTP may or may not
     * have taken the message. They are marked failed, never resent on their own, so no one gets a
     * message twice; the admin sees them and may send again.
     */
    async failAbandonedClaims(before: Date, reason: string): Promise<number> {
      return db("mail_outbox").where({ status: "sending" }).where("claimed_at", "<", before).update({ status: "failed", last_error: reason, claimed_by: null });
    },

    async retry(trx: Knex, id: number, at: Date): Promise<boolean> {
      const n = await trx("mail_outbox").where({ id, status: "failed" }).update({ status: "pending", next_attempt_at: at, attempts: 0, last_error: null });
      return n > 0;
    },

    async counts(): Promise<Record<OutboxRow["status"], number>> {
      const rows: { status: OutboxRow["status"]; n: number | string }[] = await db("mail_outbox").groupBy("status").select("status").count({ n: "*" });
      const out = { pending: 0, sending: 0, sent: 0, failed: 0 };
      for (const r of rows) out[r.status] = Number(r.n);
      return out;
    },

    /** Messages not yet delivered (failed first), newest first. */
    async undelivered(limit: number): Promise<OutboxRow[]> {
      const rows: Row[] = await db("mail_outbox")
        .whereIn("status", ["failed", "pending", "sending"])
        .orderByRaw("CASE status WHEN 'failed' THEN 0 ELSE 1 END, id DESC")
        .limit(limit)
        .select("*");
      return rows.map(toRow);
    },

    async all(): Promise<OutboxRow[]> {
      const rows: Row[] = await db("mail_outbox").orderBy("id").select("*");
      return rows.map(toRow);
    },
  };
}

export type OutboxRepo = ReturnType<typeof outboxRepo>;
