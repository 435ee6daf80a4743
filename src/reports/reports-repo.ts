import type { Knex } from "knex";
import type { SubmissionStatus } from "./workflow.js";

export interface ReportContent {
  sections: Record<string, { done: string; results: string; figures: string }>;
  general: string;
  shortcomings: string;
  proposals: string;
}

export interface Report {
  id: number;
  periodId: number;
  agencyId: number;
  status: SubmissionStatus;
  content: ReportContent;
  submittedAt: Date | null;
  submittedOn: string | null;
  lateDays: number;
  returnComment: string | null;
  returnedAt: Date | null;
  acceptedAt: Date | null;
  version: number;
  updatedAt: Date;
}

export interface AttachmentMeta {
  id: number;
  reportId: number;
  kind: "signed_scan" | "other";
  filename: string;
  mimeType: string;
  sizeBytes: number;
  createdAt: Date;
}

export interface VersionRow {
  number: number;
  content: ReportContent;
  submittedAt: Date;
  submittedBy: string | null;
  /** The comment this version was returned with (each return keeps its own). */
  returnComment: string | null;
  returnedAt: Date | null;
  returnedBy: string | null;
}

const EMPTY: ReportContent = { sections: {}, general: "", shortcomings: "", proposals: "" };

function parseContent(v: unknown): ReportContent {
  const c = (typeof v === "string" ? JSON.parse(v) : v) as Partial<ReportContent> | null;
  return { ...EMPTY, ...(c ?? {}), sections: c?.sections ?? {} };
}

function toReport(r: Record<string, unknown>): Report {
  return {
    id: r.id as number,
    periodId: r.period_id as number,
    agencyId: r.agency_id as number,
    status: r.status as SubmissionStatus,
    content: parseContent(r.content),
    submittedAt: (r.submitted_at as Date | null) ?? null,
    submittedOn: (r.submitted_on as string | null) ?? null,
    lateDays: r.late_days as number,
    returnComment: (r.return_comment as string | null) ?? null,
    returnedAt: (r.returned_at as Date | null) ?? null,
    acceptedAt: (r.accepted_at as Date | null) ?? null,
    version: r.version as number,
    updatedAt: r.updated_at as Date,
  };
}

const ATTACHMENT_COLUMNS = ["id", "report_id", "kind", "filename", "mime_type", "size_bytes", "created_at"];
const toAttachment = (r: Record<string, unknown>): AttachmentMeta => ({
  id: r.id as number,
  reportId: r.report_id as number,
  kind: r.kind as AttachmentMeta["kind"],
  filename: r.filename as string,
  mimeType: r.mime_type as string,
  sizeBytes: r.size_bytes as number,
  createdAt: r.created_at as Date,
});

export function reportsRepo(db: Knex) {
  return {
    async extensionDueOn(periodId: number, agencyId: number, conn: Knex = db): Promise<string | null> {
      return (await conn("period_extensions").where({ period_id: periodId, agency_id: agencyId }).first("due_on"))?.due_on ?? null;
    },
    async find(periodId: number, agencyId: number, conn: Knex = db): Promise<Report | undefined> {
      const row = await conn("reports").where({ period_id: periodId, agency_id: agencyId }).first();
      return row && toReport(row);
    },
    /** Every report of a period with each agency's extension, in one query. */
    async listForPeriod(periodId: number): Promise<(Report & { extensionDueOn: string | null })[]> {
      const rows = await db("reports as r")
        .leftJoin("period_extensions as e", function () {
          this.on("e.period_id", "r.period_id").andOn("e.agency_id", "r.agency_id");
        })
        .where("r.period_id", periodId)
        .select("r.*", "e.due_on as extension_due_on");
      return rows.map((r) => ({ ...toReport(r), extensionDueOn: r.extension_due_on ?? null }));
    },
    async extensionsForPeriod(periodId: number): Promise<Map<number, string>> {
      const rows: { agency_id: number; due_on: string }[] = await db("period_extensions").where({ period_id: periodId }).select("agency_id", "due_on");
      return new Map(rows.map((r) => [r.agency_id, r.due_on]));
    },
    async insert(trx: Knex, r: { periodId: number; agencyId: number; status: SubmissionStatus; content: ReportContent; userId: number }): Promise<Report> {
      const [row] = await trx("reports")
        .insert({ period_id: r.periodId, agency_id: r.agencyId, status: r.status, content: JSON.stringify(r.content), updated_by: r.userId })
        .returning("*");
      return toReport(row);
    },
    /**
     * Optimistic concurrency: the update applies only to the version the user saw.
     * Returns the new row, or undefined when someone else changed it first.
     */
    async update(trx: Knex, id: number, expectedVersion: number, patch: Record<string, unknown>): Promise<Report | undefined> {
      const [row] = await trx("reports")
        .where({ id, version: expectedVersion })
        .update({ ...patch, version: expectedVersion + 1, updated_at: trx.fn.now() })
        .returning("*");
      return row && toReport(row);
    },
    async addVersion(trx: Knex, reportId: number, content: ReportContent, at: Date, userId: number): Promise<number> {
      const [max] = await trx("report_versions").where({ report_id: reportId }).max("number as n");
      const number = Number(max?.n ?? 0) + 1;
      await trx("report_versions").insert({ report_id: reportId, number, content: JSON.stringify(content), submitted_at: at, submitted_by: userId });
      return number;
    },
    /** Keeps the return's comment on the version it answers (the latest submitted one). */
    async markLatestVersionReturned(trx: Knex, reportId: number, comment: string, at: Date, userId: number): Promise<void> {
      const latest = trx("report_versions").where({ report_id: reportId }).max("number");
      await trx("report_versions").where({ report_id: reportId }).andWhere("number", "=", latest).update({ return_comment: comment, returned_at: at, returned_by: userId });
    },
    async versions(reportId: number): Promise<VersionRow[]> {
      const rows = await db("report_versions as v")
        .leftJoin("users as u", "u.id", "v.submitted_by")
        .where("v.report_id", reportId)
        .orderBy("v.number")
        .leftJoin("users as ru", "ru.id", "v.returned_by")
        .select("v.number", "v.content", "v.submitted_at", "u.full_name", "v.return_comment", "v.returned_at", "ru.full_name as returned_by_name");
      return rows.map((r) => ({
        number: r.number, content: parseContent(r.content), submittedAt: r.submitted_at, submittedBy: r.full_name ?? null,
        returnComment: r.return_comment ?? null, returnedAt: r.returned_at ?? null, returnedBy: r.returned_by_name ?? null,
      }));
    },
    async attachments(reportId: number): Promise<AttachmentMeta[]> {
      return (await db("report_attachments").where({ report_id: reportId }).orderBy("id").select(ATTACHMENT_COLUMNS)).map(toAttachment);
    },
    async attachment(reportId: number, id: number): Promise<(AttachmentMeta & { content: Buffer }) | undefined> {
      const row = await db("report_attachments").where({ report_id: reportId, id }).first([...ATTACHMENT_COLUMNS, "content"]);
      return row && { ...toAttachment(row), content: row.content as Buffer };
    },
    async addAttachment(trx: Knex, a: { reportId: number; kind: string; filename: string; mimeType: string; content: Buffer; sha256: string; userId: number }): Promise<number> {
      const [{ id }] = await trx("report_attachments")
        .insert({ report_id: a.reportId, kind: a.kind, filename: a.filename, mime_type: a.mimeType, size_bytes: a.content.length, sha256: a.sha256, content: a.content, uploaded_by: a.userId })
        .returning("id");
      return id;
    },
    /** The code of the year's criterion deducted automatically for late reports (e.g. "6.1"), if any. */
    async lateReportCriterionCode(yearId: number): Promise<string | null> {
      const row = await db("criteria").where({ year_id: yearId, auto_source: "late_reports" }).first("code");
      return (row?.code as string | undefined) ?? null;
    },
    /** How many files, and how many bytes, the report holds (for its quota). */
    async attachmentUsage(trx: Knex, reportId: number): Promise<{ count: number; bytes: number }> {
      const row = await trx("report_attachments").where({ report_id: reportId }).first(trx.raw("count(*) as n"), trx.raw("coalesce(sum(size_bytes), 0) as bytes"));
      return { count: Number(row?.n ?? 0), bytes: Number(row?.bytes ?? 0) };
    },
    /** Locks the report's row until the transaction ends; false when it is gone. */
    async lockForAttachments(trx: Knex, reportId: number): Promise<boolean> {
      return Boolean(await trx("reports").where({ id: reportId }).forUpdate().first("id"));
    },
    async deleteAttachment(trx: Knex, reportId: number, id: number): Promise<number> {
      return trx("report_attachments").where({ report_id: reportId, id }).del();
    },
  };
}

export type ReportsRepo = ReturnType<typeof reportsRepo>;
