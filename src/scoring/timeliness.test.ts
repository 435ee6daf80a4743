import { describe, expect, it } from "vitest";
import { contradictsLateness, isTimelinessCriterion } from "./timeliness.js";

describe("timeliness criteria", () => {
  it("are the late-report deduction and the items about sending on time", () => {
    expect(isTimelinessCriterion({ title: "Gửi báo cáo sơ kết, tổng kết đầy đủ, đúng thời hạn", autoSource: null })).toBe(true);
    expect(isTimelinessCriterion({ title: "Mỗi báo cáo gửi chậm", autoSource: "late_reports" })).toBe(true);
    expect(isTimelinessCriterion({ title: "Cải cách hành chính", autoSource: null })).toBe(false);
  });

  it("full self points with late or overdue reports contradict the dates; less than full, or none late, do not", () => {
    expect(contradictsLateness(4, 4, 1)).toBe(true);
    expect(contradictsLateness(3.5, 4, 1)).toBe(false);
    expect(contradictsLateness(4, 4, 0)).toBe(false);
    expect(contradictsLateness(null, 4, 2)).toBe(false);
  });
});
