import type { Award, Classification, SheetStatus } from "../scoring/index.js";
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
 * Where a year's ranking stands, for every page that says so. Today a ranking is either not published or
 * published; the objections window (another change) makes it final once the window has passed — that
 * decision plugs in HERE and nowhere else (e.g. `if (year.objectionsClosedAt) return "final"`).
 */
export type RankingStage = "open" | "published" | "final";

export function rankingStage(year: { rankingPublishedAt: Date | string | null }): RankingStage {
  if (year.rankingPublishedAt === null) return "open";
  return "published";
}

export const RANKING_STAGE_LABELS: Readonly<Record<RankingStage, string>> = {
  open: "Chưa công bố",
  published: "Đã công bố",
  final: "Kết quả chính thức",
};
