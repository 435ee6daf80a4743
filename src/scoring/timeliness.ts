/** Reporting on time, as the score sheet's review needs it: pure rules, no I/O. */

/** An item about sending reports on time: the automatic late-report deduction, or an item whose title says so. */
export function isTimelinessCriterion(c: { title: string; autoSource: string | null }): boolean {
  return c.autoSource === "late_reports" || /đúng (thời )?hạn/i.test(c.title);
}

/**
 * A self-score that contradicts the recorded dates: full points on a standard timeliness item
 * while reports were sent late or are still overdue.
 */
export function contradictsLateness(selfPoints: number | null, maxPoints: number, lateOrOverdueReports: number): boolean {
  return selfPoints !== null && lateOrOverdueReports > 0 && Math.round(selfPoints * 100) >= Math.round(maxPoints * 100);
}
