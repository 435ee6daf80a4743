import { createHash } from "node:crypto";
import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { access, hasRight } from "../auth/access.js";
import { assertMayReview, mayReviewAgency, whoReviews } from "../years/reviewers.js";
import type { AuditService } from "../audit/audit-service.js";
import type { YearsService, YearContext } from "../years/years-service.js";
import { ConflictError, NotFoundError, RuleViolationError } from "../errors.js";
import { localDate } from "../lib/dates.js";
import { effectiveDueOn } from "../scoring/index.js";
import type { ReportContent, ReportsRepo, Report } from "./reports-repo.js";
import { isEditableByAgency, lateness, nextStatus, STATUS_LABELS } from "./workflow.js";
import { detectAllowedType, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_TOTAL_BYTES, MAX_ATTACHMENTS_PER_REPORT, storedFilename } from "./attachments.js";
import { messages } from "./messages.js";
import { noYearCache, type ComputedYearCache } from "../years/year-cache.js";
import type { NotificationsService } from "../notifications/notifications-service.js";
import { acceptedDraft, reportTitle, returnedDraft } from "../notifications/messages.js";

export interface ReportTarget {
  blocCode: string;
  year: number;
  period: number;
  agencyCode: string;
}

export interface Campaign {
  code: string;
  title: string;
}

export type AttachmentKind = "signed_scan" | "other";
export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}
interface PreparedAttachment {
  kind: AttachmentKind;
  filename: string;
  mimeType: string;
  content: Buffer;
  sha256: string;
}
export interface SaveInput {
  content: ReportContent;
  version: number | null;
  action: "save" | "submit" | "attach";
  file?: UploadedFile;
  kind?: AttachmentKind;
}

/** The quota refused the file: the whole step (the draft's save with it) is rolled back. */
class QuotaExceeded extends Error {}

export type SaveOutcome =
  | { ok: true; status: string; lateDays: number }
  | { ok: false; errors: Record<string, string[]> }
  | { ok: false; conflict: true };

interface Opened {
  ctx: YearContext;
  period: YearContext["periods"][number];
  agency: YearContext["agencies"][number];
  report: Report | undefined;
  extensionDueOn: string | null;
}

export function reportsService(deps: { db: Knex; repo: ReportsRepo; years: YearsService; audit: AuditService; notifications: NotificationsService; now: () => Date; cache?: ComputedYearCache }) {
  const { db, repo, years, audit, notifications, now } = deps;
  const cache = deps.cache ?? noYearCache;

  async function campaignsOf(yearId: number): Promise<Campaign[]> {
    return db("campaigns").where({ year_id: yearId }).orderBy("sort_order").select("code", "title");
  }

  /** Loads the report of one agency in one period, as `user` may see it (404 otherwise). */
  async function open(user: User, t: ReportTarget): Promise<Opened> {
    const ctx = await years.open(user, t.blocCode, t.year);
    const agency = ctx.agencies.find((a) => a.code === t.agencyCode);
    if (!agency) throw new NotFoundError();
    access.assertAgencyRecord(user, { agencyId: agency.id, blocId: ctx.bloc.id });
    const period = ctx.periods.find((p) => p.number === t.period);
    if (!period) throw new NotFoundError();
    // Read once per revision of the year (issue 16); a posted form opens the year afresh, so its revision is current.
    const { report, extensionDueOn } = await cache.memo(ctx.year.id, ctx.year.revision, `report:${period.id}:${agency.id}`, async () => ({
      report: await repo.find(period.id, agency.id),
      extensionDueOn: await repo.extensionDueOn(period.id, agency.id),
    }));
    return { ctx, period, agency, report, extensionDueOn };
  }

  function headName(ctx: YearContext): string {
    return ctx.agencies.find((a) => a.id === ctx.year.headAgencyId)?.shortName ?? "Trưởng khối";
  }

  function assertAgencyMayChange(user: User, o: Opened): void {
    access.assertOwnAgency(user, o.agency.id);
    if (o.period.locked) throw new RuleViolationError(messages.locked(headName(o.ctx)));
  }

  /** Checks a file to attach (type by content, size); the row to insert, or the message for the form. */
  async function prepareAttachment(file: UploadedFile | undefined, kind: AttachmentKind): Promise<{ error: string } | { row: PreparedAttachment }> {
    if (!file || file.buffer.length === 0) return { error: messages.fileMissing };
    if (file.buffer.length > MAX_ATTACHMENT_BYTES) return { error: messages.fileTooLarge };
    const type = await detectAllowedType(file.buffer, kind);
    if (!type) return { error: messages.fileType };
    return {
      row: {
        kind, filename: storedFilename(file.originalname, type.extension), mimeType: type.mimeType, content: file.buffer,
        sha256: createHash("sha256").update(file.buffer).digest("hex"),
      },
    };
  }

  /** Inserts a checked file into the report inside `trx`, within the report's quota. */
  async function insertAttachment(trx: Knex, user: User, o: Opened, reportId: number, a: PreparedAttachment, ip?: string): Promise<{ error?: string }> {
    const usage = await repo.attachmentUsage(trx, reportId);
    if (usage.count + 1 > MAX_ATTACHMENTS_PER_REPORT) return { error: messages.quotaCount };
    if (usage.bytes + a.content.length > MAX_ATTACHMENT_TOTAL_BYTES) return { error: messages.quotaBytes(usage.bytes) };
    const id = await repo.addAttachment(trx, { reportId, ...a, userId: user.id });
    await audit.record({ userId: user.id, username: user.username, action: "report.attach", entity: "report_attachment", entityId: id, blocId: o.ctx.bloc.id, agencyId: o.agency.id, after: { filename: a.filename, kind: a.kind, size: a.content.length }, ip }, trx);
    return {};
  }

  /**
   * Saves the agency's draft or submits it; "attach" saves the draft and adds a file in the same
   * transaction, so typed text is never lost to an upload. A submission keeps a version; the
   * first one fixes the lateness. Version mismatch (someone saved in between) → conflict, nothing saved.
   */
  async function saveAsAgency(user: User, t: ReportTarget, input: SaveInput, ip?: string): Promise<SaveOutcome> {
    const o = await open(user, t);
    assertAgencyMayChange(user, o);
    if (input.action === "submit" && !input.content.general.trim()) return { ok: false, errors: { general: [messages.generalRequired] } };
    let prepared: PreparedAttachment | null = null;
    if (input.action === "attach") {
      const checked = await prepareAttachment(input.file, input.kind ?? "other");
      if ("error" in checked) return { ok: false, errors: { file: [checked.error] } };
      prepared = checked.row;
    }
    const current = o.report;
    if (current && !isEditableByAgency(current.status)) {
      if (input.action === "submit" && current.status === "submitted") return { ok: false, conflict: true };
      throw new RuleViolationError(messages.notEditable);
    }
    if (current && input.version !== current.version) return { ok: false, conflict: true };
    const status = nextStatus(current?.status ?? null, input.action === "submit" ? "submit" : "save");
    if (!status) throw new RuleViolationError(messages.notEditable);
    const at = now();
    // A save that lost the race inside the transaction (another process updated first) is
    // rolled back and answered like a stale form: the typed text is shown again, nothing saved.
    return db.transaction(async (trx): Promise<SaveOutcome> => {
      let saved = current ?? (await repo.insert(trx, { periodId: o.period.id, agencyId: o.agency.id, status: "draft", content: input.content, userId: user.id }));
      const patch: Record<string, unknown> = { status, content: JSON.stringify(input.content), updated_by: user.id };
      if (input.action === "submit") {
        const firstOn = saved.submittedOn ?? localDate(at);
        Object.assign(patch, {
          submitted_at: at,
          submitted_on: firstOn,
          late_days: lateness(firstOn, o.period.dueOn, o.extensionDueOn),
        });
      }
      const updated = await repo.update(trx, saved.id, saved.version, patch);
      if (!updated) throw new ConflictError(messages.conflict);
      saved = updated;
      if (input.action === "submit") await repo.addVersion(trx, saved.id, input.content, at, user.id);
      await audit.record(
        {
          userId: user.id, username: user.username, action: input.action === "submit" ? "report.submit" : "report.save",
          entity: "report", entityId: saved.id, blocId: o.ctx.bloc.id, agencyId: o.agency.id,
          before: current ? { status: current.status, content: current.content } : null,
          after: { status: saved.status, content: input.content, lateDays: saved.lateDays }, ip,
        },
        trx,
      );
      if (prepared) {
        const added = await insertAttachment(trx, user, o, saved.id, prepared, ip);
        if (added.error) throw new QuotaExceeded(added.error);
      }
      return { ok: true as const, status: saved.status, lateDays: saved.lateDays };
    }).catch((e: unknown): SaveOutcome => {
      // ConflictError: the version moved on; 23505: two first saves created the report at once.
      if (e instanceof ConflictError || (e as { code?: string }).code === "23505") return { ok: false, conflict: true };
      if (e instanceof QuotaExceeded) return { ok: false, errors: { file: [e.message] } };
      throw e;
    });
  }

  return {
    open,
    campaignsOf,
    saveAsAgency,

    /**
     * An agency's reports of the year, to review its score sheet beside them: per period the
     * due date, the real submission date, lateness (or days overdue), the state and the files.
     * The caller has already checked that the user may read this agency's records.
     */
    async yearReportsOf(ctx: YearContext, agency: { id: number; code: string }) {
      const today = localDate(now());
      const out = [];
      // The agency's reports, extensions and files of the year: read once per revision of the year (issue 16).
      const stored = await cache.memo(ctx.year.id, ctx.year.revision, `agency-reports:${agency.id}`, async () => {
        const rows = [];
        for (const period of ctx.periods) {
          const [report, extension] = [await repo.find(period.id, agency.id), await repo.extensionDueOn(period.id, agency.id)];
          rows.push({ report, extension, attachments: report ? await repo.attachments(report.id) : [] });
        }
        return rows;
      });
      for (const [i, period] of ctx.periods.entries()) {
        const { report, extension, attachments } = stored[i]!;
        const dueOn = effectiveDueOn(period.dueOn, extension);
        const href = `${ctx.basePath}/periods/${period.number}/reports/${agency.code}`;
        const waiting = !report?.submittedOn;
        out.push({
          number: period.number,
          kind: period.kind,
          title: period.title,
          dueOn,
          status: report?.status ?? "missing",
          statusLabel: STATUS_LABELS[report?.status ?? "missing"],
          submittedOn: report?.submittedOn ?? null,
          lateDays: report?.lateDays ?? 0,
          overdueDays: waiting && today > dueOn ? lateness(today, dueOn, null) : 0,
          href,
          attachments: attachments.map((a) => ({ ...a, href: `${href}/attachments/${a.id}` })),
        });
      }
      return out;
    },

    /** 404 / 403 (or the lock's 409) before a posted form is read. */
    async assertCanPost(user: User, t: ReportTarget, kind: "save" | "review", ip?: string): Promise<void> {
      const o = await open(user, t);
      if (kind === "save") assertAgencyMayChange(user, o);
      else {
        access.assertSecretariat(user, o.ctx.bloc.id);
        await assertMayReview({ audit }, user, o.ctx, { agencyId: o.agency.id, thing: "report", entityId: o.report?.id ?? null }, ip);
      }
    },

    /**
     * What sending will do, to confirm before it happens: the lateness it fixes (and the
     * deduction under the criterion counted from it), and a missing signed scan.
     */
    async submitPreview(user: User, t: ReportTarget, content: ReportContent) {
      const o = await open(user, t);
      assertAgencyMayChange(user, o);
      if (!content.general.trim()) return { errors: { general: [messages.generalRequired] } };
      if (o.report && !isEditableByAgency(o.report.status)) throw new RuleViolationError(messages.notEditable);
      const [attachments, lateCriterion] = await Promise.all([
        o.report ? repo.attachments(o.report.id) : Promise.resolve([]),
        repo.lateReportCriterionCode(o.ctx.year.id),
      ]);
      const dueOn = effectiveDueOn(o.period.dueOn, o.extensionDueOn);
      // A resubmission keeps the lateness of the first submission.
      const firstOn = o.report?.submittedOn ?? localDate(now());
      const lateDays = lateness(firstOn, o.period.dueOn, o.extensionDueOn);
      return {
        ...o,
        dueOn,
        lateDays,
        resubmission: Boolean(o.report?.submittedOn),
        lateCriterion,
        latePoints: o.ctx.year.rules.lateReportPoints,
        hasSignedScan: attachments.some((a) => a.kind === "signed_scan"),
        attachmentCount: attachments.length,
        basePath: `${o.ctx.basePath}/periods/${o.period.number}/reports/${o.agency.code}`,
      };
    },

    /** The page's view model: what the form or the reading view needs, already labelled. */
    async page(user: User, t: ReportTarget) {
      const o = await open(user, t);
      const { ctx, report } = o;
      const [campaigns, { attachments, versions }] = await Promise.all([
        cache.memo(ctx.year.id, ctx.year.revision, "campaigns", () => campaignsOf(ctx.year.id)),
        cache.memo(ctx.year.id, ctx.year.revision, `report-files:${report?.id ?? 0}`, async () => ({
          attachments: report ? await repo.attachments(report.id) : [],
          versions: report ? await repo.versions(report.id) : [],
        })),
      ]);
      const isOwnClerk = hasRight(user, "agency.submit") && user.agencyId === o.agency.id;
      const status = o.report?.status ?? null;
      return {
        ...o,
        campaigns,
        attachments,
        versions,
        statusLabel: STATUS_LABELS[status ?? "missing"],
        dueOn: effectiveDueOn(o.period.dueOn, o.extensionDueOn),
        canEdit: isOwnClerk && !o.period.locked && isEditableByAgency(status),
        lockedMessage: o.period.locked ? messages.locked(headName(o.ctx)) : null,
        canReview: hasRight(user, "bloc.manage") && status === "submitted" && mayReviewAgency(user, o.ctx, o.agency.id),
        reviewer: whoReviews(o.ctx, o.agency.id),
        basePath: `${o.ctx.basePath}/periods/${o.period.number}/reports/${o.agency.code}`,
      };
    },

    /** The secretariat returns a submitted report with its comment, or accepts it. */
    async review(user: User, t: ReportTarget, input: { action: "return" | "accept"; comment: string; version: number }, ip?: string): Promise<{ errors?: Record<string, string[]> }> {
      const o = await open(user, t);
      access.assertSecretariat(user, o.ctx.bloc.id);
      await assertMayReview({ audit }, user, o.ctx, { agencyId: o.agency.id, thing: "report", entityId: o.report?.id ?? null }, ip);
      const current = o.report;
      const status = current ? nextStatus(current.status, input.action) : null;
      if (!current || !status) throw new RuleViolationError(messages.cannotReview);
      if (input.action === "return" && !input.comment.trim()) return { errors: { comment: [messages.commentRequired] } };
      if (input.version !== current.version) throw new ConflictError(messages.conflict);
      await db.transaction(async (trx) => {
        const at = now();
        const patch = input.action === "return" ? { status, return_comment: input.comment.trim(), returned_at: at } : { status, accepted_at: at };
        if (!(await repo.update(trx, current.id, current.version, patch))) throw new ConflictError(messages.conflict);
        if (input.action === "return") await repo.markLatestVersionReturned(trx, current.id, input.comment.trim(), at, user.id);
        await audit.record(
          { userId: user.id, username: user.username, action: `report.${input.action}`, entity: "report", entityId: current.id, blocId: o.ctx.bloc.id, agencyId: o.agency.id, before: { status: current.status }, after: { status, comment: input.action === "return" ? input.comment.trim() : undefined }, ip },
          trx,
        );
        const link = `${o.ctx.basePath}/periods/${o.period.number}/reports/${o.agency.code}`;
        const what = reportTitle(o.period.title);
        await notifications.notifyAgency(
          trx,
          o.agency.id,
          input.action === "return"
            ? returnedDraft(what, input.comment.trim(), link, `report:${current.id}:v${current.version + 1}:returned`)
            : acceptedDraft(what, link, `report:${current.id}:accepted`),
        );
      });
      return {};
    },

    /** Per period: every agency of the year with its report's state; missing ones first in the reminder list. */
    async periodOverview(user: User, blocCode: string, year: number, periodNumber: number) {
      const ctx = await years.open(user, blocCode, year);
      if (!access.isBlocReader(user)) throw new NotFoundError();
      const period = ctx.periods.find((p) => p.number === periodNumber);
      if (!period) throw new NotFoundError();
      const [reports, extensions] = [await repo.listForPeriod(period.id), await repo.extensionsForPeriod(period.id)];
      const byAgency = new Map(reports.map((r) => [r.agencyId, r]));
      const today = localDate(now());
      const rows = ctx.agencies.map((a) => {
        const r = byAgency.get(a.id);
        const dueOn = effectiveDueOn(period.dueOn, extensions.get(a.id) ?? null);
        const notIn = !r || r.status === "draft" || r.status === "returned";
        return {
          agency: a,
          status: r?.status ?? "missing",
          statusLabel: STATUS_LABELS[r?.status ?? "missing"],
          submittedAt: r?.submittedAt ?? null,
          lateDays: r?.lateDays ?? 0,
          dueOn,
          extended: extensions.has(a.id),
          overdueDays: notIn && today > dueOn ? lateness(today, dueOn, null) : 0,
          returnComment: r?.status === "returned" ? r.returnComment : null,
          href: `${ctx.basePath}/periods/${period.number}/reports/${a.code}`,
        };
      });
      return { ctx, period, rows, missing: rows.filter((r) => r.status === "missing" || r.status === "draft" || r.status === "returned") };
    },

    /** Adds one file to the report (the upload made by the page's script, without the typed text). */
    async addAttachment(user: User, t: ReportTarget, file: UploadedFile | undefined, kind: AttachmentKind, ip?: string): Promise<{ error?: string }> {
      const o = await open(user, t);
      assertAgencyMayChange(user, o);
      if (o.report && !isEditableByAgency(o.report.status)) throw new RuleViolationError(messages.notEditable);
      const checked = await prepareAttachment(file, kind);
      if ("error" in checked) return checked;
      return db.transaction(async (trx) => {
        const report = o.report ?? (await repo.insert(trx, { periodId: o.period.id, agencyId: o.agency.id, status: "draft", content: { sections: {}, general: "", shortcomings: "", proposals: "" }, userId: user.id }));
        // Locks the report row so two uploads at once cannot both pass the quota.
        if (o.report && !(await repo.lockForAttachments(trx, report.id))) throw new NotFoundError();
        const added = await insertAttachment(trx, user, o, report.id, checked.row, ip);
        if (added.error) throw new QuotaExceeded(added.error);
        return {};
      }).catch((e: unknown) => {
        if (e instanceof QuotaExceeded) return { error: e.message };
        throw e;
      });
    },

    async removeAttachment(user: User, t: ReportTarget, id: number, ip?: string): Promise<void> {
      const o = await open(user, t);
      assertAgencyMayChange(user, o);
      if (!o.report || !isEditableByAgency(o.report.status)) throw new RuleViolationError(messages.notEditable);
      const report = o.report;
      await db.transaction(async (trx) => {
        if (!(await repo.deleteAttachment(trx, report.id, id))) throw new NotFoundError();
        await audit.record({ userId: user.id, username: user.username, action: "report.detach", entity: "report_attachment", entityId: id, blocId: o.ctx.bloc.id, agencyId: o.agency.id, ip }, trx);
      });
    },

    /** Submitted version `number` beside the one before it, field by field. */
    async compare(user: User, t: ReportTarget, number: number) {
      const o = await open(user, t);
      const all = o.report ? await repo.versions(o.report.id) : [];
      const to = all.find((v) => v.number === number);
      if (!to) throw new NotFoundError();
      const from = all.find((v) => v.number === number - 1) ?? null;
      const campaigns = await campaignsOf(o.ctx.year.id);
      const fields: { label: string; before: string; after: string }[] = [];
      const SECTION_LABELS = { done: "Nội dung đã triển khai", results: "Kết quả đạt được", figures: "Số liệu cụ thể" } as const;
      for (const c of campaigns) {
        for (const key of ["done", "results", "figures"] as const) {
          fields.push({ label: `${c.title} — ${SECTION_LABELS[key]}`, before: from?.content.sections[c.code]?.[key] ?? "", after: to.content.sections[c.code]?.[key] ?? "" });
        }
      }
      fields.push({ label: "Kết quả chung", before: from?.content.general ?? "", after: to.content.general });
      fields.push({ label: "Tồn tại, hạn chế", before: from?.content.shortcomings ?? "", after: to.content.shortcomings });
      fields.push({ label: "Đề xuất, kiến nghị", before: from?.content.proposals ?? "", after: to.content.proposals });
      return {
        ...o,
        from,
        to,
        fields: fields.map((f) => ({ ...f, changed: f.before !== f.after })),
        basePath: `${o.ctx.basePath}/periods/${o.period.number}/reports/${o.agency.code}`,
      };
    },

    /** A file, only for those allowed to read the report. */
    async attachment(user: User, t: ReportTarget, id: number) {
      const o = await open(user, t);
      const file = o.report ? await repo.attachment(o.report.id, id) : undefined;
      if (!file) throw new NotFoundError();
      return file;
    },
  };
}

export type ReportsService = ReturnType<typeof reportsService>;
