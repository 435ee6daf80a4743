import type { Knex } from "knex";
import { DELIVERABLE_NAMES } from "../years/deliverables.js";
import { RuleSetSchema, type CriterionDef, type Deliverable, type SheetStatus, type TieDecision } from "../scoring/index.js";
import type { RankingState } from "./ranking-service.js";
import { rankingResultRows } from "./ranking-results.js";

export interface SheetEntryRow {
  criterionId: number;
  selfPoints: number | null;
  blocPoints: number | null;
  selfCount: number | null;
  blocCount: number | null;
  evidence: string | null;
  blocReason: string | null;
}

export interface SheetRow {
  id: number;
  agencyId: number;
  status: Exclude<SheetStatus, "none">;
  submittedAt: Date | null;
  submittedOn: string | null;
  reviewedAt: Date | null;
  returnComment: string | null;
  disciplineFlag: boolean;
  disciplineReason: string | null;
  version: number;
  entries: SheetEntryRow[];
}

export interface BallotMeeting {
  heldOn: string;
  place: string;
  validBallots: number;
}

export interface VoteRow {
  agencyId: number;
  votesFor: number;
  validBallots: number;
}

export interface YearData {
  criteria: CriterionDef[];
  sheets: SheetRow[];
  /** Per agency: the year's required deliverables, for the late-report count. */
  deliverables: Map<number, Deliverable[]>;
  meeting: BallotMeeting | null;
  votes: VoteRow[];
  /** The meeting's choices between agencies tied for an award's last place. */
  decisions: TieDecision[];
}

export type SnapshotKind = "meeting" | "published";

/** What the late-report explanation calls each required deliverable (defined once, src/years/deliverables.ts). */
const DELIVERABLE_LABELS = {
  registration: DELIVERABLE_NAMES.registration.cause,
  six_month: DELIVERABLE_NAMES.six_month.cause,
  annual: DELIVERABLE_NAMES.annual.cause,
  sheet: DELIVERABLE_NAMES.score_sheet.cause,
} as const;

const jsonOf = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/**
 * Everything the ranking needs for one year, in a fixed number of queries (never one per agency).
 */
export function rankingRepo(db: Knex) {
  return {
    async loadYear(year: {
      id: number;
      registrationDueOn: string | null;
      agencyIds: number[];
    }): Promise<YearData> {
      const criteriaRows: {
        id: number; code: string; title: string; parent_id: number | null; kind: CriterionDef["kind"];
        max_points: string; auto_source: "late_reports" | null; sort_order: number;
      }[] = await db("criteria").where({ year_id: year.id }).orderBy(["sort_order", "id"]);
      const criteria: CriterionDef[] = criteriaRows.map((r) => ({
        id: r.id, code: r.code, title: r.title, parentId: r.parent_id, kind: r.kind,
        maxPoints: Number(r.max_points), autoSource: r.auto_source, sortOrder: r.sort_order,
      }));

      const sheetRows: {
        id: number; agency_id: number; status: SheetRow["status"]; submitted_at: Date | null; submitted_on: string | null;
        reviewed_at: Date | null; return_comment: string | null; discipline_flag: boolean; discipline_reason: string | null; version: number;
      }[] = await db("score_sheets").where({ year_id: year.id });
      const entryRows: {
        sheet_id: number; criterion_id: number; self_points: string | null; bloc_points: string | null;
        self_count: number | null; bloc_count: number | null; evidence: string | null; bloc_reason: string | null;
      }[] = await db("score_entries as e")
        .join("score_sheets as s", "s.id", "e.sheet_id")
        .where("s.year_id", year.id)
        .select("e.sheet_id", "e.criterion_id", "e.self_points", "e.bloc_points", "e.self_count", "e.bloc_count", "e.evidence", "e.bloc_reason");
      // Grouped once: filtering all entries for each sheet was O(sheets × entries).
      const entriesBySheet = new Map<number, typeof entryRows>();
      for (const e of entryRows) {
        const list = entriesBySheet.get(e.sheet_id);
        if (list) list.push(e);
        else entriesBySheet.set(e.sheet_id, [e]);
      }
      const sheets: SheetRow[] = sheetRows.map((s) => ({
        id: s.id, agencyId: s.agency_id, status: s.status, submittedAt: s.submitted_at, submittedOn: s.submitted_on,
        reviewedAt: s.reviewed_at, returnComment: s.return_comment, disciplineFlag: s.discipline_flag,
        disciplineReason: s.discipline_reason, version: s.version,
        entries: (entriesBySheet.get(s.id) ?? []).map((e) => ({
          criterionId: e.criterion_id, selfPoints: num(e.self_points), blocPoints: num(e.bloc_points),
          selfCount: e.self_count, blocCount: e.bloc_count, evidence: e.evidence, blocReason: e.bloc_reason ?? null,
        })),
      }));

      const periods: { id: number; kind: "six_month" | "annual"; due_on: string }[] = await db("periods").where({ year_id: year.id });
      const periodIds = periods.map((p) => p.id);
      const extensions: { period_id: number; agency_id: number; due_on: string }[] = await db("period_extensions").whereIn("period_id", periodIds);
      const registrations: { agency_id: number; submitted_on: string | null }[] = await db("registrations").where({ year_id: year.id }).select("agency_id", "submitted_on");
      const reports: { period_id: number; agency_id: number; submitted_on: string | null }[] = await db("reports").whereIn("period_id", periodIds).select("period_id", "agency_id", "submitted_on");

      const extensionOf = (periodId: number, agencyId: number) =>
        extensions.find((x) => x.period_id === periodId && x.agency_id === agencyId)?.due_on ?? null;
      const sixMonth = periods.find((p) => p.kind === "six_month");
      const annual = periods.find((p) => p.kind === "annual");
      const deliverables = new Map<number, Deliverable[]>();
      for (const agencyId of year.agencyIds) {
        const list: Deliverable[] = [];
        if (year.registrationDueOn) {
          const reg = registrations.find((r) => r.agency_id === agencyId);
          list.push({ label: DELIVERABLE_LABELS.registration, dueOn: year.registrationDueOn, extensionDueOn: null, submittedOn: reg?.submitted_on ?? null });
        }
        for (const period of [sixMonth, annual]) {
          if (!period) continue;
          const report = reports.find((r) => r.period_id === period.id && r.agency_id === agencyId);
          list.push({ label: DELIVERABLE_LABELS[period.kind], dueOn: period.due_on, extensionDueOn: extensionOf(period.id, agencyId), submittedOn: report?.submitted_on ?? null });
        }
        if (annual) {
          const sheet = sheets.find((s) => s.agencyId === agencyId);
          list.push({ label: DELIVERABLE_LABELS.sheet, dueOn: annual.due_on, extensionDueOn: extensionOf(annual.id, agencyId), submittedOn: sheet?.submittedOn ?? null });
        }
        deliverables.set(agencyId, list);
      }

      const meetingRow: { held_on: string; place: string; valid_ballots: number } | undefined = await db("ballot_meetings")
        .where({ year_id: year.id })
        .first("held_on", "place", "valid_ballots");
      const voteRows: { agency_id: number; votes_for: number; valid_ballots: number }[] = await db("votes").where({ year_id: year.id });
      const decisionRows: { award: TieDecision["award"]; tied_agency_ids: unknown; chosen_agency_ids: unknown; reason: string }[] =
        await db("tie_decisions").where({ year_id: year.id }).orderBy("award");
      return {
        decisions: decisionRows.map((d) => ({
          award: d.award, tiedAgencyIds: jsonOf<number[]>(d.tied_agency_ids), chosenAgencyIds: jsonOf<number[]>(d.chosen_agency_ids), reason: d.reason,
        })),
        criteria,
        sheets,
        deliverables,
        meeting: meetingRow ? { heldOn: meetingRow.held_on, place: meetingRow.place, validBallots: meetingRow.valid_ballots } : null,
        votes: voteRows.map((v) => ({ agencyId: v.agency_id, votesFor: v.votes_for, validBallots: v.valid_ballots })),
      };
    },

    /** A stored ranking (the meeting's or the published one), or null. */
    async snapshot(yearId: number, kind: SnapshotKind): Promise<RankingState | null> {
      const row: { payload: unknown; taken_at: Date } | undefined = await db("ranking_snapshots").where({ year_id: yearId, kind }).first("payload", "taken_at");
      if (!row) return null;
      const payload = jsonOf<Omit<RankingState, "source" | "takenAt">>(row.payload);
      // A snapshot stored before a rule existed gets the rule's default (e.g. objectionDays, issue 18).
      const rules = RuleSetSchema.safeParse(payload.rules);
      return { ...payload, rules: rules.success ? rules.data : payload.rules, source: kind, takenAt: new Date(row.taken_at).toISOString() };
    },
    /** Stores (or replaces) a snapshot inside the caller's transaction. */
    async saveSnapshot(trx: Knex, yearId: number, kind: SnapshotKind, state: RankingState, at: Date): Promise<void> {
      const { rules, input, result, meeting } = state;
      const payload = JSON.stringify({ rules, input, result, meeting });
      await trx("ranking_snapshots").insert({ year_id: yearId, kind, payload, taken_at: at }).onConflict(["year_id", "kind"]).merge();
      // The published result, one row per agency, beside its snapshot (the province's and history pages read these).
      if (kind === "published") {
        await trx("ranking_results").where({ year_id: yearId }).del();
        const rows = rankingResultRows(state).map((r) => ({
          year_id: yearId, kind, agency_id: r.agencyId, code: r.code, name: r.name, rank: r.rank,
          total: r.total === null ? null : r.total.toFixed(2), self_total: r.selfTotal === null ? null : r.selfTotal.toFixed(2), sheet_status: r.sheetStatus,
          classification: r.classification, award: r.award, votes_for: r.votesFor, valid_ballots: r.validBallots,
        }));
        if (rows.length) await trx("ranking_results").insert(rows);
      }
    },
    async deleteSnapshot(trx: Knex, yearId: number, kind: SnapshotKind): Promise<number> {
      return trx("ranking_snapshots").where({ year_id: yearId, kind }).del();
    },
    /** Records (or replaces) the meeting's choice for an award's tie, inside the caller's transaction. */
    async saveDecision(trx: Knex, yearId: number, decision: TieDecision, userId: number, at: Date): Promise<void> {
      await trx("tie_decisions")
        .insert({
          year_id: yearId, award: decision.award, tied_agency_ids: JSON.stringify(decision.tiedAgencyIds),
          chosen_agency_ids: JSON.stringify(decision.chosenAgencyIds), reason: decision.reason, decided_by: userId, decided_at: at,
        })
        .onConflict(["year_id", "award"])
        .merge();
    },
  };
}

export type RankingRepo = ReturnType<typeof rankingRepo>;
