import { describe, expect, it } from "vitest";
import { MAX_MAIL_ATTEMPTS, nextAttemptAt, retryDelayMs } from "./backoff.js";

describe("mail retry backoff", () => {
  it("when attempts fail, then the delay doubles from 30 seconds up to an hour", () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });

  it("when the last attempt fails, then there is no next attempt", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    expect(nextAttemptAt(1, now)).toEqual(new Date("2026-12-01T00:00:30Z"));
    expect(nextAttemptAt(MAX_MAIL_ATTEMPTS, now)).toBeNull();
  });
});
