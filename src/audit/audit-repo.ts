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
  before: unknown;
  after: unknown;
  ip: string | null;
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
      // Dates are days in Vietnam time (UTC+7, no daylight saving).
      if (f.from) q.where("l.at", ">=", `${f.from}T00:00:00+07:00`);
      if (f.to) q.whereRaw("l.at < (?::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'", [f.to]);
      if (f.blocIds) {
        const blocIds = f.blocIds;
        q.where((w) =>
          w.whereIn("l.bloc_id", blocIds).orWhereIn(
            "l.agency_id",
            db("bloc_memberships").whereIn("bloc_id", blocIds).select("agency_id"),
          ),
        );
      }
      const [count] = await q.clone().count("* as n");
      const rows = await q
        .select("l.id", "l.at", "l.username", "l.action", "l.entity", "l.entity_id", "a.short_name as agency_name", "l.before", "l.after", "l.ip")
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
          before: r.before,
          after: r.after,
          ip: r.ip,
        })),
      };
    },
  };
}

export type AuditRepo = ReturnType<typeof auditRepo>;
