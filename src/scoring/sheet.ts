// The score sheet: per-item points, group totals and the sheet's total.
import { messages } from "./messages.js";
import { fromHundredths, toHundredths } from "./points.js";
import type { RuleSet } from "./rules.js";
import type {
  CriterionDef,
  CriterionKind,
  GroupResult,
  ItemResult,
  SheetContext,
  SheetEntry,
  SheetResult,
} from "./types.js";

export interface GroupNode {
  group: CriterionDef;
  /** The scored criteria: the group's items, or the group itself when it has none. */
  leaves: CriterionDef[];
}

/** An item's contributions in signed hundredths, kept next to its result for exact sums. */
interface ScoredItem {
  kind: CriterionKind;
  result: ItemResult;
  selfHundredths: number;
  finalHundredths: number;
}

interface Totals {
  standard: number;
  bonusRaw: number;
  bonus: number;
  deduction: number;
  total: number;
}

function bySortOrder(a: CriterionDef, b: CriterionDef): number {
  return a.sortOrder - b.sortOrder || a.id - b.id;
}

/** Groups (parentId null) in sortOrder, each with its items in sortOrder. */
export function buildCriteriaTree(criteria: readonly CriterionDef[]): GroupNode[] {
  const groups = criteria.filter((c) => c.parentId === null).sort(bySortOrder);
  const groupIds = new Set(groups.map((g) => g.id));
  for (const item of criteria) {
    if (item.parentId === null || groupIds.has(item.parentId)) continue;
    const parentExists = criteria.some((c) => c.id === item.parentId);
    throw new Error(parentExists ? messages.data.nestedItem(item.code) : messages.data.orphanItem(item.code));
  }
  return groups.map((group) => {
    const items = criteria.filter((c) => c.parentId === group.id).sort(bySortOrder);
    return { group, leaves: items.length > 0 ? items : [group] };
  });
}

function indexEntries(entries: readonly SheetEntry[]): Map<number, SheetEntry> {
  const byCriterion = new Map<number, SheetEntry>();
  for (const entry of entries) {
    if (byCriterion.has(entry.criterionId)) throw new Error(messages.data.duplicateEntry(entry.criterionId));
    byCriterion.set(entry.criterionId, entry);
  }
  return byCriterion;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** Bloc value given and not equal (to the hundredth) to the agency's. */
function blocDiffers(selfValue: number | null, blocValue: number | null): boolean {
  if (blocValue === null) return false;
  return selfValue === null || toHundredths(selfValue) !== toHundredths(blocValue);
}

/** Standard and bonus items: points clamped to [0, the item's max]. */
function scorePointsItem(item: CriterionDef, kind: CriterionKind, entry: SheetEntry | undefined): ScoredItem {
  const selfValue = entry?.selfPoints ?? null;
  const blocValue = entry?.blocPoints ?? null;
  const finalValue = blocValue ?? selfValue;
  const max = toHundredths(item.maxPoints);
  const contribution = (value: number | null) => clamp(toHundredths(value ?? 0), 0, max);
  return scored(
    kind,
    item.id,
    selfValue,
    finalValue,
    contribution(selfValue),
    contribution(finalValue),
    blocDiffers(selfValue, blocValue),
  );
}

/** Occurrences are whole and never negative. */
function occurrences(count: number | null): number {
  return Math.max(0, Math.trunc(count ?? 0));
}

/**
 * Deduction items: count × points per occurrence. Late-report items take the count from the submission
 * dates (context) and the amount from the rule set, so the number shown with the year's rules is the
 * one applied; typed counts are ignored for them.
 */
function scoreDeductionItem(
  item: CriterionDef,
  entry: SheetEntry | undefined,
  context: SheetContext,
  rules: RuleSet,
): ScoredItem {
  if (item.autoSource === "late_reports") {
    const deduction = -occurrences(context.lateReports) * toHundredths(rules.lateReportPoints);
    return scored("deduction", item.id, context.lateReports, context.lateReports, deduction, deduction, false);
  }
  const selfValue = entry?.selfCount ?? null;
  const blocValue = entry?.blocCount ?? null;
  const finalValue = blocValue ?? selfValue;
  const perOccurrence = toHundredths(item.maxPoints);
  return scored(
    "deduction",
    item.id,
    selfValue,
    finalValue,
    -occurrences(selfValue) * perOccurrence,
    -occurrences(finalValue) * perOccurrence,
    blocDiffers(selfValue, blocValue),
  );
}

function scored(
  kind: CriterionKind,
  criterionId: number,
  selfValue: number | null,
  finalValue: number | null,
  selfHundredths: number,
  finalHundredths: number,
  differs: boolean,
): ScoredItem {
  // `+ 0` keeps -0 (a zero deduction) out of the results.
  const self = selfHundredths + 0;
  const final = finalHundredths + 0;
  return {
    kind,
    selfHundredths: self,
    finalHundredths: final,
    result: {
      criterionId,
      selfValue,
      finalValue,
      points: fromHundredths(final),
      selfContribution: fromHundredths(self),
      differs,
    },
  };
}

function sumOf(items: readonly ScoredItem[], kind: CriterionKind, pick: (item: ScoredItem) => number): number {
  return items.filter((i) => i.kind === kind).reduce((sum, i) => sum + pick(i), 0);
}

/**
 * total = Σ standard + min(Σ bonus, cap) − Σ deductions, in hundredths. The rules do not floor the total
 * at 0, so deductions larger than the points give a negative total (classified "fail" like any low total).
 */
function totalsOf(items: readonly ScoredItem[], pick: (item: ScoredItem) => number, rules: RuleSet): Totals {
  const standard = sumOf(items, "standard", pick);
  const bonusRaw = sumOf(items, "bonus", pick);
  const bonus = Math.min(bonusRaw, toHundredths(rules.bonusCap));
  const deduction = -sumOf(items, "deduction", pick) + 0;
  return { standard, bonusRaw, bonus, deduction, total: standard + bonus - deduction };
}

/**
 * Scores one agency's sheet. Groups keep their sortOrder; the bloc's value, where given, replaces the
 * agency's own; `selfTotal` is the same formula applied to the agency's own values.
 */
export function computeSheet(
  criteria: readonly CriterionDef[],
  entries: readonly SheetEntry[],
  context: SheetContext,
  rules: RuleSet,
): SheetResult {
  const tree = buildCriteriaTree(criteria);
  const entryFor = indexEntries(entries);
  const groups: GroupResult[] = [];
  const items: ScoredItem[] = [];

  for (const { group, leaves } of tree) {
    const scoredLeaves = leaves.map((leaf) =>
      group.kind === "deduction"
        ? scoreDeductionItem(leaf, entryFor.get(leaf.id), context, rules)
        : scorePointsItem(leaf, group.kind, entryFor.get(leaf.id)),
    );
    items.push(...scoredLeaves);
    groups.push({
      id: group.id,
      code: group.code,
      title: group.title,
      kind: group.kind,
      selfTotal: fromHundredths(scoredLeaves.reduce((sum, i) => sum + i.selfHundredths, 0)),
      finalTotal: fromHundredths(scoredLeaves.reduce((sum, i) => sum + i.finalHundredths, 0)),
    });
  }

  const final = totalsOf(items, (i) => i.finalHundredths, rules);
  const self = totalsOf(items, (i) => i.selfHundredths, rules);
  const groupOne = groups.find((g) => g.kind === "standard");

  return {
    groups,
    items: items.map((i) => i.result),
    standardTotal: fromHundredths(final.standard),
    bonusRaw: fromHundredths(final.bonusRaw),
    bonusTotal: fromHundredths(final.bonus),
    deductionTotal: fromHundredths(final.deduction),
    total: fromHundredths(final.total),
    groupOneTotal: groupOne?.finalTotal ?? 0,
    selfTotal: fromHundredths(self.total),
  };
}

export interface ScaleCheck {
  standardMaxSum: number;
  matchesScale: boolean;
}

/** Whether the standard items' maxima add up to the rule set's scale (a set-up check for the year). */
export function checkScale(criteria: readonly CriterionDef[], rules: RuleSet): ScaleCheck {
  const standardMax = buildCriteriaTree(criteria)
    .filter(({ group }) => group.kind === "standard")
    .flatMap(({ leaves }) => leaves)
    .reduce((sum, leaf) => sum + toHundredths(leaf.maxPoints), 0);
  return {
    standardMaxSum: fromHundredths(standardMax),
    matchesScale: standardMax === toHundredths(rules.scale),
  };
}
