import { describe, expect, it } from "vitest";
import { formatDateTime, localDate, zonedParts } from "./dates.js";

const viaIntl = (at: Date) => {
  const p = zonedParts(at);
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` };
};

describe("Vietnam's local date and time", () => {
  it("when computed directly (UTC+7 since 13/06/1975), then it equals the time zone database's answer at every instant tried", () => {
    const instants: Date[] = [];
    // Every 61 minutes across 1975–2032 (every hour of the day, month ends, leap days), then a spread to 2200.
    for (let t = Date.UTC(1975, 5, 1); t < Date.UTC(2032, 0, 1); t += 61 * 60_000 * 7) instants.push(new Date(t));
    for (let t = Date.UTC(2032, 0, 1); t < Date.UTC(2200, 0, 1); t += 86_400_000 * 3.3) instants.push(new Date(t));
    // Around local midnight, where the date changes.
    for (const day of [Date.UTC(2022, 11, 31), Date.UTC(2024, 1, 28), Date.UTC(2024, 1, 29), Date.UTC(2025, 0, 19)]) {
      for (const minutes of [-1, 0, 1, 59, 60, 61]) instants.push(new Date(day + 17 * 60 * 60_000 + minutes * 60_000));
    }
    const wrong = instants.filter((at) => {
      const want = viaIntl(at);
      return localDate(at) !== want.date || formatDateTime(at) !== want.time;
    });
    expect(instants.length).toBeGreaterThan(50_000);
    expect(wrong.map((d) => d.toISOString()).slice(0, 5)).toEqual([]);
  });

  it("when the instant is before 13/06/1975 or invalid, then the time zone database decides", () => {
    const old = new Date(Date.UTC(1960, 0, 1, 16, 30));
    expect(localDate(old)).toBe(viaIntl(old).date);
    expect(formatDateTime(new Date("2025-01-20T09:00:00+07:00"))).toBe("20/01/2025 09:00");
    expect(localDate(new Date("2025-01-19T17:00:00Z"))).toBe("2025-01-20");
    expect(localDate(new Date("2025-01-19T16:59:59Z"))).toBe("2025-01-19");
  });
});
