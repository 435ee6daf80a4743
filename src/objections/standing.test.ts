import { describe, expect, it } from "vitest";
import { rankingStanding } from "./standing.js";

const publishedAt = new Date("2023-01-16T10:00:00+07:00");
const at = (iso: string) => new Date(iso);
const base = { publishedAt, objectionDays: 5, pending: 0, awaitingReopen: 0 };

describe("the objection window and the ranking's standing", () => {
  it("when not published, then there is no window", () => {
    expect(rankingStanding({ ...base, publishedAt: null, now: at("2023-01-17T00:00:00Z") })).toMatchObject({ state: "unpublished", windowOpen: false, windowEndsOn: null });
  });
  it("when within the days after publication (Vietnam time), then provisional; the last day counts whole", () => {
    expect(rankingStanding({ ...base, now: at("2023-01-21T23:59:00+07:00") })).toMatchObject({ state: "provisional", windowOpen: true, windowEndsOn: "2023-01-21" });
    expect(rankingStanding({ ...base, now: at("2023-01-22T00:00:00+07:00") })).toMatchObject({ state: "final", windowOpen: false });
  });
  it("when the window closed but an objection waits for its answer or its reopening, then still provisional", () => {
    const later = at("2023-02-10T09:00:00+07:00");
    expect(rankingStanding({ ...base, now: later, pending: 1 }).state).toBe("provisional");
    expect(rankingStanding({ ...base, now: later, awaitingReopen: 1 }).state).toBe("provisional");
  });
  it("when the rule gives 0 days, then the ranking is final at once", () => {
    expect(rankingStanding({ ...base, objectionDays: 0, now: publishedAt })).toMatchObject({ state: "final", windowOpen: false, windowEndsOn: null });
  });
});
