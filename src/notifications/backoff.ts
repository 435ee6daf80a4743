// Retry timing of the mail sender: pure, the clock passed in.

/** Attempts before a message is marked failed and left to the admin. */
export const MAX_MAIL_ATTEMPTS = 6;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 60 * 60_000;

/** Delay before attempt `attempts + 1`: 30 s, 1 min, 2 min, … doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** After a failed attempt: when to try again, or null when the message has failed for good. */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_MAIL_ATTEMPTS) return null;
  return new Date(now.getTime() + retryDelayMs(attempts));
}
