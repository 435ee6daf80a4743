// Late reports, from calendar dates ('YYYY-MM-DD'). Pure date arithmetic in UTC: the result never
// depends on the machine's clock or time zone.
import { messages } from "./messages.js";

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; throws on anything else (e.g. '2022-02-30'). */
function dayNumber(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(messages.data.invalidDate(date));
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Date.UTC rolls 2022-02-30 over to March; a real date survives the round trip.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(messages.data.invalidDate(date));
  }
  return ms / DAY_MS;
}

/** Whole days after the due date; 0 when submitted on or before it. */
export function lateDays(dueOn: string, submittedOn: string): number {
  return Math.max(0, dayNumber(submittedOn) - dayNumber(dueOn));
}

/** The due date that applies: the agency's extension when it is later than the period's date. */
export function effectiveDueOn(dueOn: string, extensionDueOn: string | null): string {
  if (extensionDueOn === null) return dueOn;
  return dayNumber(extensionDueOn) > dayNumber(dueOn) ? extensionDueOn : dueOn;
}

export interface Deliverable {
  /** What is due, for people (e.g. "Báo cáo tổng kết năm"); optional in tests. */
  label?: string;
  dueOn: string;
  extensionDueOn: string | null;
  /** null: not submitted yet. */
  submittedOn: string | null;
}

/** One report that costs the automatic late-report deduction, and why. */
export interface LateReport {
  label: string;
  dueOn: string;
  /** null: never sent (counted once the agency's sheet is reviewed). */
  submittedOn: string | null;
  /** Whole days late; null when never sent. */
  daysLate: number | null;
}

export type LateCountOptions =
  | { missingCountsAsLate: false }
  | {
      /**
       * The agency's sheet is reviewed: a report still missing then counts as one late report, so that not
       * sending never costs less than sending late (scoring-rules.md, "A report never sent")…
       */
      missingCountsAsLate: true;
      /** …once its (effective) due date is behind `today` ('YYYY-MM-DD'): until then it may still be sent on time. */
      today: string;
    };

/** The required reports sent after their (effective) due date, and, when asked, those never sent. */
export function lateReports(deliverables: readonly Deliverable[], options: LateCountOptions = { missingCountsAsLate: false }): LateReport[] {
  const late: LateReport[] = [];
  for (const d of deliverables) {
    const dueOn = effectiveDueOn(d.dueOn, d.extensionDueOn);
    const label = d.label ?? "";
    if (d.submittedOn === null) {
      if (options.missingCountsAsLate && lateDays(dueOn, options.today) > 0) late.push({ label, dueOn, submittedOn: null, daysLate: null });
      continue;
    }
    const days = lateDays(dueOn, d.submittedOn);
    if (days > 0) late.push({ label, dueOn, submittedOn: d.submittedOn, daysLate: days });
  }
  return late;
}

/** Number of required reports that count as late; each counts once. */
export function countLateReports(deliverables: readonly Deliverable[], options?: LateCountOptions): number {
  return lateReports(deliverables, options).length;
}
