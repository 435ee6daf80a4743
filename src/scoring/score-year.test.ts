import { describe, expect, it } from "vitest";
import { DEMO_CRITERIA } from "./demo-criteria.js";
import { DEMO_RULES } from "./rules.js";
import type { RuleSet } from "./rules.js";
import { scoreYear } from "./score-year.js";
import { agency, WORKED_EXAMPLE, WORKED_EXAMPLE_BALLOTS } from "./test-support.js";

const { A, B, C } = WORKED_EXAMPLE;

describe("scoreYear: the worked example of scoring-rules.md", () => {
  const result = scoreYear(
    { agencies: [A, B, C], criteria: DEMO_CRITERIA, ballots: WORKED_EXAMPLE_BALLOTS },
    DEMO_RULES,
  );

  it("when scored, then the sheets give A 95.00, B 95.00, C 93.00", () => {
    const sheets = [A, B, C].map((a) => result.sheets[a.agencyId]);
    expect(sheets.map((s) => s?.standardTotal)).toEqual([92, 92, 88]);
    expect(sheets.map((s) => s?.groupOneTotal)).toEqual([55, 57, 50]);
    expect(sheets.map((s) => s?.bonusTotal)).toEqual([3, 4, 5]);
    expect(sheets.map((s) => s?.deductionTotal)).toEqual([0, 1, 0]);
    expect(sheets.map((s) => s?.total)).toEqual([95, 95, 93]);
  });

  it("when ranked, then B is 1st via group I, A 2nd, C 3rd; A and B excellent, C good", () => {
    expect(
      result.ranking.ranked.map((r) => [r.name, r.rank, r.tieBreak, r.shared, r.classification]),
    ).toEqual([
      ["B", 1, null, false, "excellent"],
      ["A", 2, "group_one", false, "excellent"],
      ["C", 3, null, false, "good"],
    ]);
    expect(result.ranking.unranked).toEqual([]);
  });

  it("when proposed, then B gets the flag with 5/7, A and C the merit", () => {
    expect(result.proposals.proposals.map((p) => [p.award, p.name, p.rank, p.total, p.votesFor, p.validBallots])).toEqual([
      ["flag", "B", 1, 95, 5, 7],
      ["merit", "A", 2, 95, 6, 7],
      ["merit", "C", 3, 93, 4, 7],
    ]);
    const passedOverC = result.proposals.proposals[2]?.passedOver;
    expect(passedOverC).toEqual([
      { agencyId: B.agencyId, name: "B", rank: 1, reasons: ["Đã được đề nghị Cờ thi đua của UBND tỉnh"] },
    ]);
    expect(result.proposals.byAgency[C.agencyId]).toEqual({ award: "merit", reasons: [] });
  });
});

describe("scoreYear: numbers come from the rule set", () => {
  it("when the rule set changes the thresholds and the late-report amount, then ranks and proposals change", () => {
    const rules: RuleSet = {
      ...DEMO_RULES,
      thresholds: { excellent: 93, good: 80, pass: 50 },
      lateReportPoints: 3,
    };
    const result = scoreYear({ agencies: [A, B, C], criteria: DEMO_CRITERIA, ballots: WORKED_EXAMPLE_BALLOTS }, rules);
    expect(result.ranking.ranked.map((r) => [r.name, r.total, r.classification])).toEqual([
      ["A", 95, "excellent"],
      ["B", 93, "excellent"],
      ["C", 93, "excellent"],
    ]);
    // A has 6/7 ≥ 2/3 and ranks first now.
    expect(result.proposals.proposals.map((p) => [p.award, p.name])).toEqual([
      ["flag", "A"],
      ["merit", "B"],
      ["merit", "C"],
    ]);
  });

  it("when the bonus cap is 10 on a sheet whose bonus items allow more, then more bonus counts", () => {
    const criteria = DEMO_CRITERIA.map((c) => (c.code === "5.1" ? { ...c, maxPoints: 8 } : c));
    const input = { agencies: [C], criteria, ballots: [] };
    expect(scoreYear(input, DEMO_RULES).sheets[C.agencyId]?.total).toBe(93);
    expect(scoreYear(input, { ...DEMO_RULES, bonusCap: 10 }).sheets[C.agencyId]?.total).toBe(95);
  });
});

describe("scoreYear: agencies without a reviewed sheet", () => {
  it("when an agency has not submitted, then it has a sheet, is unranked, and the proposals say why", () => {
    const late = agency({ agencyId: 9, name: "Thanh tra tỉnh", sheetStatus: "none", sheetSubmittedAt: null });
    const result = scoreYear(
      { agencies: [A, B, C, late], criteria: DEMO_CRITERIA, ballots: WORKED_EXAMPLE_BALLOTS },
      DEMO_RULES,
    );
    expect(result.sheets[9]?.total).toBe(0);
    expect(result.ranking.ranked).toHaveLength(3);
    expect(result.ranking.unranked.map((r) => [r.agencyId, r.reason])).toEqual([[9, "Chưa nộp bảng chấm điểm"]]);
    expect(result.proposals.byAgency[9]).toEqual({ award: null, reasons: ["Chưa nộp bảng chấm điểm"] });
  });
});
