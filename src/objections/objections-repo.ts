import type { Knex } from "knex";

export type ObjectionStatus = "pending" | "accepted" | "rejected";
export type ObjectionTopic = "points" | "proposal";

export interface Objection {
  id: number;
  yearId: number;
  agencyId: number;
  subjectAgencyId: number;
  topic: ObjectionTopic;
  reasons: string;
  status: ObjectionStatus;
  answer: string | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  reopenedAt: Date | null;
  filedBy: string;
  filedAt: Date;
}

export interface ObjectionFile {
  id: number;
  filename: string;
  mimeType: string;
  sizeBytes: number;
}

interface Row {
  id: number;
  year_id: number;
  agency_id: number;
  subject_agency_id: number;
  topic: ObjectionTopic;
  reasons: string;
  status: ObjectionStatus;
  answer: string | null;
  answered_at: Date | null;
  answered_by_name: string | null;
  reopened_at: Date | null;
  filed_by_name: string;
  filed_at: Date;
}

const toObjection = (r: Row): Objection => ({
  id: r.id, yearId: r.year_id, agencyId: r.agency_id, subjectAgencyId: r.subject_agency_id, topic: r.topic, reasons: r.reasons,
  status: r.status, answer: r.answer, answeredAt: r.answered_at, answeredBy: r.answered_by_name, reopenedAt: r.reopened_at,
  filedBy: r.filed_by_name, filedAt: r.filed_at,
});

/** The objections (kiến nghị) to a year's ranking, with their files; callers pass their transaction for writes. */
export function objectionsRepo(db: Knex) {
  const base = (conn: Knex) =>
    conn("objections as o")
      .join("users as f", "f.id", "o.filed_by")
      .leftJoin("users as a", "a.id", "o.answered_by")
      .select("o.*", "f.full_name as filed_by_name", "a.full_name as answered_by_name");

  return {
    async list(yearId: number): Promise<Objection[]> {
      return ((await base(db).where("o.year_id", yearId).orderBy("o.id")) as Row[]).map(toObjection);
    },
    async find(yearId: number, id: number, conn: Knex = db): Promise<Objection | undefined> {
      const row = (await base(conn).where({ "o.year_id": yearId, "o.id": id }).first()) as Row | undefined;
      return row && toObjection(row);
    },
    /** Counts for the ranking's standing: waiting for an answer; accepted since `publishedAt` and not yet reopened. */
    async counts(yearId: number, publishedAt: Date | null, conn: Knex = db): Promise<{ pending: number; awaitingReopen: number }> {
      const row = await conn("objections")
        .where({ year_id: yearId })
        .first(
          conn.raw("count(*) filter (where status = 'pending')::int as pending"),
          publishedAt
            ? conn.raw("count(*) filter (where status = 'accepted' and reopened_at is null and filed_at >= ?)::int as awaiting", [publishedAt])
            : conn.raw("0 as awaiting"),
        );
      return { pending: Number(row?.pending ?? 0), awaitingReopen: Number(row?.awaiting ?? 0) };
    },
    async insert(trx: Knex, o: { yearId: number; agencyId: number; subjectAgencyId: number; topic: ObjectionTopic; reasons: string; userId: number; at: Date }): Promise<number> {
      const [{ id }] = await trx("objections")
        .insert({ year_id: o.yearId, agency_id: o.agencyId, subject_agency_id: o.subjectAgencyId, topic: o.topic, reasons: o.reasons, filed_by: o.userId, filed_at: o.at })
        .returning("id");
      return id;
    },
    /** Answers a pending objection; false when it was answered meanwhile. */
    async answer(trx: Knex, id: number, a: { status: "accepted" | "rejected"; answer: string; userId: number; at: Date }): Promise<boolean> {
      const n = await trx("objections").where({ id, status: "pending" }).update({ status: a.status, answer: a.answer, answered_by: a.userId, answered_at: a.at, updated_at: trx.fn.now() });
      return n === 1;
    },
    async markReopened(trx: Knex, id: number, at: Date): Promise<boolean> {
      const n = await trx("objections").where({ id, status: "accepted" }).whereNull("reopened_at").update({ reopened_at: at, updated_at: trx.fn.now() });
      return n === 1;
    },
    async addFile(trx: Knex, f: { objectionId: number; filename: string; mimeType: string; content: Buffer; sha256: string; userId: number }): Promise<number> {
      const [{ id }] = await trx("objection_attachments")
        .insert({ objection_id: f.objectionId, filename: f.filename, mime_type: f.mimeType, size_bytes: f.content.length, sha256: f.sha256, content: f.content, uploaded_by: f.userId })
        .returning("id");
      return id;
    },
    async files(objectionIds: number[]): Promise<Map<number, ObjectionFile[]>> {
      const out = new Map<number, ObjectionFile[]>();
      if (!objectionIds.length) return out;
      const rows = await db("objection_attachments").whereIn("objection_id", objectionIds).orderBy("id").select("id", "objection_id", "filename", "mime_type", "size_bytes");
      for (const r of rows) out.set(r.objection_id, [...(out.get(r.objection_id) ?? []), { id: r.id, filename: r.filename, mimeType: r.mime_type, sizeBytes: r.size_bytes }]);
      return out;
    },
    async file(objectionId: number, id: number): Promise<(ObjectionFile & { content: Buffer }) | undefined> {
      const r = await db("objection_attachments").where({ objection_id: objectionId, id }).first();
      return r && { id: r.id, filename: r.filename, mimeType: r.mime_type, sizeBytes: r.size_bytes, content: r.content };
    },
  };
}

export type ObjectionsRepo = ReturnType<typeof objectionsRepo>;
