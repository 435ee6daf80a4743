import type { Knex } from "knex";

export interface AuditEntry {
  userId: number | null;
  username: string | null;
  action: string;
  entity?: string | null;
  entityId?: string | number | null;
  blocId?: number | null;
  agencyId?: number | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

export interface AuditFilter {
  userId?: number;
  agencyId?: number;
  from?: string; // YYYY-MM-DD, Vietnam time
  to?: string;
  /** Limit to these blocs (a secretariat's); undefined = all (admin). */
  blocIds?: number[];
  /** Limit to these actions (the point changes a leader or observer may read); undefined = all. */
  actions?: readonly string[];
  limit: number;
  offset: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  username: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  agencyName: string | null;
  /** The period of a report's entry (e.g. "Đợt 2 — Tổng kết …"), when the entry is about a report. */
  periodTitle: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

/** The users of these blocs: their own accounts (secretariat, leader, observer) and their agencies' clerks. */
function usersOfBlocs(q: Knex.QueryBuilder, blocIds: number[]): Knex.QueryBuilder {
  return q
    .from("users")
    .whereIn("id", (s) => s.from("user_blocs").whereIn("bloc_id", blocIds).select("user_id"))
    .orWhereIn("agency_id", (s) => s.from("bloc_memberships").whereIn("bloc_id", blocIds).select("agency_id"))
    .select("id");
}

/** Entries of these blocs, about an agency of them, or made by one of their users (e.g. logins). */
function scopeToBlocs(q: Knex.QueryBuilder, blocIds: number[]): void {
  q.where((w) =>
    w
      .whereIn("l.bloc_id", blocIds)
      .orWhereIn("l.agency_id", (sub) => sub.from("bloc_memberships").whereIn("bloc_id", blocIds).select("agency_id"))
      .orWhereIn("l.user_id", (sub) => usersOfBlocs(sub, blocIds)),
  );
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export function auditRepo(db: Knex) {
  return {
    /** `conn` is the caller's transaction when the change and its record must land together. */
    async insert(e: AuditEntry, conn: Knex = db): Promise<void> {
      await conn("audit_log").insert({
        user_id: e.userId,
        username: e.username,
        action: e.action,
        entity: e.entity ?? null,
        entity_id: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
        bloc_id: e.blocId ?? null,
        agency_id: e.agencyId ?? null,
        before: json(e.before),
        after: json(e.after),
        ip: e.ip ?? null,
      });
    },
    async list(f: AuditFilter): Promise<{ rows: AuditRow[]; total: number }> {
      const q = db("audit_log as l").leftJoin("agencies as a", "a.id", "l.agency_id");
      if (f.userId) q.where("l.user_id", f.userId);
      if (f.agencyId) q.where("l.agency_id", f.agencyId);
      if (f.actions) q.whereIn("l.action", [...f.actions]);
      // Dates are days in Vietnam time (UTC+7, no daylight saving).
      if (f.from) q.where("l.at", ">=", `${f.from}T00:00:00+07:00`);
      if (f.to) q.whereRaw("l.at < (?::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'", [f.to]);
      if (f.blocIds) scopeToBlocs(q, f.blocIds);
      const [count] = await q.clone().count("* as n");
      const rows = await q
        // A report's entry names its period; entity_id is text, reports.id an integer.
        .leftJoin("reports as r", (j) => j.on("l.entity", "=", db.raw("'report'")).andOn(db.raw("l.entity_id = r.id::text")))
        .leftJoin("periods as p", "p.id", "r.period_id")
        .select("l.id", "l.at", "l.username", "l.action", "l.entity", "l.entity_id", "a.short_name as agency_name", "p.title as period_title", "l.before", "l.after", "l.ip")
        .orderBy("l.at", "desc")
        .orderBy("l.id", "desc")
        .limit(f.limit)
        .offset(f.offset);
      return {
        total: Number(count?.n ?? 0),
        rows: rows.map((r) => ({
          id: r.id,
          at: r.at,
          username: r.username,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          agencyName: r.agency_name,
          periodTitle: r.period_title ?? null,
          before: r.before,
          after: r.after,
          ip: r.ip,
        })),
      };
    },
    /** Everyone who may appear in the log of these blocs (all users, for the admin), to filter by any of them. */
    async actors(blocIds: number[] | undefined): Promise<{ id: number; username: string; fullName: string }[]> {
      const q = db("users as u").select("u.id", "u.username", "u.full_name");
      if (blocIds) q.whereIn("u.id", (sub) => usersOfBlocs(sub, blocIds));
      const rows = await q;
      return rows.map((r) => ({ id: r.id, username: r.username, fullName: r.full_name })).sort((x, y) => x.username.localeCompare(y.username, "vi"));
    },
    /** The agencies of these blocs (all, for the admin), to filter by. */
    async agencies(blocIds: number[] | undefined): Promise<{ id: number; name: string }[]> {
      const q = db("agencies as a").select("a.id", "a.name").orderBy("a.id");
      if (blocIds) q.whereIn("a.id", (sub) => sub.from("bloc_memberships").whereIn("bloc_id", blocIds).select("agency_id"));
      return q;
    },
    /** The codes of these criteria (e.g. "1.1"), by id. */
    async criterionCodes(ids: number[]): Promise<Map<number, string>> {
      if (!ids.length) return new Map();
      const rows = await db("criteria").whereIn("id", ids).select("id", "code");
      return new Map(rows.map((r) => [r.id as number, r.code as string]));
    },
  };
}

export type AuditRepo = ReturnType<typeof auditRepo>;
