import type { Knex } from "knex";
import { preparedRaw } from "../db/prepared.js";

const RECENT_ACTIVITY_SQL = "select at, username, action, agency_id from audit_log where bloc_id = ? order by at desc, id desc limit ?";

export interface SubmissionCell {
  agencyId: number;
  status: string;
  submittedOn: string | null;
  lateDays: number;
}

export interface ReportCell extends SubmissionCell {
  periodId: number;
}

export interface ActivityRow {
  at: Date;
  username: string | null;
  action: string;
  agencyId: number | null;
}

export interface YearSubmissions {
  registrations: SubmissionCell[];
  reports: ReportCell[];
  sheets: SubmissionCell[];
  /** Per-agency extensions of the year's periods. */
  extensions: { periodId: number; agencyId: number; dueOn: string }[];
}

const toCell = (r: { agency_id: number; status: string; submitted_on: string | null; late_days: number | null }): SubmissionCell => ({
  agencyId: r.agency_id,
  status: r.status,
  submittedOn: r.submitted_on ?? null,
  lateDays: Number(r.late_days ?? 0),
});

/** The dashboard's data: a fixed number of queries for the whole bloc, never one per agency. */
export function dashboardRepo(db: Knex) {
  return {
    /** Every deliverable of a year (registration, both periods' reports, score sheets) in four queries. */
    async submissions(yearId: number): Promise<YearSubmissions> {
      const registrations = await db("registrations").where({ year_id: yearId }).select("agency_id", "status", "submitted_on", "late_days");
      const reports = await db("reports as r")
        .join("periods as p", "p.id", "r.period_id")
        .where("p.year_id", yearId)
        .select("r.period_id", "r.agency_id", "r.status", "r.submitted_on", "r.late_days");
      const sheets = await db("score_sheets").where({ year_id: yearId }).select("agency_id", "status", "submitted_on", "late_days");
      const extensions: { period_id: number; agency_id: number; due_on: string }[] = await db("period_extensions as e")
        .join("periods as p", "p.id", "e.period_id")
        .where("p.year_id", yearId)
        .select("e.period_id", "e.agency_id", "e.due_on");
      return {
        registrations: registrations.map(toCell),
        reports: reports.map((r) => ({ ...toCell(r), periodId: r.period_id as number })),
        sheets: sheets.map(toCell),
        extensions: extensions.map((e) => ({ periodId: e.period_id, agencyId: e.agency_id, dueOn: e.due_on })),
      };
    },
    /** The bloc's latest audit entries, newest first. */
    /** Read on every dashboard visit: prepared (its planning cost more than its run), on the bloc's index (migration 280). */
    async recentActivity(blocId: number, limit: number): Promise<ActivityRow[]> {
      const { rows } = await preparedRaw<{ at: Date; username: string | null; action: string; agency_id: number | null }>(db, RECENT_ACTIVITY_SQL, [blocId, limit]);
      return rows.map((r) => ({ at: r.at, username: r.username, action: r.action, agencyId: r.agency_id }));
    },
    /** The newest year of each of these blocs, in one query. */
    async latestYears(blocIds: number[]): Promise<Map<number, number>> {
      if (!blocIds.length) return new Map();
      const rows: { bloc_id: number; year: number | string }[] = await db("emulation_years")
        .whereIn("bloc_id", blocIds)
        .groupBy("bloc_id")
        .select("bloc_id", db.raw("max(year) as year"));
      return new Map(rows.map((r) => [r.bloc_id, Number(r.year)]));
    },
  };
}

export type DashboardRepo = ReturnType<typeof dashboardRepo>;
