import { describe, expect, it } from "vitest";
import { DEMO_RULES, RuleSetSchema } from "./rules.js";

function messagesOf(input: unknown): string[] {
  const result = RuleSetSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe("RuleSetSchema", () => {
  it("when given the demo rules, then they are valid", () => {
    expect(RuleSetSchema.parse(DEMO_RULES)).toEqual(DEMO_RULES);
  });

  it("when a number is negative, then a Vietnamese message names it", () => {
    expect(messagesOf({ ...DEMO_RULES, bonusCap: -1 })).toEqual(["Điểm thưởng tối đa không được nhỏ hơn 0"]);
  });

  it("when thresholds are out of order, then the message says which", () => {
    expect(messagesOf({ ...DEMO_RULES, thresholds: { excellent: 80, good: 95, pass: 50 } })).toEqual([
      "Ngưỡng Hoàn thành tốt nhiệm vụ không được cao hơn ngưỡng Hoàn thành xuất sắc nhiệm vụ",
    ]);
    expect(messagesOf({ ...DEMO_RULES, thresholds: { excellent: 95, good: 40, pass: 50 } })).toEqual([
      "Ngưỡng Hoàn thành nhiệm vụ không được cao hơn ngưỡng Hoàn thành tốt nhiệm vụ",
    ]);
  });

  it("when a vote share has a zero denominator or a numerator above it, then it is rejected", () => {
    expect(
      messagesOf({ ...DEMO_RULES, flag: { ...DEMO_RULES.flag, voteShare: { numerator: 0, denominator: 0 } } }),
    ).toEqual(["Mẫu số của tỷ lệ phiếu phải lớn hơn 0"]);
    expect(
      messagesOf({ ...DEMO_RULES, merit: { ...DEMO_RULES.merit, voteShare: { numerator: 3, denominator: 2 } } }),
    ).toEqual(["Tử số của tỷ lệ phiếu không được lớn hơn mẫu số"]);
  });

  it("when a quota is not a whole number, or a point has three decimals, then it is rejected", () => {
    expect(messagesOf({ ...DEMO_RULES, merit: { ...DEMO_RULES.merit, quota: 1.5 } })).toEqual([
      "Số lượng đề nghị Bằng khen phải là số nguyên",
    ]);
    expect(messagesOf({ ...DEMO_RULES, scale: 100.005 })).toEqual([
      "Thang điểm chỉ được có tối đa hai chữ số thập phân",
    ]);
  });

  it("when the discipline cap is not a classification, then it is rejected", () => {
    expect(messagesOf({ ...DEMO_RULES, disciplineCap: "medium" })).toEqual(["Mức xếp loại không hợp lệ"]);
  });
});
