import { RuleSetSchema, type Award, type Classification, type SheetStatus } from "../scoring/index.js";
import { rankingStanding } from "../objections/standing.js";
import type { RankingState } from "./ranking-service.js";

/**
 * One agency's line of a published ranking, as `ranking_results` stores it beside the snapshot: what the
 * province's view and the year-over-year pages read (set-based, across blocs and years) without
 * loading whole snapshots. Built from the snapshot's own state, so both always agree.
 */
export interface RankingResultRow {
  agencyId: number;
  code: string;
  name: string;
  /** null: not ranked. */
  rank: number | null;
  /** null: no score sheet at all; unranked with a sheet: its provisional total. */
  total: number | null;
  /** The total from the agency's own points only (null: no sheet). */
  selfTotal: number | null;
  /** The sheet's state when published (the self-scoring gap counts reviewed sheets only). */
  sheetStatus: SheetStatus;
  classification: Classification | null;
  award: Award | null;
  votesFor: number | null;
  validBallots: number | null;
}

/** The rows of a ranking state, one per agency of its input (a pure function). */
export function rankingResultRows(st: RankingState): RankingResultRow[] {
  const { input, result } = st;
  return input.agencies.map((a) => {
    const ranked = result.ranking.ranked.find((r) => r.agencyId === a.agencyId);
    const sheet = result.sheets[a.agencyId];
    const ballot = input.ballots.find((b) => b.agencyId === a.agencyId);
    const hasSheet = a.sheetStatus !== "none";
    return {
      agencyId: a.agencyId,
      code: a.code,
      name: a.name,
      rank: ranked?.rank ?? null,
      total: ranked ? ranked.total : hasSheet && sheet ? sheet.total : null,
      selfTotal: hasSheet && sheet ? sheet.selfTotal : null,
      sheetStatus: a.sheetStatus,
      classification: ranked?.classification ?? null,
      award: result.proposals.byAgency[a.agencyId]?.award ?? null,
      votesFor: ballot?.votesFor ?? null,
      validBallots: ballot?.validBallots ?? null,
    };
  });
}

/**
 * Where a year's ranking stands, for every page that says so: not published; published but provisional
 * (its objection window is open, or an objection waits for an answer or for the ranking to be reopened);
 * final. The objections' own rule (src/objections/standing.ts) decides; this only names the stage.
 */
export type RankingStage = "open" | "published" | "final";

export interface StageInput {
  rankingPublishedAt: Date | string | null;
  /** The year's rule `objectionDays` (null: the rule's default). */
  objectionDays: number | null;
  pendingObjections: number;
  awaitingReopen: number;
}

export function rankingStage(year: StageInput, now: Date): RankingStage {
  if (year.rankingPublishedAt === null) return "open";
  const standing = rankingStanding({
    publishedAt: new Date(year.rankingPublishedAt),
    objectionDays: year.objectionDays ?? RuleSetSchema.shape.objectionDays.parse(undefined),
    now,
    pending: year.pendingObjections,
    awaitingReopen: year.awaitingReopen,
  });
  return standing.state === "final" ? "final" : "published";
}

export const RANKING_STAGE_LABELS: Readonly<Record<RankingStage, string>> = {
  open: "Chưa công bố",
  published: "Đã công bố",
  final: "Kết quả chính thức",
};
