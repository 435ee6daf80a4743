import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Services } from "../services.js";
import { mailSender, smtpTransport, type MailSender } from "./mail-sender.js";

const REMINDER_INTERVAL_MS = 60 * 60_000;
const MAIL_INTERVAL_MS = 15_000;

/**
 * The portal process's background work: today's reminders at start and every hour, and, when
 * SMTP_URL is set, the mail sender. Every process of an installation may run both: reminders are
 * recorded once per event and each message is claimed by one sender.
 */
export function startNotificationJobs(services: Services, cfg: Pick<Config, "mail" | "publicUrl">, logger: Logger): { stop(): Promise<void> } {
  let reminding: Promise<unknown> = Promise.resolve();
  const remind = () => {
    reminding = services.reminders.run().catch((err: unknown) => logger.error({ err }, "reminders failed"));
  };
  remind();
  const reminderTimer = setInterval(remind, REMINDER_INTERVAL_MS);
  reminderTimer.unref();

  let sender: MailSender | undefined;
  if (cfg.mail) {
    sender = mailSender({
      outbox: services.outbox,
      transport: smtpTransport(cfg.mail.smtpUrl),
      from: cfg.mail.from,
      messageIdDomain: new URL(cfg.publicUrl).hostname,
      now: services.now,
      logger,
    });
    sender.start(MAIL_INTERVAL_MS);
    logger.info("e-mail notifications on (SMTP_URL)");
  }

  return {
    async stop() {
      clearInterval(reminderTimer);
      await reminding;
      await sender?.stop();
    },
  };
}
