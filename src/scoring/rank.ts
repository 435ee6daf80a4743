// Ranking of the bloc's agencies: total, then the tie-breaks of the rules, then a shared rank.
import { classify } from "./classify.js";
import { messages } from "./messages.js";
import { toHundredths } from "./points.js";
import type { RuleSet } from "./rules.js";
import type { RankCandidate, RankedRow, RankingResult, SheetStatus, TieBreak, UnrankedRow } from "./types.js";

const collator = new Intl.Collator("vi");

/** Display order by name (Vietnamese alphabet), agencyId keeping it stable for equal names. */
function byName(a: RankCandidate, b: RankCandidate): number {
  return collator.compare(a.name, b.name) || a.agencyId - b.agencyId;
}

function isRankable(status: SheetStatus, rules: RuleSet): boolean {
  return status === "reviewed" || (status === "submitted" && !rules.requiredReviewed);
}

function unrankedReason(status: SheetStatus): string {
  // "reviewed" is always rankable; listed only to keep the mapping total.
  return status === "reviewed" ? "" : messages.unranked[status];
}

/** Submission instant in ms; a missing or unreadable timestamp counts as the latest possible. */
function submittedAtMs(candidate: RankCandidate): number {
  const ms = candidate.sheetSubmittedAt === null ? Number.NaN : Date.parse(candidate.sheetSubmittedAt);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

export interface RankComparison {
  /** Negative: a ranks above b. */
  order: number;
  /** What decided the order; null when a and b are equal on everything (shared rank). */
  decidedBy: "total" | TieBreak | null;
}

/** Compares two candidates by the ranking rules only (not by name). All points compared in hundredths. */
export function compareForRank(a: RankCandidate, b: RankCandidate): RankComparison {
  const steps: [RankComparison["decidedBy"], number][] = [
    ["total", toHundredths(b.total) - toHundredths(a.total)],
    ["group_one", toHundredths(b.groupOneTotal) - toHundredths(a.groupOneTotal)],
    ["deductions", toHundredths(a.deductionTotal) - toHundredths(b.deductionTotal)],
    ["submitted_at", compareInstants(submittedAtMs(a), submittedAtMs(b))],
  ];
  const deciding = steps.find(([, order]) => order !== 0);
  return deciding ? { order: deciding[1], decidedBy: deciding[0] } : { order: 0, decidedBy: null };
}

function compareInstants(a: number, b: number): number {
  if (a === b) return 0; // also both "never submitted" (Infinity)
  return a < b ? -1 : 1;
}

/** Competition ranking (1, 2, 2, 4) of the rows already in display order. */
function assignRanks(sorted: readonly RankCandidate[], rules: RuleSet): RankedRow[] {
  const rows: RankedRow[] = [];
  sorted.forEach((candidate, index) => {
    const above = rows[index - 1];
    const comparison = above ? compareForRank(above, candidate) : null;
    const tiedWithAbove = above !== undefined && comparison?.decidedBy === null;
    rows.push({
      ...candidate,
      rank: tiedWithAbove ? above.rank : index + 1,
      classification: classify(candidate.total, candidate.disciplineFlag, rules),
      tieBreak: comparison && comparison.decidedBy !== "total" ? comparison.decidedBy : null,
      shared: false,
    });
  });
  const countByRank = new Map<number, number>();
  for (const row of rows) countByRank.set(row.rank, (countByRank.get(row.rank) ?? 0) + 1);
  return rows.map((row) => ({ ...row, shared: (countByRank.get(row.rank) ?? 0) > 1 }));
}

/**
 * Ranks the agencies whose sheet is reviewed (or merely submitted, if the rule set allows it); the others
 * are listed as unranked, by name, with the reason.
 */
export function rankAgencies(candidates: readonly RankCandidate[], rules: RuleSet): RankingResult {
  const rankable = candidates.filter((c) => isRankable(c.sheetStatus, rules));
  const sorted = [...rankable].sort((a, b) => compareForRank(a, b).order || byName(a, b));
  const unranked: UnrankedRow[] = candidates
    .filter((c) => !isRankable(c.sheetStatus, rules))
    .sort(byName)
    .map((c) => ({ ...c, reason: unrankedReason(c.sheetStatus) }));
  return { ranked: assignRanks(sorted, rules), unranked };
}
