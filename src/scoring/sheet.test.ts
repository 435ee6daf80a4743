import { describe, expect, it } from "vitest";
import { countLateReports } from "./deadlines.js";
import { DEMO_CRITERIA } from "./demo-criteria.js";
import { DEMO_RULES } from "./rules.js";
import type { RuleSet } from "./rules.js";
import { checkScale, computeSheet } from "./sheet.js";
import { criterionByCode, selfEntries } from "./test-support.js";
import type { CriterionDef, SheetEntry } from "./types.js";

const NO_LATE = { lateReports: 0 };

function def(
  id: number,
  code: string,
  parentId: number | null,
  kind: CriterionDef["kind"],
  maxPoints: number,
  extra: Partial<CriterionDef> = {},
): CriterionDef {
  return { id, code, title: code, parentId, kind, maxPoints, autoSource: null, sortOrder: id, ...extra };
}

/** A small sheet: standard group with two items (6 + 4), bonus group with items 3 + 4, deductions. */
const SMALL: CriterionDef[] = [
  def(1, "I", null, "standard", 10),
  def(2, "II", null, "bonus", 7),
  def(3, "III", null, "deduction", 0),
  def(11, "1.1", 1, "standard", 6),
  def(12, "1.2", 1, "standard", 4),
  def(21, "2.1", 2, "bonus", 3),
  def(22, "2.2", 2, "bonus", 4),
  def(31, "3.1", 3, "deduction", 1, { autoSource: "late_reports" }),
  def(32, "3.2", 3, "deduction", 2),
];

function item(result: ReturnType<typeof computeSheet>, criterionId: number) {
  return result.items.find((i) => i.criterionId === criterionId);
}

describe("computeSheet: standard items", () => {
  it("when points exceed the item's max or are negative, then they are clamped to [0, max]", () => {
    const sheet = computeSheet(SMALL, selfEntries({ "1.1": 9, "1.2": -2 }, SMALL), NO_LATE, DEMO_RULES);
    expect(item(sheet, 11)?.points).toBe(6);
    expect(item(sheet, 12)?.points).toBe(0);
    expect(sheet.standardTotal).toBe(6);
  });

  it("when decimals add up, then the total is exact", () => {
    const sheet = computeSheet(SMALL, selfEntries({ "1.1": 5.1, "1.2": 3.2 }, SMALL), NO_LATE, DEMO_RULES);
    expect(sheet.standardTotal).toBe(8.3);
    expect(sheet.total).toBe(8.3);
  });

  it("when an item has no entry, then it counts 0", () => {
    const sheet = computeSheet(SMALL, [], NO_LATE, DEMO_RULES);
    expect(sheet.total).toBe(0);
    expect(item(sheet, 11)).toMatchObject({ selfValue: null, finalValue: null, points: 0, differs: false });
  });
});

describe("computeSheet: bloc points", () => {
  it("when the bloc gives a value, then it replaces the agency's and the difference is flagged", () => {
    const entries: SheetEntry[] = [
      { criterionId: 11, selfPoints: 6, blocPoints: 4.5, selfCount: null, blocCount: null },
      { criterionId: 12, selfPoints: 3, blocPoints: 3, selfCount: null, blocCount: null },
      { criterionId: 32, selfPoints: null, blocPoints: null, selfCount: 0, blocCount: 2 },
    ];
    const sheet = computeSheet(SMALL, entries, NO_LATE, DEMO_RULES);
    expect(item(sheet, 11)).toMatchObject({ selfValue: 6, finalValue: 4.5, points: 4.5, selfContribution: 6, differs: true });
    expect(item(sheet, 12)).toMatchObject({ points: 3, differs: false });
    expect(item(sheet, 32)).toMatchObject({ selfValue: 0, finalValue: 2, points: -4, differs: true });
    expect(sheet.total).toBe(7.5 - 4);
    expect(sheet.selfTotal).toBe(9);
    expect(sheet.groups[0]).toMatchObject({ code: "I", selfTotal: 9, finalTotal: 7.5 });
  });
});

describe("computeSheet: bonus", () => {
  it("when bonus items add up above the cap, then the bonus is capped at rules.bonusCap", () => {
    const sheet = computeSheet(SMALL, selfEntries({ "2.1": 3, "2.2": 4 }, SMALL), NO_LATE, DEMO_RULES);
    expect(sheet.bonusRaw).toBe(7);
    expect(sheet.bonusTotal).toBe(5);
    expect(sheet.total).toBe(5);
  });

  it("when each bonus item exceeds its own max, then it is clamped before the cap", () => {
    const sheet = computeSheet(SMALL, selfEntries({ "2.1": 10, "2.2": -1 }, SMALL), NO_LATE, DEMO_RULES);
    expect(sheet.bonusRaw).toBe(3);
    expect(sheet.bonusTotal).toBe(3);
  });

  it("when the rule set's cap is 10, then all 7 bonus points count", () => {
    const rules: RuleSet = { ...DEMO_RULES, bonusCap: 10 };
    const sheet = computeSheet(SMALL, selfEntries({ "2.1": 3, "2.2": 4 }, SMALL), NO_LATE, rules);
    expect(sheet.bonusTotal).toBe(7);
  });
});

describe("computeSheet: deductions", () => {
  it("when an item counts occurrences, then the deduction is count × points per occurrence", () => {
    const sheet = computeSheet(SMALL, selfEntries({ "1.1": 6, "3.2": 3 }, SMALL), NO_LATE, DEMO_RULES);
    expect(item(sheet, 32)?.points).toBe(-6);
    expect(sheet.deductionTotal).toBe(6);
    expect(sheet.total).toBe(0);
    expect(sheet.groups.find((g) => g.code === "III")?.finalTotal).toBe(-6);
  });

  it("when deductions exceed the points, then the total goes negative (the rules do not floor it)", () => {
    const sheet = computeSheet(SMALL, selfEntries({ "1.1": 1, "3.2": 2 }, SMALL), NO_LATE, DEMO_RULES);
    expect(sheet.total).toBe(-3);
  });

  it("when a count is negative, then it counts as no occurrence", () => {
    const sheet = computeSheet(SMALL, selfEntries({ "3.2": -2 }, SMALL), NO_LATE, DEMO_RULES);
    expect(sheet.deductionTotal).toBe(0);
    expect(Object.is(item(sheet, 32)?.points, -0)).toBe(false);
  });

  it("when reports were late, then the late-report item uses the context's count and ignores typed counts", () => {
    const entries: SheetEntry[] = [{ criterionId: 31, selfPoints: null, blocPoints: null, selfCount: 9, blocCount: 7 }];
    const sheet = computeSheet(SMALL, entries, { lateReports: 2 }, DEMO_RULES);
    expect(item(sheet, 31)).toMatchObject({ selfValue: 2, finalValue: 2, points: -2, differs: false });
    expect(sheet.deductionTotal).toBe(2);
    expect(sheet.selfTotal).toBe(-2);
  });

  it("when the rule set deducts 1.5 per late report, then that amount applies", () => {
    const rules: RuleSet = { ...DEMO_RULES, lateReportPoints: 1.5 };
    const sheet = computeSheet(SMALL, [], { lateReports: 3 }, rules);
    expect(sheet.deductionTotal).toBe(4.5);
  });
});

describe("computeSheet: late reports from submission dates", () => {
  const reports = (extensionDueOn: string | null) => [
    { dueOn: "2022-06-15", extensionDueOn: null, submittedOn: "2022-06-14" }, // registration, on time
    { dueOn: "2022-06-15", extensionDueOn, submittedOn: "2022-06-18" }, // 6-month report
    { dueOn: "2022-12-10", extensionDueOn: null, submittedOn: "2022-12-12" }, // annual report, late
  ];

  it("when two reports are late, then the demo sheet deducts 2 on item 6.1", () => {
    const sheet = computeSheet(DEMO_CRITERIA, [], { lateReports: countLateReports(reports(null)) }, DEMO_RULES);
    expect(item(sheet, criterionByCode("6.1").id)?.points).toBe(-2);
    expect(sheet.deductionTotal).toBe(2);
  });

  it("when the agency had an extension covering the 6-month report, then only 1 is deducted", () => {
    const late = countLateReports(reports("2022-06-20"));
    expect(computeSheet(DEMO_CRITERIA, [], { lateReports: late }, DEMO_RULES).deductionTotal).toBe(1);
  });
});

describe("computeSheet: the demo sheet", () => {
  it("when every item is at its max, then 100 + 5 and group I is 60", () => {
    const full = Object.fromEntries(
      DEMO_CRITERIA.filter((c) => c.parentId !== null && c.kind !== "deduction").map((c) => [c.code, c.maxPoints]),
    );
    const sheet = computeSheet(DEMO_CRITERIA, selfEntries(full), NO_LATE, DEMO_RULES);
    expect(sheet.standardTotal).toBe(100);
    expect(sheet.bonusTotal).toBe(5);
    expect(sheet.total).toBe(105);
    expect(sheet.groupOneTotal).toBe(60);
    expect(sheet.groups.map((g) => g.code)).toEqual(["I", "II", "III", "IV", "V", "VI"]);
  });

  it("when groups are listed out of order, then group I is still the first standard group by sortOrder", () => {
    const shuffled = [...DEMO_CRITERIA].reverse();
    const sheet = computeSheet(shuffled, selfEntries({ "1.1": 30, "2.1": 5 }), NO_LATE, DEMO_RULES);
    expect(sheet.groupOneTotal).toBe(30);
  });
});

describe("computeSheet: invalid data", () => {
  it("when an item points to a missing group, or entries repeat, then it throws", () => {
    expect(() => computeSheet([def(5, "9.9", 99, "standard", 1)], [], NO_LATE, DEMO_RULES)).toThrow(/9\.9/);
    const entry = { criterionId: 11, selfPoints: 1, blocPoints: null, selfCount: null, blocCount: null };
    expect(() => computeSheet(SMALL, [entry, entry], NO_LATE, DEMO_RULES)).toThrow();
  });
});

describe("checkScale", () => {
  it("when the standard maxima add up to the scale, then it matches", () => {
    expect(checkScale(DEMO_CRITERIA, DEMO_RULES)).toEqual({ standardMaxSum: 100, matchesScale: true });
  });

  it("when they do not, then it reports the sum", () => {
    const lower = DEMO_CRITERIA.map((c) => (c.id === criterionByCode("1.1").id ? { ...c, maxPoints: 39.5 } : c));
    expect(checkScale(lower, DEMO_RULES)).toEqual({ standardMaxSum: 99.5, matchesScale: false });
    expect(checkScale(DEMO_CRITERIA, { ...DEMO_RULES, scale: 120 }).matchesScale).toBe(false);
  });
});
