import os from "node:os";
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import type { Logger } from "../logger.js";
import { nextAttemptAt } from "./backoff.js";
import { messages } from "./messages.js";
import type { OutboxRepo } from "./outbox-repo.js";

/** What the sender needs of a mail transport (nodemailer's transporter fits). */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string; messageId: string; headers: Record<string, string> }): Promise<unknown>;
  close?(): void;
}

/** An SMTP transport for SMTP_URL, with timeouts well inside the sender's claim lease. */
export function smtpTransport(smtpUrl: string): MailTransport {
  const url = new URL(smtpUrl);
  return nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
    secure: url.protocol === "smtps:",
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
}

/** A claim older than this belongs to a sender that stopped while handing the message to SMTP. */
export const CLAIM_LEASE_MS = 10 * 60_000;

export interface SendOutcome {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Delivers the outbox. Each message is claimed (one UPDATE … FOR UPDATE SKIP LOCKED) before it is
 * handed to SMTP and settled after, so two senders never take the same message and a restart
 * never sends a delivered one again. A failed attempt is retried with backoff, then marked failed
 * for the admin. The clock is injected for the tests.
 */
export function mailSender(deps: { outbox: OutboxRepo; transport: MailTransport; from: string; messageIdDomain: string; now: () => Date; logger?: Logger; batchSize?: number }) {
  const { outbox, transport, from, messageIdDomain, now, logger } = deps;
  const worker = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SendOutcome> | null = null;

  async function deliverDue(): Promise<SendOutcome> {
    const outcome: SendOutcome = { sent: 0, retrying: 0, failed: 0 };
    const abandoned = await outbox.failAbandonedClaims(new Date(now().getTime() - CLAIM_LEASE_MS), messages.outcomeUnknown);
    if (abandoned) logger?.warn({ abandoned }, "mail claims abandoned by a stopped sender marked failed");
    const batch = await outbox.claim(worker, now(), deps.batchSize ?? 20);
    for (const m of batch) {
      try {
        await transport.sendMail({
          from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          // The same id on every attempt lets receiving servers drop a duplicate.
          messageId: `<outbox-${m.id}@${messageIdDomain}>`,
          headers: { "X-Thidua-Outbox-Id": String(m.id) },
        });
        await outbox.markSent(m.id, worker, now());
        outcome.sent++;
      } catch (e) {
        const error = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
        const retryAt = nextAttemptAt(m.attempts, now());
        await outbox.markFailedAttempt(m.id, worker, error, retryAt);
        if (retryAt) outcome.retrying++;
        else outcome.failed++;
        logger?.warn({ outboxId: m.id, attempts: m.attempts, error, final: !retryAt }, "mail delivery failed");
      }
    }
    return outcome;
  }

  const sender = {
    worker,
    /** One pass over the due messages; a pass already running is joined, not doubled. */
    runOnce(): Promise<SendOutcome> {
      running ??= deliverDue().finally(() => {
        running = null;
      });
      return running;
    },
    start(intervalMs: number): void {
      const tick = () => {
        sender.runOnce().catch((err: unknown) => logger?.error({ err }, "mail sender pass failed"));
      };
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    /** Stops the loop and waits for a pass in flight, so nothing is left claimed. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      transport.close?.();
    },
  };
  return sender;
}

export type MailSender = ReturnType<typeof mailSender>;
