// When to remind an agency of a deliverable (a period's report, the year's registration): pure
// date arithmetic on 'YYYY-MM-DD' strings, the clock passed in. No SQL, no HTTP.
import { daysBetween } from "../lib/dates.js";

/** Days before the due date at which agencies are reminded, when the year's rules name none. */
export const DEFAULT_REMINDER_DAYS: readonly number[] = [7, 1];

/**
 * An overdue deliverable is announced once, and only while it is this recent: a portal started
 * long after a due date must not greet every agency with stale alarms.
 */
export const OVERDUE_NOTICE_WINDOW_DAYS = 30;

export type ReminderStage = { kind: "due"; daysBefore: number; daysLeft: number } | { kind: "overdue"; daysLate: number };

/** The reminder days of a year's rules, distinct and largest first; the default when none are set. */
export function reminderDaysOf(rules: { reminderDays?: readonly number[] | undefined }): number[] {
  const days = rules.reminderDays?.length ? rules.reminderDays : DEFAULT_REMINDER_DAYS;
  return [...new Set(days)].sort((a, b) => b - a);
}

/**
 * The reminder that applies today, or null. Before the due date: the smallest reminder day not
 * before today, so a portal that was down on day 7 still reminds on day 5, and day 1 follows as
 * its own reminder. After it: one overdue notice while it is recent.
 */
export function reminderStage(dueOn: string, today: string, reminderDays: readonly number[]): ReminderStage | null {
  const daysLeft = daysBetween(today, dueOn);
  if (daysLeft < 0) {
    const daysLate = -daysLeft;
    return daysLate <= OVERDUE_NOTICE_WINDOW_DAYS ? { kind: "overdue", daysLate } : null;
  }
  const reached = reminderDays.filter((n) => daysLeft <= n);
  if (!reached.length) return null;
  return { kind: "due", daysBefore: Math.min(...reached), daysLeft };
}

/**
 * Names one reminder of one deliverable for one due date. The due date is part of it, so an
 * extension (a new due date) brings its own reminders while each one is still sent only once.
 */
export function reminderKey(deliverableKey: string, dueOn: string, stage: ReminderStage): string {
  return `reminder:${deliverableKey}:${dueOn}:${stage.kind === "due" ? `d${stage.daysBefore}` : "overdue"}`;
}
