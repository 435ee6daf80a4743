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
  dueOn: string;
  extensionDueOn: string | null;
  /** null: not submitted yet (not counted as late here). */
  submittedOn: string | null;
}

/** Number of required reports submitted after their (effective) due date; each counts once. */
export function countLateReports(deliverables: readonly Deliverable[]): number {
  return deliverables.filter(
    (d) => d.submittedOn !== null && lateDays(effectiveDueOn(d.dueOn, d.extensionDueOn), d.submittedOn) > 0,
  ).length;
}
