import type { Knex } from "knex";

export interface SheetPatch {
  status?: "draft" | "submitted" | "returned" | "reviewed";
  submitted_at?: Date;
  submitted_on?: string;
  late_days?: number;
  reviewed_at?: Date | null;
  reviewed_by?: number | null;
  return_comment?: string | null;
  discipline_flag?: boolean;
  discipline_reason?: string | null;
}

export interface SelfEntry {
  criterionId: number;
  selfPoints: number | null;
  selfCount: number | null;
  evidence: string | null;
}

export interface BlocEntry {
  criterionId: number;
  blocPoints: number | null;
  blocCount: number | null;
  blocReason: string | null;
}

/** Writes of score sheets; reads of a whole year go through the ranking repo. */
export function sheetsRepo() {
  return {
    /** The sheet's id, creating an empty draft when the agency has none yet. */
    async ensureSheet(trx: Knex, yearId: number, agencyId: number): Promise<number> {
      const row = await trx("score_sheets").where({ year_id: yearId, agency_id: agencyId }).first("id");
      if (row) return row.id;
      const [{ id }] = await trx("score_sheets").insert({ year_id: yearId, agency_id: agencyId, status: "draft" }).returning("id");
      return id;
    },
    async saveSelf(trx: Knex, sheetId: number, entries: SelfEntry[]): Promise<void> {
      if (!entries.length) return;
      await trx("score_entries")
        .insert(entries.map((e) => ({
          sheet_id: sheetId, criterion_id: e.criterionId, self_points: e.selfPoints, self_count: e.selfCount, evidence: e.evidence,
        })))
        .onConflict(["sheet_id", "criterion_id"])
        .merge(["self_points", "self_count", "evidence"]);
    },
    async saveBloc(trx: Knex, sheetId: number, entries: BlocEntry[]): Promise<void> {
      if (!entries.length) return;
      await trx("score_entries")
        .insert(entries.map((e) => ({
          sheet_id: sheetId, criterion_id: e.criterionId, bloc_points: e.blocPoints, bloc_count: e.blocCount, bloc_reason: e.blocReason,
        })))
        .onConflict(["sheet_id", "criterion_id"])
        .merge(["bloc_points", "bloc_count", "bloc_reason"]);
    },
    /** Creates the agency's empty draft (version 1); a concurrent creation fails on the unique key. */
    async createSheet(trx: Knex, yearId: number, agencyId: number): Promise<{ id: number; version: number }> {
      const [row] = await trx("score_sheets").insert({ year_id: yearId, agency_id: agencyId, status: "draft" }).returning(["id", "version"]);
      return { id: row.id, version: row.version };
    },
    /**
     * Optimistic concurrency: applies only to the version the user saw and bumps it.
     * Returns false when someone else saved in between (nothing changed).
     */
    async updateSheet(trx: Knex, sheetId: number, expectedVersion: number, patch: SheetPatch): Promise<boolean> {
      const n = await trx("score_sheets")
        .where({ id: sheetId, version: expectedVersion })
        .update({ ...patch, updated_at: trx.fn.now(), version: trx.raw("version + 1") });
      return Number(n) === 1;
    },
    /** Who last changed the sheet and when (from the audit log), for the conflict message. */
    async lastChange(conn: Knex, sheetId: number): Promise<{ by: string; at: Date } | null> {
      const row = await conn("audit_log as l")
        .leftJoin("users as u", "u.id", "l.user_id")
        .where({ "l.entity": "score_sheet", "l.entity_id": String(sheetId) })
        .orderBy("l.id", "desc")
        .first("u.full_name", "l.username", "l.at");
      return row ? { by: row.full_name ?? row.username ?? "người khác", at: row.at } : null;
    },
    async extensionDueOn(trx: Knex, periodId: number, agencyId: number): Promise<string | null> {
      const row = await trx("period_extensions").where({ period_id: periodId, agency_id: agencyId }).first("due_on");
      return row?.due_on ?? null;
    },
  };
}

export type SheetsRepo = ReturnType<typeof sheetsRepo>;
