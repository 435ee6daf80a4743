import type { Knex } from "knex";
import { preparedRaw } from "../db/prepared.js";
import { SENT_STATUSES } from "../years/deliverables.js";
import type { Award, Classification } from "../scoring/index.js";
import type { RankingResultRow, StageInput } from "../ranking/ranking-results.js";

/** What a year's stage needs beside its publication (src/ranking/ranking-results.ts): its objection rule and counts. */
type StageRow = { objection_days: number | string | null; pending_objections: number | string | null; awaiting_reopen: number | string | null };

const stageColumns = (db: Knex) => [
  db.raw("(y.rules->>'objectionDays')::int AS objection_days"),
  db.raw("(SELECT count(*) FROM objections o WHERE o.year_id = y.id AND o.status = 'pending') AS pending_objections"),
  db.raw(
    "(SELECT count(*) FROM objections o WHERE o.year_id = y.id AND o.status = 'accepted' AND o.reopened_at IS NULL AND o.filed_at >= y.ranking_published_at) AS awaiting_reopen",
  ),
];

const toStage = (r: StageRow): Omit<StageInput, "rankingPublishedAt"> => ({
  objectionDays: r.objection_days === null ? null : Number(r.objection_days),
  pendingObjections: Number(r.pending_objections ?? 0),
  awaitingReopen: Number(r.awaiting_reopen ?? 0),
});

export interface ProvinceYear {
  id: number;
  blocId: number;
  year: number;
  rankingPublishedAt: Date | null;
  objectionDays: number | null;
  pendingObjections: number;
  awaitingReopen: number;
  closedAt: Date | null;
  agencies: number;
  sheetsReviewed: number;
  sheetsWaiting: number;
}

export interface PeriodProgress {
  yearId: number;
  number: number;
  kind: string;
  title: string | null;
  dueOn: string;
  agencies: number;
  sent: number;
  late: number;
  /** Not sent and past the (extended) due date, as of `today` (closed years: the service zeroes it). */
  overdue: number;
}

/** A stored line of a published ranking (ranking_results), with its year; `reviewed`: the bloc had reviewed the sheet. */
export interface ResultRow extends Omit<RankingResultRow, "sheetStatus"> {
  yearId: number;
  reviewed: boolean;
}

export interface HistoryRow extends ResultRow {
  year: number;
  blocId: number;
  /** Agencies ranked that year in that bloc. */
  rankedCount: number;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

type ResultDbRow = {
  year_id: number; agency_id: number; code: string; name: string; rank: number | null; total: string | null; self_total: string | null; sheet_status: string;
  classification: Classification | null; award: Award | null; votes_for: number | null; valid_ballots: number | null;
};
const toResult = (r: ResultDbRow): ResultRow => ({
  yearId: r.year_id, agencyId: r.agency_id, code: r.code, name: r.name, rank: r.rank, total: num(r.total), selfTotal: num(r.self_total), reviewed: r.sheet_status === "reviewed",
  classification: r.classification, award: r.award, votesFor: r.votes_for, validBallots: r.valid_ballots,
});

/**
 * The province's view: every query is set-based across the blocs (never one per bloc or agency), and
 * published results come from `ranking_results` (the published snapshots' rows), never rescored.
 */
export function provinceRepo(db: Knex) {
  /** Published results with their year, oldest year first; `rankedCount`: how many were ranked that year. */
  async function history(scope: Record<string, number>, thenBy: string, rankedCount: string): Promise<HistoryRow[]> {
    const rows: (ResultDbRow & { year: number; bloc_id: number; ranked_count: string | number })[] = await db("ranking_results as rr")
      .join("emulation_years as y", "y.id", "rr.year_id")
      .where(scope)
      .orderBy([{ column: "y.year" }, { column: thenBy }])
      .select("rr.*", "y.year", "y.bloc_id", db.raw(`${rankedCount} AS ranked_count`));
    return rows.map((r) => ({ ...toResult(r), year: r.year, blocId: r.bloc_id, rankedCount: Number(r.ranked_count) }));
  }

  return {
    /** Every year of these blocs with its revision: what the cached reads below are keyed by (issue 20). */
    async revisions(blocIds: number[]): Promise<{ id: number; revision: number }[]> {
      if (!blocIds.length) return [];
      // Every visit runs it: one text whatever the number of blocs (an array binding), prepared once per connection.
      const { rows } = await preparedRaw<{ id: number; revision: number | string }>(db, "select id, revision from emulation_years where bloc_id = any(?::int[])", [blocIds]);
      return rows.map((r) => ({ id: r.id, revision: Number(r.revision) }));
    },
    /**
     * Every year of these blocs (the year switcher), and for the years numbered `year` their agencies and
     * score sheets reviewed and waiting, in one query.
     */
    async years(blocIds: number[], year: number): Promise<{ numbers: number[]; years: ProvinceYear[] }> {
      if (!blocIds.length) return { numbers: [], years: [] };
      const rows: (StageRow & { id: number; bloc_id: number; year: number; ranking_published_at: Date | null; closed_at: Date | null; agencies: number | string | null; reviewed: number | string | null; waiting: number | string | null })[] = await db("emulation_years as y")
        .whereIn("y.bloc_id", blocIds)
        .orderBy([{ column: "y.year", order: "desc" }, { column: "y.bloc_id" }])
        .select(
          "y.id", "y.bloc_id", "y.year", "y.ranking_published_at", "y.closed_at", ...stageColumns(db),
          db.raw("CASE WHEN y.year = ? THEN (SELECT count(*) FROM year_agencies ya WHERE ya.year_id = y.id) END AS agencies", [year]),
          db.raw("CASE WHEN y.year = ? THEN (SELECT count(*) FROM score_sheets s WHERE s.year_id = y.id AND s.status = 'reviewed') END AS reviewed", [year]),
          db.raw("CASE WHEN y.year = ? THEN (SELECT count(*) FROM score_sheets s WHERE s.year_id = y.id AND s.status = 'submitted') END AS waiting", [year]),
        );
      return {
        numbers: [...new Set(rows.map((r) => r.year))],
        years: rows
          .filter((r) => r.year === year)
          .map((r) => ({
            id: r.id, blocId: r.bloc_id, year: r.year, rankingPublishedAt: r.ranking_published_at, closedAt: r.closed_at, ...toStage(r),
            agencies: Number(r.agencies), sheetsReviewed: Number(r.reviewed), sheetsWaiting: Number(r.waiting),
          })),
      };
    },
    /** The latest year with a published ranking in any of these blocs. */
    async latestPublishedYear(blocIds: number[]): Promise<number | null> {
      if (!blocIds.length) return null;
      const row: { year: number | null } | undefined = await db("emulation_years").whereIn("bloc_id", blocIds).whereNotNull("ranking_published_at").first(db.raw("max(year) AS year"));
      return row?.year ?? null;
    },
    /** Each period of these years: agencies, reports sent, sent late, overdue today. */
    async periods(yearIds: number[], today: string): Promise<PeriodProgress[]> {
      if (!yearIds.length) return [];
      const sent = SENT_STATUSES.map(() => "?").join(", ");
      // Per period (LATERAL): the reports are read through their (period, agency) index, one period at a
      // time, instead of a hash join over every report of the installation (measured 2× faster on 40 blocs).
      const { rows } = (await db.raw(
        `SELECT p.year_id, p.number, p.kind, p.title, p.due_on, c.agencies, c.sent, c.late, c.overdue
         FROM periods p
         CROSS JOIN LATERAL (
           SELECT count(ya.agency_id) AS agencies,
             count(*) FILTER (WHERE r.status IN (${sent})) AS sent,
             count(*) FILTER (WHERE r.status IN (${sent}) AND r.late_days > 0) AS late,
             count(*) FILTER (WHERE (r.status IS NULL OR r.status NOT IN (${sent})) AND coalesce(e.due_on, p.due_on) < ?::date) AS overdue
           FROM year_agencies ya
           LEFT JOIN reports r ON r.period_id = p.id AND r.agency_id = ya.agency_id
           LEFT JOIN period_extensions e ON e.period_id = p.id AND e.agency_id = ya.agency_id
           WHERE ya.year_id = p.year_id
         ) c
         WHERE p.year_id IN (${yearIds.map(() => "?").join(", ")})
         ORDER BY p.year_id, p.number`,
        [...SENT_STATUSES, ...SENT_STATUSES, ...SENT_STATUSES, today, ...yearIds],
      )) as { rows: { year_id: number; number: number; kind: string; title: string | null; due_on: string; agencies: string | number; sent: string | number; late: string | number; overdue: string | number }[] };
      return rows.map((r) => ({
        yearId: r.year_id, number: r.number, kind: r.kind, title: r.title, dueOn: r.due_on,
        agencies: Number(r.agencies), sent: Number(r.sent), late: Number(r.late), overdue: Number(r.overdue),
      }));
    },
    /**
     * Per published year: how many agencies were ranked, and its proposals (agencies proposed for an
     * award, optionally of one award), in one query.
     */
    async published(yearIds: number[], award: Award | null): Promise<{ ranked: Map<number, number>; proposals: ResultRow[] }> {
      if (!yearIds.length) return { ranked: new Map(), proposals: [] };
      const { rows } = (await db.raw(
        `SELECT year_id, count(*) FILTER (WHERE rank IS NOT NULL) AS ranked,
           coalesce(json_agg(rr ORDER BY rank, agency_id) FILTER (WHERE award IS NOT NULL AND (?::text IS NULL OR award = ?)), '[]') AS proposals
         FROM ranking_results rr WHERE year_id IN (${yearIds.map(() => "?").join(", ")}) GROUP BY year_id`,
        [award, award, ...yearIds],
      )) as { rows: { year_id: number; ranked: number | string; proposals: ResultDbRow[] | string }[] };
      return {
        ranked: new Map(rows.map((r) => [r.year_id, Number(r.ranked)])),
        proposals: rows.flatMap((r) => (typeof r.proposals === "string" ? (JSON.parse(r.proposals) as ResultDbRow[]) : r.proposals).map(toResult)),
      };
    },
    /** Published results of one agency across every year (any bloc), oldest first. */
    agencyHistory: (agencyId: number) =>
      history({ "rr.agency_id": agencyId }, "y.bloc_id", "(SELECT count(*) FROM ranking_results x WHERE x.year_id = rr.year_id AND x.rank IS NOT NULL)"),
    /** Published results of every agency of one bloc across its years, oldest year first. */
    blocHistory: (blocId: number) =>
      // Every agency of each year is in the rows: the count is a window over them, not a subquery per row.
      history({ "y.bloc_id": blocId }, "rr.agency_id", "count(*) FILTER (WHERE rr.rank IS NOT NULL) OVER (PARTITION BY rr.year_id)"),
    /** Every year of one bloc (published or not), oldest first. */
    async blocYears(blocId: number): Promise<({ year: number; rankingPublishedAt: Date | null } & Omit<StageInput, "rankingPublishedAt">)[]> {
      const rows: (StageRow & { year: number; ranking_published_at: Date | null })[] = await db("emulation_years as y")
        .where({ "y.bloc_id": blocId })
        .orderBy("y.year")
        .select("y.year", "y.ranking_published_at", ...stageColumns(db));
      return rows.map((r) => ({ year: r.year, rankingPublishedAt: r.ranking_published_at, ...toStage(r) }));
    },
    /** An agency by code, with the blocs it belongs or belonged to. */
    async agency(code: string): Promise<{ id: number; code: string; name: string; blocIds: number[] } | undefined> {
      const row: { id: number; code: string; name: string; bloc_ids: number[] | null } | undefined = await db("agencies as a")
        .where("a.code", code)
        .first("a.id", "a.code", "a.name", db.raw("(SELECT array_agg(DISTINCT m.bloc_id) FROM bloc_memberships m WHERE m.agency_id = a.id) AS bloc_ids"));
      return row && { id: row.id, code: row.code, name: row.name, blocIds: (row.bloc_ids ?? []).map(Number) };
    },
  };
}

export type ProvinceRepo = ReturnType<typeof provinceRepo>;
