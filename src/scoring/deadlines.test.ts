import { describe, expect, it } from "vitest";
import { countLateReports, effectiveDueOn, lateDays } from "./deadlines.js";

describe("lateDays", () => {
  it("when submitted on or before the due date, then 0", () => {
    expect(lateDays("2022-06-15", "2022-06-15")).toBe(0);
    expect(lateDays("2022-06-15", "2022-06-01")).toBe(0);
  });

  it("when submitted after, then whole calendar days, across months and years", () => {
    expect(lateDays("2022-06-15", "2022-06-16")).toBe(1);
    expect(lateDays("2022-02-28", "2022-03-01")).toBe(1);
    expect(lateDays("2022-12-31", "2023-01-02")).toBe(2);
    expect(lateDays("2024-02-28", "2024-03-01")).toBe(2); // leap year
  });

  it("when a date is malformed or impossible, then it throws", () => {
    expect(() => lateDays("2022-02-30", "2022-03-01")).toThrow(RangeError);
    expect(() => lateDays("15/06/2022", "2022-06-16")).toThrow(RangeError);
  });
});

describe("effectiveDueOn", () => {
  it("when there is a later extension, then it applies; an earlier one does not", () => {
    expect(effectiveDueOn("2022-06-15", null)).toBe("2022-06-15");
    expect(effectiveDueOn("2022-06-15", "2022-06-20")).toBe("2022-06-20");
    expect(effectiveDueOn("2022-06-15", "2022-06-10")).toBe("2022-06-15");
  });
});

describe("countLateReports", () => {
  it("when reports are late, on time, extended or not yet submitted, then only the late ones count, once each", () => {
    expect(
      countLateReports([
        { dueOn: "2022-06-15", extensionDueOn: null, submittedOn: "2022-06-20" }, // late (5 days: still 1)
        { dueOn: "2022-06-15", extensionDueOn: null, submittedOn: "2022-06-15" }, // on time
        { dueOn: "2022-06-15", extensionDueOn: "2022-06-25", submittedOn: "2022-06-20" }, // within extension
        { dueOn: "2022-06-15", extensionDueOn: "2022-06-18", submittedOn: "2022-06-20" }, // after extension
        { dueOn: "2022-06-15", extensionDueOn: null, submittedOn: null }, // not submitted yet
      ]),
    ).toBe(2);
  });
});
