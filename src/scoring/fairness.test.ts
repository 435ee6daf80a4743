// Fair by construction: names and order never decide, conflicts are refused, a missing report costs
// at least as much as a late one, and the explanation adds up to the row's total.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mayAnswerObjection, mayReview } from "./conflict.js";
import { countLateReports, lateReports } from "./deadlines.js";
import { DEMO_CRITERIA } from "./demo-criteria.js";
import { explainAgency, explainedTotal } from "./explain.js";
import { fromHundredths, toHundredths } from "./points.js";
import { DEMO_RULES } from "./rules.js";
import type { RuleSet } from "./rules.js";
import { scoreYear } from "./score-year.js";
import type { AgencyYearInput, YearInput } from "./score-year.js";
import { agency, selfEntries, WORKED_EXAMPLE, WORKED_EXAMPLE_BALLOTS } from "./test-support.js";
import type { SheetEntry } from "./types.js";

const ITEMS = DEMO_CRITERIA.filter((c) => c.parentId !== null && c.autoSource === null);

/** A few distinct point values per item so that equal totals (and ties) are frequent. */
const agencyArb = fc.record({
  values: fc.tuple(...ITEMS.map((c) => fc.constantFrom(0, c.kind === "deduction" ? 1 : c.maxPoints, c.kind === "deduction" ? 0 : fromHundredths(Math.floor(toHundredths(c.maxPoints) / 2))))),
  bloc: fc.tuple(...ITEMS.map(() => fc.option(fc.constantFrom(0, 1, 2), { nil: null }))),
  lateReports: fc.integer({ min: 0, max: 2 }),
  sheetSubmittedAt: fc.constantFrom("2022-12-01T08:00:00Z", "2022-12-02T08:00:00Z"),
  disciplineFlag: fc.boolean(),
  votesFor: fc.integer({ min: 0, max: 7 }),
  status: fc.constantFrom("reviewed", "reviewed", "reviewed", "submitted", "none") as fc.Arbitrary<AgencyYearInput["sheetStatus"]>,
});

type GeneratedAgency = typeof agencyArb extends fc.Arbitrary<infer T> ? T : never;

function buildYear(generated: GeneratedAgency[]): YearInput {
  const agencies = generated.map((g, i) => {
    const entries: SheetEntry[] = ITEMS.map((c, j) => {
      const isCount = c.kind === "deduction";
      const value = g.values[j] ?? 0;
      const bloc = g.bloc[j] ?? null;
      return {
        criterionId: c.id,
        selfPoints: isCount ? null : value,
        blocPoints: isCount ? null : bloc,
        selfCount: isCount ? value : null,
        blocCount: isCount ? bloc : null,
        blocReason: bloc === null ? null : "Khối chấm lại",
      };
    });
    return agency({
      agencyId: i + 1,
      name: `Đơn vị ${String.fromCharCode(65 + i)}`,
      sheetStatus: g.status,
      entries,
      lateReports: g.lateReports,
      sheetSubmittedAt: g.sheetSubmittedAt,
      disciplineFlag: g.disciplineFlag,
      disciplineReason: g.disciplineFlag ? "Kỷ luật" : null,
    });
  });
  const ballots = generated.map((g, i) => ({ agencyId: i + 1, votesFor: g.votesFor, validBallots: 7 }));
  return { agencies, criteria: DEMO_CRITERIA, ballots };
}

/** Everything an outcome is made of, keyed by agency id (never by position or name). */
function outcome(input: YearInput, rules: RuleSet) {
  const result = scoreYear(input, rules);
  const rankOf = Object.fromEntries(result.ranking.ranked.map((r) => [r.agencyId, r.rank]));
  const proposals = result.proposals.proposals
    .map((p) => `${p.award}:${p.agencyId}:${p.passedOver.map((o) => `${o.agencyId}=${o.reasons.join("|")}`).sort().join(",")}`)
    .sort();
  const ties = result.proposals.ties.map((t) => `${t.award}:${t.agencyIds.join(",")}`).sort();
  return { rankOf, byAgency: result.proposals.byAgency, proposals, ties };
}

const rulesArb = fc.record({ allowSelfVote: fc.boolean(), flagQuota: fc.integer({ min: 1, max: 2 }) }).map(
  ({ allowSelfVote, flagQuota }): RuleSet => ({ ...DEMO_RULES, allowSelfVote, flag: { ...DEMO_RULES.flag, quota: flagQuota } }),
);

describe("fairness properties", () => {
  it("renaming, recoding or reordering the agencies never changes a rank, a proposal or a reason", () => {
    fc.assert(
      fc.property(fc.array(agencyArb, { minLength: 1, maxLength: 7 }), rulesArb, fc.nat(), (generated, rules, seed) => {
        const input = buildYear(generated);
        const before = outcome(input, rules);
        const names = ["Zeta", "Ánh", "Bình", "Công an", "Ă", "Đức", "Yên"];
        const renamed = input.agencies.map((a, i) => ({ ...a, name: names[(i + seed) % names.length]!, code: `z${(seed + i) % 97}` }));
        const reordered = [...renamed].sort((a, b) => ((a.agencyId * 7919 + seed) % 13) - ((b.agencyId * 7919 + seed) % 13)).reverse();
        const after = outcome({ ...input, agencies: reordered, ballots: [...input.ballots].reverse() }, rules);
        expect(after).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it("an open tie never hands its award to any of the tied agencies, and never more than the quota is proposed", () => {
    fc.assert(
      fc.property(fc.array(agencyArb, { minLength: 2, maxLength: 7 }), rulesArb, (generated, rules) => {
        const result = scoreYear(buildYear(generated), rules);
        for (const tie of result.proposals.ties.filter((t) => !t.decision)) {
          const holders = result.proposals.proposals.filter((p) => p.award === tie.award).map((p) => p.agencyId);
          expect(holders.filter((id) => tie.agencyIds.includes(id))).toEqual([]);
          for (const id of tie.agencyIds) expect(result.proposals.byAgency[id]?.pendingTie).toBeDefined();
        }
        for (const award of ["flag", "merit"] as const) {
          expect(result.proposals.proposals.filter((p) => p.award === award).length).toBeLessThanOrEqual(rules[award].quota);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("the explanation's numbers add up to the row's total for random sheets", () => {
    fc.assert(
      fc.property(fc.array(agencyArb, { minLength: 1, maxLength: 5 }), rulesArb, (generated, rules) => {
        const input = buildYear(generated);
        const result = scoreYear(input, rules);
        for (const a of input.agencies) {
          const e = explainAgency(input, result, rules, a.agencyId);
          expect(e).not.toBeNull();
          expect(toHundredths(explainedTotal(e!))).toBe(toHundredths(result.sheets[a.agencyId]!.total));
          expect(toHundredths(e!.total)).toBe(toHundredths(e!.standardTotal) + toHundredths(e!.bonusTotal) - toHundredths(e!.deductionTotal));
          const row = result.ranking.ranked.find((r) => r.agencyId === a.agencyId);
          expect(e!.rank).toBe(row?.rank ?? null);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("explainAgency", () => {
  it("on the worked example, then B is first over A by group I and the flag rule is met at 5/7", () => {
    const input: YearInput = {
      agencies: [
        WORKED_EXAMPLE.A,
        { ...WORKED_EXAMPLE.B, lateReportCauses: [{ label: "Báo cáo sơ kết 6 tháng", dueOn: "2022-06-15", submittedOn: "2022-06-18", daysLate: 3 }] },
        WORKED_EXAMPLE.C,
      ],
      criteria: DEMO_CRITERIA,
      ballots: WORKED_EXAMPLE_BALLOTS,
    };
    const result = scoreYear(input, DEMO_RULES);
    const b = explainAgency(input, result, DEMO_RULES, 2)!;
    expect(b).toMatchObject({ rank: 1, total: 95, bonusRaw: 4, bonusTotal: 4, deductionTotal: 1, award: "flag", classification: "excellent", cappedFrom: null });
    expect(b.lateReports).toEqual([{ label: "Báo cáo sơ kết 6 tháng", dueOn: "2022-06-15", submittedOn: "2022-06-18", daysLate: 3 }]);
    expect(b.neighbours).toEqual([{ position: "below", agencyId: 1, name: "A", rank: 2, total: 95, decidedBy: "group_one" }]);
    expect(b.ballot?.checks.map((c) => [c.award, c.met])).toEqual([["flag", true], ["merit", true]]);
    const c = explainAgency(input, result, DEMO_RULES, 3)!;
    expect(c).toMatchObject({ bonusRaw: 5, bonusTotal: 5, bonusCap: 5, award: "merit" });
  });

  it("when discipline caps the classification, then it says which classification the total gave", () => {
    const input: YearInput = {
      agencies: [{ ...WORKED_EXAMPLE.A, disciplineFlag: true, disciplineReason: "Kỷ luật" }],
      criteria: DEMO_CRITERIA,
      ballots: [],
    };
    const e = explainAgency(input, scoreYear(input, DEMO_RULES), DEMO_RULES, 1)!;
    expect(e).toMatchObject({ classification: "pass", cappedFrom: "excellent" });
  });
});

describe("a report never sent", () => {
  const sent = (submittedOn: string | null) => ({ label: "Báo cáo tổng kết năm", dueOn: "2022-11-30", extensionDueOn: null, submittedOn });
  /** The agency's sheet is reviewed, and the report's due date (30/11/2022) is behind. */
  const REVIEWED = { missingCountsAsLate: true, today: "2022-12-15" } as const;

  it("when the sheet is reviewed, then a missing report counts as late, never less than a late one", () => {
    expect(countLateReports([sent(null)])).toBe(0);
    expect(countLateReports([sent(null)], REVIEWED)).toBe(1);
    expect(countLateReports([sent("2022-12-02")], REVIEWED)).toBe(1);
    expect(lateReports([sent(null), sent("2022-12-02")], REVIEWED)).toEqual([
      { label: "Báo cáo tổng kết năm", dueOn: "2022-11-30", submittedOn: null, daysLate: null },
      { label: "Báo cáo tổng kết năm", dueOn: "2022-11-30", submittedOn: "2022-12-02", daysLate: 2 },
    ]);
  });

  it("when the sheet is reviewed before the report is due, then the missing report counts only once its due date has passed", () => {
    const reviewedOn = (today: string) => ({ missingCountsAsLate: true, today }) as const;
    expect(countLateReports([sent(null)], reviewedOn("2022-11-20"))).toBe(0);
    expect(countLateReports([sent(null)], reviewedOn("2022-11-30"))).toBe(0); // it may still be sent today
    expect(lateReports([sent(null)], reviewedOn("2022-12-01"))).toEqual([
      { label: "Báo cáo tổng kết năm", dueOn: "2022-11-30", submittedOn: null, daysLate: null },
    ]);
    // An extension moves the date from which it counts.
    const extended = { ...sent(null), extensionDueOn: "2022-12-10" };
    expect(countLateReports([extended], reviewedOn("2022-12-10"))).toBe(0);
    expect(countLateReports([extended], reviewedOn("2022-12-11"))).toBe(1);
  });

  it("an agency that never sent loses the same points as an otherwise equal one that sent late", () => {
    const entries = selfEntries({ "1.1": 40 });
    const input: YearInput = {
      agencies: [
        agency({ agencyId: 1, name: "Gửi chậm", entries, lateReports: countLateReports([sent("2022-12-02")], REVIEWED) }),
        agency({ agencyId: 2, name: "Không gửi", entries, lateReports: countLateReports([sent(null)], REVIEWED) }),
      ],
      criteria: DEMO_CRITERIA,
      ballots: [],
    };
    const { ranking } = scoreYear(input, DEMO_RULES);
    expect(ranking.ranked.map((r) => [r.agencyId, r.total])).toEqual([[1, 39], [2, 39]]);
  });
});

describe("mayReview (conflict of interest)", () => {
  const bloc = { headAgencyId: 1, deputyAgencyId: 2 };
  const head = { role: "secretariat", agencyId: null };
  const deputy = { role: "secretariat", agencyId: 2 };
  const member = { role: "secretariat", agencyId: 3 };

  it("the head's own sheet is reviewed only by the deputy's secretariat", () => {
    expect(mayReview(head, 1, bloc)).toEqual({ allowed: false, cause: "head_needs_deputy", mustReview: 2 });
    expect(mayReview({ role: "secretariat", agencyId: 1 }, 1, bloc).allowed).toBe(false);
    expect(mayReview(member, 1, bloc).allowed).toBe(false);
    expect(mayReview({ role: "admin", agencyId: null }, 1, bloc).allowed).toBe(false);
    expect(mayReview(deputy, 1, bloc)).toEqual({ allowed: true });
  });

  it("nobody reviews their own agency; the head's office reviews the others", () => {
    expect(mayReview(deputy, 2, bloc)).toEqual({ allowed: false, cause: "own_agency", mustReview: 1 });
    expect(mayReview(member, 3, bloc).allowed).toBe(false);
    expect(mayReview(head, 3, bloc).allowed).toBe(true);
    expect(mayReview(member, 2, bloc).allowed).toBe(true);
    expect(mayReview({ role: "admin", agencyId: null }, 3, bloc).allowed).toBe(true);
  });
});

describe("mayAnswerObjection (conflict of interest on objections)", () => {
  const bloc = { headAgencyId: 1, deputyAgencyId: 2 };
  const head = { role: "secretariat", agencyId: null };
  const member = { role: "secretariat", agencyId: 3 };
  const admin = { role: "admin", agencyId: null };

  it("nobody answers for the agency that filed the objection or the agency it disputes", () => {
    expect(mayAnswerObjection(member, { filedBy: 3, about: 4 }, bloc)).toEqual({ allowed: false, ownAgency: 3 });
    expect(mayAnswerObjection(member, { filedBy: 4, about: 3 }, bloc)).toEqual({ allowed: false, ownAgency: 3 });
    // The head's office (a secretariat account with no agency) acts for the head.
    expect(mayAnswerObjection(head, { filedBy: 4, about: 1 }, bloc)).toEqual({ allowed: false, ownAgency: 1 });
    expect(mayAnswerObjection(head, { filedBy: 1, about: 1 }, bloc)).toEqual({ allowed: false, ownAgency: 1 });
  });

  it("anyone else with the right answers, and the admin stands in for every objection", () => {
    expect(mayAnswerObjection(head, { filedBy: 4, about: 5 }, bloc)).toEqual({ allowed: true });
    expect(mayAnswerObjection(member, { filedBy: 4, about: 1 }, bloc)).toEqual({ allowed: true });
    expect(mayAnswerObjection(admin, { filedBy: 1, about: 1 }, bloc)).toEqual({ allowed: true });
  });
});
