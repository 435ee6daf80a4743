// One call that scores a bloc's year: sheets → ranking → proposals. Pages, CLI and exports use it.
import { proposeAwards } from "./proposals.js";
import { rankAgencies } from "./rank.js";
import type { RuleSet } from "./rules.js";
import type { LateReport } from "./deadlines.js";
import { computeSheet } from "./sheet.js";
import type {
  Ballot,
  CriterionDef,
  ProposalResult,
  RankCandidate,
  RankingResult,
  SheetEntry,
  SheetResult,
  SheetStatus,
  TieDecision,
} from "./types.js";

export interface AgencyYearInput {
  agencyId: number;
  code: string;
  name: string;
  sheetStatus: SheetStatus;
  /** ISO timestamp of the score sheet's submission. */
  sheetSubmittedAt: string | null;
  disciplineFlag: boolean;
  disciplineReason: string | null;
  entries: readonly SheetEntry[];
  /** Required reports that count as late this year (see `countLateReports`). */
  lateReports: number;
  /** Which reports those are, for the explanation (optional: tests may give only the count). */
  lateReportCauses?: readonly LateReport[];
}

export interface YearInput {
  agencies: readonly AgencyYearInput[];
  criteria: readonly CriterionDef[];
  ballots: readonly Ballot[];
  /** The review meeting's choices between agencies tied for the last place of an award. */
  decisions?: readonly TieDecision[];
}

export interface YearResult {
  /** Every agency's sheet, ranked or not, by agencyId. */
  sheets: Record<number, SheetResult>;
  ranking: RankingResult;
  /** `byAgency` also covers the unranked agencies, with their unranked reason. */
  proposals: ProposalResult;
}

function toCandidate(agency: AgencyYearInput, sheet: SheetResult): RankCandidate {
  return {
    agencyId: agency.agencyId,
    code: agency.code,
    name: agency.name,
    sheetStatus: agency.sheetStatus,
    total: sheet.total,
    groupOneTotal: sheet.groupOneTotal,
    deductionTotal: sheet.deductionTotal,
    sheetSubmittedAt: agency.sheetSubmittedAt,
    disciplineFlag: agency.disciplineFlag,
    disciplineReason: agency.disciplineReason,
    groupTotals: sheet.groups.map((g) => ({ code: g.code, total: g.finalTotal })),
    bonusTotal: sheet.bonusTotal,
  };
}

/** Scores every agency's sheet, ranks the bloc and proposes the awards, all with the year's rule set. */
export function scoreYear(input: YearInput, rules: RuleSet): YearResult {
  const sheets: Record<number, SheetResult> = {};
  const candidates = input.agencies.map((agency) => {
    const sheet = computeSheet(input.criteria, agency.entries, { lateReports: agency.lateReports }, rules);
    sheets[agency.agencyId] = sheet;
    return toCandidate(agency, sheet);
  });
  const ranking = rankAgencies(candidates, rules);
  const proposals = proposeAwards(ranking.ranked, input.ballots, rules, input.decisions ?? []);
  for (const row of ranking.unranked) {
    proposals.byAgency[row.agencyId] = { award: null, reasons: [row.reason] };
  }
  return { sheets, ranking, proposals };
}
