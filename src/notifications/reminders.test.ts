import { describe, expect, it } from "vitest";
import { reminderDaysOf, reminderKey, reminderStage, OVERDUE_NOTICE_WINDOW_DAYS } from "./reminders.js";

describe("reminderStage", () => {
  const days = [7, 1];

  it("when the due date is more than 7 days away, then nothing is due", () => {
    expect(reminderStage("2026-12-15", "2026-12-07", days)).toBeNull();
  });

  it("when it is exactly 7 days away, then the 7-day reminder applies", () => {
    expect(reminderStage("2026-12-15", "2026-12-08", days)).toEqual({ kind: "due", daysBefore: 7, daysLeft: 7 });
  });

  it("when the portal was down on day 7, then day 5 still brings the 7-day reminder", () => {
    expect(reminderStage("2026-12-15", "2026-12-10", days)).toEqual({ kind: "due", daysBefore: 7, daysLeft: 5 });
  });

  it("when one day is left, and on the due date itself, then the 1-day reminder applies", () => {
    expect(reminderStage("2026-12-15", "2026-12-14", days)).toEqual({ kind: "due", daysBefore: 1, daysLeft: 1 });
    expect(reminderStage("2026-12-15", "2026-12-15", days)).toEqual({ kind: "due", daysBefore: 1, daysLeft: 0 });
  });

  it("when the due date has passed, then one overdue notice applies while it is recent", () => {
    expect(reminderStage("2026-12-15", "2026-12-16", days)).toEqual({ kind: "overdue", daysLate: 1 });
    expect(reminderStage("2026-12-15", "2027-01-14", days)).toEqual({ kind: "overdue", daysLate: OVERDUE_NOTICE_WINDOW_DAYS });
    expect(reminderStage("2026-12-15", "2027-01-15", days)).toBeNull();
  });

  it("when a month boundary lies between, then days are counted on the calendar", () => {
    expect(reminderStage("2027-03-01", "2027-02-22", days)).toEqual({ kind: "due", daysBefore: 7, daysLeft: 7 });
  });
});

describe("reminderDaysOf", () => {
  it("when the rules name no days, then 7 and 1 apply", () => {
    expect(reminderDaysOf({})).toEqual([7, 1]);
    expect(reminderDaysOf({ reminderDays: [] })).toEqual([7, 1]);
  });

  it("when the rules name days, then they apply once each, largest first", () => {
    expect(reminderDaysOf({ reminderDays: [3, 10, 3] })).toEqual([10, 3]);
  });
});

describe("reminderKey", () => {
  it("when the due date moves (an extension), then the keys differ so new reminders go out", () => {
    const stage = { kind: "due", daysBefore: 7, daysLeft: 7 } as const;
    expect(reminderKey("report:4:2", "2026-12-15", stage)).not.toBe(reminderKey("report:4:2", "2026-12-22", stage));
    expect(reminderKey("report:4:2", "2026-12-15", { kind: "overdue", daysLate: 2 })).toBe("reminder:report:4:2:2026-12-15:overdue");
  });
});
