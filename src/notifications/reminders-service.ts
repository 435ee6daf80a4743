import type { Knex } from "knex";
import { effectiveDueOn } from "../scoring/index.js";
import { daysBetween, localDate } from "../lib/dates.js";
import type { Logger } from "../logger.js";
import { registrationTitle, reminderDraft, reportTitle, type DeliverableRef } from "./messages.js";
import type { DeliverableRow, NotificationsRepo } from "./notifications-repo.js";
import type { NotificationsService } from "./notifications-service.js";
import { OVERDUE_NOTICE_WINDOW_DAYS, reminderDaysOf, reminderKey, reminderStage } from "./reminders.js";

/** No year reminds earlier than this many days before a due date. */
const LONGEST_REMINDER_DAYS = 60;

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function describe(row: DeliverableRow, dueOn: string): DeliverableRef {
  const base = `/blocs/${encodeURIComponent(row.blocCode)}/years/${row.year}`;
  return row.kind === "report"
    ? { title: reportTitle(String(row.periodTitle)), key: `report:${row.periodId}:${row.agencyId}`, dueOn, extended: dueOn !== row.dueOn, link: `${base}/periods/${row.periodNumber}/reports/${encodeURIComponent(row.agencyCode)}` }
    : { title: registrationTitle(row.year), key: `registration:${row.yearId}:${row.agencyId}`, dueOn, extended: false, link: `${base}/registration/${encodeURIComponent(row.agencyCode)}` };
}

/**
 * Scheduled reminders: for every deliverable not yet sent in (no report, a draft, or returned),
 * the reminder that applies today is recorded for the agency's clerks. Each reminder has its own
 * event key, so running this every hour, after a restart or in two processes tells no one twice.
 */
export function remindersService(deps: { db: Knex; repo: NotificationsRepo; notifications: NotificationsService; now: () => Date; logger?: Logger }) {
  const { db, repo, notifications, now, logger } = deps;
  return {
    /** Records today's reminders; returns how many notifications were new. */
    async run(): Promise<number> {
      const today = localDate(now());
      const rows = await repo.deliverablesDueBetween(addDays(today, -OVERDUE_NOTICE_WINDOW_DAYS), addDays(today, LONGEST_REMINDER_DAYS));
      let created = 0;
      for (const row of rows) {
        if (row.status === "submitted" || row.status === "accepted") continue;
        const dueOn = effectiveDueOn(row.dueOn, row.extensionDueOn);
        const stage = reminderStage(dueOn, today, reminderDaysOf(row.rules));
        if (!stage || (stage.kind === "due" && daysBetween(today, dueOn) > LONGEST_REMINDER_DAYS)) continue;
        const ref = describe(row, dueOn);
        // One transaction per reminder: a failure leaves the others recorded.
        created += await db.transaction((trx) => notifications.notifyAgency(trx, row.agencyId, reminderDraft(ref, stage, reminderKey(ref.key, dueOn, stage))));
      }
      if (created) logger?.info({ created }, "reminders recorded");
      return created;
    },
  };
}

export type RemindersService = ReturnType<typeof remindersService>;
