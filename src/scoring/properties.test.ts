// Property tests: invariants of the ranking and of the sheet totals over generated inputs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEMO_CRITERIA } from "./demo-criteria.js";
import { fromHundredths, toHundredths } from "./points.js";
import { compareForRank, rankAgencies } from "./rank.js";
import { DEMO_RULES } from "./rules.js";
import type { RuleSet } from "./rules.js";
import { scoreYear } from "./score-year.js";
import { checkScale, computeSheet } from "./sheet.js";
import { agency, selfEntries } from "./test-support.js";
import type { CriterionDef, RankCandidate, SheetEntry, SheetStatus } from "./types.js";

const points = (minHundredths: number, maxHundredths: number) =>
  fc.integer({ min: minHundredths, max: maxHundredths }).map(fromHundredths);

const STATUSES: SheetStatus[] = ["none", "draft", "submitted", "returned", "reviewed"];
const TIMESTAMPS = [null, "2022-12-01T08:00:00Z", "2022-12-01T09:00:00+07:00", "2022-12-05T10:30:00Z"];
const NAMES = ["Công an tỉnh", "Cục Thi hành án dân sự", "Đài PT-TH", "Sở Tư pháp", "Thanh tra tỉnh"];

/** Candidates with few distinct values, so ties and tie-breaks happen often. */
const candidatesArb = fc
  .array(
    fc.record({
      name: fc.constantFrom(...NAMES),
      sheetStatus: fc.constantFrom(...STATUSES),
      total: fc.constantFrom(50, 80, 94.99, 95, 95.5),
      groupOneTotal: fc.constantFrom(40, 55, 57),
      deductionTotal: fc.constantFrom(0, 1, 2),
      sheetSubmittedAt: fc.constantFrom(...TIMESTAMPS),
      disciplineFlag: fc.boolean(),
    }),
    { maxLength: 12 },
  )
  .map((rows) =>
    rows.map(
      (row, index): RankCandidate => ({
        ...row,
        agencyId: index + 1,
        code: `a${index + 1}`,
        disciplineReason: row.disciplineFlag ? "Vi phạm" : null,
        groupTotals: [],
        bonusTotal: 0,
      }),
    ),
  );

const rulesArb = fc.boolean().map((requiredReviewed): RuleSet => ({ ...DEMO_RULES, requiredReviewed }));

describe("rankAgencies properties", () => {
  it("ranked rows are a permutation of the eligible agencies; the others are unranked", () => {
    fc.assert(
      fc.property(candidatesArb, rulesArb, (candidates, rules) => {
        const { ranked, unranked } = rankAgencies(candidates, rules);
        const eligible = candidates
          .filter((c) => c.sheetStatus === "reviewed" || (!rules.requiredReviewed && c.sheetStatus === "submitted"))
          .map((c) => c.agencyId);
        const ids = (rows: { agencyId: number }[]) => rows.map((r) => r.agencyId).sort((a, b) => a - b);
        expect(ids(ranked)).toEqual(eligible);
        expect(ids([...ranked, ...unranked])).toEqual(candidates.map((c) => c.agencyId));
      }),
    );
  });

  it("a higher total never ranks below a lower one, and rank = 1 + rows strictly ahead", () => {
    fc.assert(
      fc.property(candidatesArb, (candidates) => {
        const { ranked } = rankAgencies(candidates, DEMO_RULES);
        for (const a of ranked) {
          for (const b of ranked) {
            if (toHundredths(a.total) > toHundredths(b.total)) expect(a.rank).toBeLessThan(b.rank);
          }
          const ahead = ranked.filter((other) => compareForRank(other, a).order < 0).length;
          expect(a.rank).toBe(ahead + 1);
        }
        ranked.slice(1).forEach((row, i) => expect(row.rank).toBeGreaterThanOrEqual(ranked[i]?.rank ?? 0));
      }),
    );
  });
});

const STANDARD_ITEMS = DEMO_CRITERIA.filter((c) => c.parentId !== null && c.kind === "standard");

/** Standard points for the demo sheet, each in [0, max] in hundredths. */
const standardPointsArb = fc.tuple(...STANDARD_ITEMS.map((c) => points(0, toHundredths(c.maxPoints))));

const demoAgencyArb = fc.record({
  standard: standardPointsArb,
  bonus51: points(0, 300),
  bonus52: points(0, 200),
  lateReports: fc.integer({ min: 0, max: 3 }),
  sheetSubmittedAt: fc.constantFrom(...TIMESTAMPS),
});

function demoEntries(standard: number[], bonus51: number, bonus52: number): SheetEntry[] {
  const values: Record<string, number> = { "5.1": bonus51, "5.2": bonus52 };
  STANDARD_ITEMS.forEach((c, i) => (values[c.code] = standard[i] ?? 0));
  return selfEntries(values);
}

describe("scoreYear properties", () => {
  it("adding a bonus point below the cap never lowers the agency's rank", () => {
    fc.assert(
      fc.property(
        fc.array(demoAgencyArb, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        // The target's bonus leaves room for one more point on item 5.1 and under the cap of 5.
        fc.record({ bonus51: points(0, 200), bonus52: points(0, 200) }),
        (generated, pick, targetBonus) => {
          const targetIndex = pick % generated.length;
          const build = (extra: number) =>
            generated.map((g, i) => {
              const isTarget = i === targetIndex;
              const b51 = isTarget ? targetBonus.bonus51 + extra : g.bonus51;
              const b52 = isTarget ? targetBonus.bonus52 : g.bonus52;
              return agency({
                agencyId: i + 1,
                name: NAMES[i % NAMES.length] ?? "X",
                lateReports: g.lateReports,
                sheetSubmittedAt: g.sheetSubmittedAt,
                entries: demoEntries(g.standard, b51, b52),
              });
            });
          const rankOf = (extra: number) => {
            const result = scoreYear({ agencies: build(extra), criteria: DEMO_CRITERIA, ballots: [] }, DEMO_RULES);
            const row = result.ranking.ranked.find((r) => r.agencyId === targetIndex + 1);
            return { rank: row?.rank ?? Number.NaN, total: row?.total ?? Number.NaN };
          };
          const before = rankOf(0);
          const after = rankOf(1);
          expect(toHundredths(after.total) - toHundredths(before.total)).toBe(100);
          expect(after.rank).toBeLessThanOrEqual(before.rank);
        },
      ),
    );
  });
});

/** A criteria tree whose standard maxima add up to the generated scale, plus bonus and deduction groups. */
const treeArb = fc
  .record({
    standardMaxima: fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 8 }),
    groupOf: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 8 }),
    bonusMaxima: fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 4 }),
    deductions: fc.array(fc.record({ perOccurrence: fc.integer({ min: 0, max: 500 }), auto: fc.boolean() }), {
      maxLength: 3,
    }),
    bonusCap: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ standardMaxima, groupOf, bonusMaxima, deductions, bonusCap }) => {
    const criteria: CriterionDef[] = [];
    let nextId = 1;
    const addGroup = (kind: CriterionDef["kind"], sortOrder: number) => {
      const id = nextId++;
      criteria.push({ id, code: `G${sortOrder}`, title: "", parentId: null, kind, maxPoints: 0, autoSource: null, sortOrder });
      return id;
    };
    const addItem = (
      parentId: number,
      kind: CriterionDef["kind"],
      maxHundredths: number,
      autoSource: CriterionDef["autoSource"] = null,
    ) => {
      const id = nextId++;
      const maxPoints = fromHundredths(maxHundredths);
      criteria.push({ id, code: `i${id}`, title: "", parentId, kind, maxPoints, autoSource, sortOrder: id });
    };
    // Only groups that receive items: an empty group would be scored as a leaf of its own.
    const standardGroups = new Map<number, number>();
    standardMaxima.forEach((max, i) => {
      const slot = groupOf[i] ?? 0;
      const groupId = standardGroups.get(slot) ?? addGroup("standard", slot);
      standardGroups.set(slot, groupId);
      addItem(groupId, "standard", max);
    });
    if (bonusMaxima.length > 0) {
      const groupId = addGroup("bonus", 10);
      bonusMaxima.forEach((max) => addItem(groupId, "bonus", max));
    }
    if (deductions.length > 0) {
      const groupId = addGroup("deduction", 11);
      deductions.forEach((d) => addItem(groupId, "deduction", d.perOccurrence, d.auto ? "late_reports" : null));
    }
    const scale = fromHundredths(standardMaxima.reduce((a, b) => a + b, 0));
    const rules: RuleSet = { ...DEMO_RULES, scale, bonusCap: fromHundredths(bonusCap) };
    return { criteria, rules };
  });

const maybePoints = fc.option(points(-2000, 20000), { nil: null });
const maybeCount = fc.option(fc.integer({ min: -3, max: 6 }), { nil: null });

describe("computeSheet properties", () => {
  it("totals never exceed scale + bonus cap, and the parts stay in range", () => {
    fc.assert(
      fc.property(
        treeArb,
        fc.array(fc.tuple(maybePoints, maybePoints, maybeCount, maybeCount), { minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: 5 }),
        ({ criteria, rules }, values, lateReports) => {
          const entries: SheetEntry[] = criteria.map((c, i) => {
            const [selfPoints, blocPoints, selfCount, blocCount] = values[i] ?? [null, null, null, null];
            return { criterionId: c.id, selfPoints, blocPoints, selfCount, blocCount };
          });
          expect(checkScale(criteria, rules).matchesScale).toBe(true);
          const sheet = computeSheet(criteria, entries, { lateReports }, rules);
          const limit = toHundredths(rules.scale) + toHundredths(rules.bonusCap);
          expect(toHundredths(sheet.total)).toBeLessThanOrEqual(limit);
          expect(toHundredths(sheet.selfTotal)).toBeLessThanOrEqual(limit);
          expect(sheet.standardTotal).toBeGreaterThanOrEqual(0);
          expect(toHundredths(sheet.standardTotal)).toBeLessThanOrEqual(toHundredths(rules.scale));
          expect(sheet.bonusTotal).toBeGreaterThanOrEqual(0);
          expect(toHundredths(sheet.bonusTotal)).toBeLessThanOrEqual(toHundredths(rules.bonusCap));
          expect(sheet.deductionTotal).toBeGreaterThanOrEqual(0);
          expect(toHundredths(sheet.total)).toBe(
            toHundredths(sheet.standardTotal) + toHundredths(sheet.bonusTotal) - toHundredths(sheet.deductionTotal),
          );
        },
      ),
    );
  });
});
