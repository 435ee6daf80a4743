// Exact point arithmetic. Points have at most two decimals, so every sum and comparison is done in
// integer hundredths: 0.1 + 0.2 never becomes 0.30000000000000004.
import { messages } from "./messages.js";

/** 7.5 → 750. `+ 0` turns -0 into 0. */
export function toHundredths(points: number): number {
  return Math.round(points * 100) + 0;
}

/** 750 → 7.5 */
export function fromHundredths(hundredths: number): number {
  return hundredths / 100 + 0;
}

/** Exact sum of point values. */
export function sumPoints(values: readonly number[]): number {
  return fromHundredths(values.reduce((sum, value) => sum + toHundredths(value), 0));
}

/** Negative when a < b, 0 when equal to the hundredth, positive when a > b. */
export function comparePoints(a: number, b: number): number {
  return toHundredths(a) - toHundredths(b);
}

export function hasAtMostTwoDecimals(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

const POINTS_PATTERN = /^[+-]?\d+(?:[.,]\d{1,2})?$/;

/**
 * Reads a point value typed in a form: "7,5", "7.5", " 10 ". Returns null for anything that is not a
 * number with at most two decimals. Range checks (0..max) are the caller's job.
 */
export function parsePoints(text: string): number | null {
  const trimmed = text.trim();
  if (!POINTS_PATTERN.test(trimmed)) return null;
  return fromHundredths(toHundredths(Number(trimmed.replace(",", "."))));
}

/** Vietnamese display: decimal comma, exactly two decimals, "." between thousands: 95 → "95,00". */
export function formatPoints(points: number): string {
  if (!Number.isFinite(points)) throw new RangeError(messages.data.invalidPoints(points));
  const hundredths = toHundredths(points);
  const sign = hundredths < 0 ? "-" : "";
  const abs = Math.abs(hundredths);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const fraction = (abs % 100).toString().padStart(2, "0");
  return `${sign}${whole},${fraction}`;
}
