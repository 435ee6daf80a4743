import { describe, expect, it } from "vitest";
import { classify, isAtLeast } from "./classify.js";
import { DEMO_RULES } from "./rules.js";
import type { RuleSet } from "./rules.js";

describe("classify", () => {
  it.each([
    [100, "excellent"],
    [95, "excellent"],
    [94.99, "good"],
    [80, "good"],
    [79.99, "pass"],
    [50, "pass"],
    [49.99, "fail"],
    [0, "fail"],
    [-3, "fail"],
  ] as const)("when the total is %s, then %s (inclusive lower bounds)", (total, expected) => {
    expect(classify(total, false, DEMO_RULES)).toBe(expected);
  });

  it("when the total comes from float arithmetic, then it is compared to the hundredth", () => {
    expect(classify(94.1 + 0.9, false, DEMO_RULES)).toBe("excellent");
  });

  it("when the agency has the disciplinary flag, then it is capped at the rule set's cap", () => {
    expect(classify(99, true, DEMO_RULES)).toBe("pass");
    expect(classify(85, true, DEMO_RULES)).toBe("pass");
    expect(classify(40, true, DEMO_RULES)).toBe("fail"); // the cap never raises
  });

  it("when the rule set changes thresholds and cap, then the outcome follows", () => {
    const rules: RuleSet = { ...DEMO_RULES, thresholds: { excellent: 90, good: 70, pass: 40 }, disciplineCap: "good" };
    expect(classify(92, false, rules)).toBe("excellent");
    expect(classify(92, true, rules)).toBe("good");
    expect(classify(45, false, rules)).toBe("pass");
  });
});

describe("isAtLeast", () => {
  it("orders excellent > good > pass > fail", () => {
    expect(isAtLeast("excellent", "good")).toBe(true);
    expect(isAtLeast("good", "good")).toBe(true);
    expect(isAtLeast("pass", "good")).toBe(false);
    expect(isAtLeast("fail", "pass")).toBe(false);
  });
});
