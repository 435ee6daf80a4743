/**
 * When a deliverable counts as sent, and when one not sent counts as overdue: the dashboard's matrix
 * (one bloc, per agency) and the province's view (every bloc, counted in SQL) apply the same rule.
 */

/** States of a report, registration or sheet that count as sent (received by the bloc). */
export const SENT_STATUSES = ["submitted", "accepted", "reviewed"] as const;

export const isSent = (status: string): boolean => (SENT_STATUSES as readonly string[]).includes(status);

/**
 * Days a deliverable is overdue today (0: not overdue). A closed year has nothing overdue (lateness stays
 * as recorded); `dueOn` is the effective due date (the agency's extension, else the period's).
 */
export function overdueDays(o: { closed: boolean; status: string; dueOn: string | null; today: string }, daysBetween: (a: string, b: string) => number): number {
  if (o.closed || isSent(o.status) || !o.dueOn || !(o.today > o.dueOn)) return 0;
  return daysBetween(o.dueOn, o.today);
}
