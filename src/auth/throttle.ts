/**
 * Login throttling, as a pure rule: after `limit` failures within `windowMs`, wait until the
 * oldest of those failures leaves the window. Returns the milliseconds still to wait, or 0.
 */
export function lockoutRemainingMs(failures: Date[], now: Date, limit: number, windowMs: number): number {
  // Attempts dated after `now` (clock skew) are ignored rather than locking forever.
  const recent = failures.filter((at) => at.getTime() <= now.getTime() && now.getTime() - at.getTime() < windowMs);
  if (recent.length < limit) return 0;
  const oldestCounted = recent[recent.length - limit]!;
  return Math.max(0, oldestCounted.getTime() + windowMs - now.getTime());
}

export const THROTTLE = {
  /** Per account: the 6th attempt within 15 minutes is refused. */
  account: { limit: 5, windowMs: 15 * 60_000 },
  /** Per address: many accounts tried from one place. */
  address: { limit: 20, windowMs: 15 * 60_000 },
} as const;
