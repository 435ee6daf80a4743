// "Why this rank": one agency's place explained from the same numbers the ranking used. Pure data,
// computed from the scoring input and result (live or as published); pages only present it.
import { AWARDS } from "./types.js";
import type { Award, Classification, CriterionKind, RankedRow, TieBreak } from "./types.js";
import { buildCriteriaTree } from "./sheet.js";
import { classify } from "./classify.js";
import { compareForRank } from "./rank.js";
import { hasVoteShare, shareDenominator } from "./proposals.js";
import { fromHundredths, toHundredths } from "./points.js";
import type { RuleSet } from "./rules.js";
import type { AgencyYearInput, YearInput, YearResult } from "./score-year.js";
import type { LateReport } from "./deadlines.js";

export interface ExplainedItem {
  code: string;
  title: string;
  /** The item's maximum (deductions: points per occurrence). */
  max: number;
  selfValue: number | null;
  finalValue: number | null;
  points: number;
  differs: boolean;
  /** The reviewer's reason when the bloc's value differs from the agency's. */
  reason: string | null;
}

export interface ExplainedGroup {
  code: string;
  title: string;
  kind: CriterionKind;
  selfTotal: number;
  finalTotal: number;
  items: ExplainedItem[];
}

export interface Neighbour {
  position: "above" | "below";
  agencyId: number;
  name: string;
  rank: number;
  total: number;
  /** What separated the two: the total, a tie-break, or nothing (shared rank). */
  decidedBy: "total" | TieBreak | null;
}

export interface AwardCheck {
  award: Award;
  share: string;
  inclusive: boolean;
  met: boolean;
}

export interface Explanation {
  agencyId: number;
  name: string;
  ranked: boolean;
  /** "none": no sheet at all, so no total either (not even a provisional one). */
  sheetStatus: AgencyYearInput["sheetStatus"];
  rank: number | null;
  shared: boolean;
  unrankedReason: string | null;
  groups: ExplainedGroup[];
  standardTotal: number;
  bonusRaw: number;
  bonusCap: number;
  bonusTotal: number;
  deductionTotal: number;
  /** Reports that cost the automatic deduction: which, and how many days late (null: never sent). */
  lateReports: LateReport[];
  total: number;
  classification: Classification;
  /** The classification the total alone gives, when discipline capped it lower. */
  cappedFrom: Classification | null;
  neighbours: Neighbour[];
  ballot: { votesFor: number; validBallots: number; shareOver: number; selfExcluded: boolean; checks: AwardCheck[] } | null;
  award: Award | null;
  pendingTie: Award | null;
  reasons: string[];
}

function neighbours(rows: readonly RankedRow[], agencyId: number): Neighbour[] {
  const index = rows.findIndex((r) => r.agencyId === agencyId);
  if (index < 0) return [];
  const self = rows[index]!;
  const around: Neighbour[] = [];
  const above = rows[index - 1];
  const below = rows[index + 1];
  if (above) around.push({ position: "above", agencyId: above.agencyId, name: above.name, rank: above.rank, total: above.total, decidedBy: compareForRank(above, self).decidedBy });
  if (below) around.push({ position: "below", agencyId: below.agencyId, name: below.name, rank: below.rank, total: below.total, decidedBy: compareForRank(self, below).decidedBy });
  return around;
}

/** Explains one agency of a scored year; null when the agency is not in it. */
export function explainAgency(input: YearInput, result: YearResult, rules: RuleSet, agencyId: number): Explanation | null {
  const agency: AgencyYearInput | undefined = input.agencies.find((a) => a.agencyId === agencyId);
  const sheet = result.sheets[agencyId];
  if (!agency || !sheet) return null;
  const rankedRow = result.ranking.ranked.find((r) => r.agencyId === agencyId);
  const unrankedRow = result.ranking.unranked.find((r) => r.agencyId === agencyId);
  const itemById = new Map(sheet.items.map((i) => [i.criterionId, i]));
  const reasonById = new Map(agency.entries.map((e) => [e.criterionId, e.blocReason ?? null]));

  const groups: ExplainedGroup[] = buildCriteriaTree(input.criteria).map(({ group, leaves }) => {
    const g = sheet.groups.find((x) => x.id === group.id);
    return {
      code: group.code,
      title: group.title,
      kind: group.kind,
      selfTotal: g?.selfTotal ?? 0,
      finalTotal: g?.finalTotal ?? 0,
      items: leaves.map((leaf) => {
        const item = itemById.get(leaf.id);
        return {
          code: leaf.code,
          title: leaf.title,
          max: leaf.kind === "deduction" && leaf.autoSource === "late_reports" ? rules.lateReportPoints : leaf.maxPoints,
          selfValue: item?.selfValue ?? null,
          finalValue: item?.finalValue ?? null,
          points: item?.points ?? 0,
          differs: item?.differs ?? false,
          reason: item?.differs ? (reasonById.get(leaf.id) ?? null) : null,
        };
      }),
    };
  });

  const byTotal = classify(sheet.total, false, rules);
  const classification = rankedRow?.classification ?? classify(sheet.total, agency.disciplineFlag, rules);
  const ballot = input.ballots.find((b) => b.agencyId === agencyId);
  const status = result.proposals.byAgency[agencyId];

  return {
    agencyId,
    name: agency.name,
    ranked: rankedRow !== undefined,
    sheetStatus: agency.sheetStatus,
    rank: rankedRow?.rank ?? null,
    shared: rankedRow?.shared ?? false,
    unrankedReason: unrankedRow?.reason ?? null,
    groups,
    standardTotal: sheet.standardTotal,
    bonusRaw: sheet.bonusRaw,
    bonusCap: rules.bonusCap,
    bonusTotal: sheet.bonusTotal,
    deductionTotal: sheet.deductionTotal,
    lateReports: [...(agency.lateReportCauses ?? [])],
    total: sheet.total,
    classification,
    cappedFrom: classification !== byTotal ? byTotal : null,
    neighbours: neighbours(result.ranking.ranked, agencyId),
    ballot:
      ballot && ballot.validBallots > 0
        ? {
            votesFor: ballot.votesFor,
            validBallots: ballot.validBallots,
            shareOver: shareDenominator(ballot.validBallots, rules),
            selfExcluded: !rules.allowSelfVote,
            checks: AWARDS.map((award) => ({
              award,
              share: `${rules[award].voteShare.numerator}/${rules[award].voteShare.denominator}`,
              inclusive: rules[award].inclusive,
              met: hasVoteShare(ballot.votesFor, shareDenominator(ballot.validBallots, rules), rules[award].voteShare, rules[award].inclusive),
            })),
          }
        : null,
    award: status?.award ?? null,
    pendingTie: status?.pendingTie ?? null,
    reasons: status?.reasons ?? [],
  };
}

/** standard + min(bonus, cap) − deductions from the explanation's own parts, in hundredths. */
export function explainedTotal(e: Explanation): number {
  const sum = (kind: CriterionKind) =>
    e.groups.filter((g) => g.kind === kind).reduce((acc, g) => acc + g.items.reduce((s, i) => s + toHundredths(i.points), 0), 0);
  const bonus = Math.min(sum("bonus"), toHundredths(e.bonusCap));
  return fromHundredths(sum("standard") + bonus + sum("deduction"));
}
