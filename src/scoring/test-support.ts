// Small builders shared by the scoring tests (not part of the public API).
import { DEMO_CRITERIA } from "./demo-criteria.js";
import type { AgencyYearInput } from "./score-year.js";
import type { CriterionDef, RankCandidate, SheetEntry } from "./types.js";

export function criterionByCode(code: string, criteria: readonly CriterionDef[] = DEMO_CRITERIA): CriterionDef {
  const found = criteria.find((c) => c.code === code);
  if (!found) throw new Error(`no criterion ${code}`);
  return found;
}

/** Self-scored entries by criterion code: points for standard/bonus items, counts for deductions. */
export function selfEntries(
  values: Record<string, number>,
  criteria: readonly CriterionDef[] = DEMO_CRITERIA,
): SheetEntry[] {
  return Object.entries(values).map(([code, value]) => {
    const c = criterionByCode(code, criteria);
    const isCount = c.kind === "deduction";
    return {
      criterionId: c.id,
      selfPoints: isCount ? null : value,
      blocPoints: null,
      selfCount: isCount ? value : null,
      blocCount: null,
    };
  });
}

export function candidate(overrides: Partial<RankCandidate> & { agencyId: number }): RankCandidate {
  return {
    code: `a${overrides.agencyId}`,
    name: `Đơn vị ${overrides.agencyId}`,
    sheetStatus: "reviewed",
    total: 90,
    groupOneTotal: 50,
    deductionTotal: 0,
    sheetSubmittedAt: "2022-12-01T08:00:00+07:00",
    disciplineFlag: false,
    disciplineReason: null,
    groupTotals: [],
    bonusTotal: 0,
    ...overrides,
  };
}

export function agency(overrides: Partial<AgencyYearInput> & { agencyId: number; name: string }): AgencyYearInput {
  return {
    code: `a${overrides.agencyId}`,
    sheetStatus: "reviewed",
    sheetSubmittedAt: "2022-12-01T08:00:00+07:00",
    disciplineFlag: false,
    disciplineReason: null,
    entries: [],
    lateReports: 0,
    ...overrides,
  };
}

/**
 * The worked example of domain/scoring-rules.md on the demo sheet: standard 92 / 92 / 88, group I
 * 55 / 57 / 50, bonus 3 / 4 / 5 (+2 entered above the maxima), B with one late report.
 */
export const WORKED_EXAMPLE = {
  A: agency({
    agencyId: 1,
    name: "A",
    entries: selfEntries({
      "1.1": 37, "1.2": 9, "1.3": 9,
      "2.1": 5, "2.2": 5, "2.3": 4,
      "3.1": 5, "3.2": 3, "3.3": 3, "3.4": 3,
      "4.1": 3, "4.2": 3, "4.3": 3,
      "5.1": 2, "5.2": 1,
    }),
  }),
  B: agency({
    agencyId: 2,
    name: "B",
    lateReports: 1,
    entries: selfEntries({
      "1.1": 38, "1.2": 10, "1.3": 9,
      "2.1": 5, "2.2": 5, "2.3": 4,
      "3.1": 5, "3.2": 3, "3.3": 3, "3.4": 2,
      "4.1": 3, "4.2": 2, "4.3": 3,
      "5.1": 2, "5.2": 2,
    }),
  }),
  C: agency({
    agencyId: 3,
    name: "C",
    entries: selfEntries({
      "1.1": 32, "1.2": 9, "1.3": 9,
      "2.1": 5, "2.2": 5, "2.3": 5,
      "3.1": 5, "3.2": 3, "3.3": 3, "3.4": 4,
      "4.1": 3, "4.2": 2, "4.3": 3,
      "5.1": 5, "5.2": 2, // 7 entered, 5.1 clamped to its max 3 → 5
    }),
  }),
} as const;

export const WORKED_EXAMPLE_BALLOTS = [
  { agencyId: 2, votesFor: 5, validBallots: 7 },
  { agencyId: 1, votesFor: 6, validBallots: 7 },
  { agencyId: 3, votesFor: 4, validBallots: 7 },
];
