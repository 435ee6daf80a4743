import { createHash } from "node:crypto";
import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { authorize, bloc, can } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import type { NotificationsService } from "../notifications/notifications-service.js";
import type { PublicationService } from "../ranking/publication-service.js";
import { ConflictError, NotFoundError, RuleViolationError } from "../errors.js";
import { detectAllowedType, formatFileSize, MAX_ATTACHMENT_BYTES, storedFilename } from "../reports/attachments.js";
import { formatDate } from "../lib/dates.js";
import { rankingStanding, type Standing } from "./standing.js";
import { assertMayAnswerObjection, objectionAnswerRefusal } from "../years/reviewers.js";
import type { ObjectionsRepo, ObjectionStatus, ObjectionTopic } from "./objections-repo.js";
import { noYearCache, type ComputedYearCache } from "../years/year-cache.js";

export const objectionMessages = {
  notPublished: "Kết quả xếp hạng năm này chưa được công bố: chưa thể gửi kiến nghị.",
  windowClosed: (on: string | null) => (on ? `Đã hết thời hạn gửi kiến nghị (đến hết ngày ${formatDate(on)}).` : "Năm này không nhận kiến nghị sau khi công bố kết quả."),
  notMember: "Cơ quan, đơn vị của bạn không là thành viên của Khối trong năm này.",
  subject: "Vui lòng chọn cơ quan, đơn vị được kiến nghị.",
  alreadyAnswered: "Kiến nghị này đã được trả lời.",
  notAccepted: "Chỉ mở lại kết quả xếp hạng theo kiến nghị đã được chấp nhận.",
  alreadyReopened: "Kết quả xếp hạng đã được mở lại theo kiến nghị này.",
  fileTooLarge: `Tệp vượt quá ${formatFileSize(MAX_ATTACHMENT_BYTES)}.`,
  fileType: "Chỉ nhận tệp PDF, ảnh (JPG, PNG, WEBP, TIFF), Word, Excel hoặc OpenDocument.",
  filed: "Đã gửi kiến nghị. Thường trực Khối sẽ trả lời; các thành viên của Khối xem được kiến nghị và câu trả lời.",
  accepted: "Đã chấp nhận kiến nghị. Lãnh đạo Khối mở lại kết quả xếp hạng theo kiến nghị này để chấm, xếp hạng lại.",
  rejected: "Đã trả lời kiến nghị (không chấp nhận).",
  reopened: "Đã mở lại kết quả xếp hạng theo kiến nghị; lý do đã được ghi vào nhật ký.",
};

export const TOPIC_LABELS: Record<ObjectionTopic, string> = { points: "Điểm chấm, xếp hạng", proposal: "Đề nghị khen thưởng" };
export const STATUS_LABELS: Record<ObjectionStatus, string> = { pending: "Chờ trả lời", accepted: "Chấp nhận", rejected: "Không chấp nhận" };

export interface FileInput {
  topic: ObjectionTopic;
  subjectAgencyId: number;
  reasons: string;
}
export interface AnswerInput {
  decision: "accept" | "reject";
  answer: string;
}
type UploadedFile = { originalname: string; buffer: Buffer };
type Errors = Record<string, string[]>;

/**
 * Objections (kiến nghị) to a published ranking (issue 18). During the year's `objectionDays` after
 * publication a member agency's clerk files one about its own or another member's points or
 * proposal; the secretariat answers each (accepted: the leader reopens the ranking with that reason;
 * rejected: with the answer). The ranking is final when the window has closed and every objection is
 * answered. The bloc's members, the leader and the observer read them; every step is audited.
 */
export function objectionsService(deps: { db: Knex; repo: ObjectionsRepo; years: YearsService; publication: PublicationService; audit: AuditService; notifications: NotificationsService; now: () => Date; cache?: ComputedYearCache }) {
  const { db, repo, years, publication, audit, notifications, now, cache = noYearCache } = deps;

  async function standingOf(ctx: YearContext, conn?: Knex): Promise<Standing> {
    // Objections bump the year's revision (migration 253), as publication does: the counts hold while it does
    // (the ranking page asked for them on every visit). Inside a transaction they are read afresh.
    const counts = conn
      ? await repo.counts(ctx.year.id, ctx.year.rankingPublishedAt, conn)
      : await cache.memo(ctx.year.id, ctx.year.revision, "objection-counts", () => repo.counts(ctx.year.id, ctx.year.rankingPublishedAt));
    return rankingStanding({ publishedAt: ctx.year.rankingPublishedAt, objectionDays: ctx.year.rules.objectionDays, now: now(), ...counts });
  }

  async function openReadable(user: User, blocCode: string, year: number) {
    const ctx = await years.open(user, blocCode, year);
    authorize(user, "objection.read", bloc(ctx.bloc.id));
    return ctx;
  }

  const nameOf = (ctx: YearContext, id: number) => ctx.agencies.find((a) => a.id === id)?.name ?? "";

  async function view(ctx: YearContext, list: Awaited<ReturnType<ObjectionsRepo["list"]>>) {
    const files = await repo.files(list.map((o) => o.id));
    return list.map((o) => ({
      ...o,
      href: `${ctx.basePath}/objections/${o.id}`,
      agencyName: nameOf(ctx, o.agencyId),
      subjectName: nameOf(ctx, o.subjectAgencyId),
      topicLabel: TOPIC_LABELS[o.topic],
      statusLabel: o.status === "accepted" && o.reopenedAt ? "Chấp nhận, đã mở lại kết quả" : STATUS_LABELS[o.status],
      files: (files.get(o.id) ?? []).map((f) => ({ ...f, size: formatFileSize(f.sizeBytes), href: `${ctx.basePath}/objections/${o.id}/files/${f.id}` })),
    }));
  }

  /** Whether the clerk may file now; the reason when not (for the page). */
  function filingRefusal(user: User, ctx: YearContext, st: Standing): string | null {
    if (!ctx.year.rankingPublishedAt) return objectionMessages.notPublished;
    if (!st.windowOpen) return objectionMessages.windowClosed(st.windowEndsOn);
    if (ctx.year.closedAt) return objectionMessages.windowClosed(st.windowEndsOn);
    if (user.agencyId === null || !ctx.agencies.some((a) => a.id === user.agencyId)) return objectionMessages.notMember;
    return null;
  }

  async function checkFile(file: UploadedFile | undefined): Promise<{ error: string } | { row: { filename: string; mimeType: string; content: Buffer; sha256: string } } | null> {
    if (!file || file.buffer.length === 0) return null;
    if (file.buffer.length > MAX_ATTACHMENT_BYTES) return { error: objectionMessages.fileTooLarge };
    const type = await detectAllowedType(file.buffer, "other");
    if (!type) return { error: objectionMessages.fileType };
    return { row: { filename: storedFilename(file.originalname, type.extension), mimeType: type.mimeType, content: file.buffer, sha256: createHash("sha256").update(file.buffer).digest("hex") } };
  }

  return {
    /** The ranking's standing (unpublished, provisional or final) with the window's last day; no access check (callers opened the year). */
    standingOf,

    /** The list page: every objection of the year with its answer, and the filing form's state for a clerk. */
    async page(user: User, blocCode: string, year: number) {
      const ctx = await openReadable(user, blocCode, year);
      const st = await standingOf(ctx);
      const mayFile = can(user, "objection.file", bloc(ctx.bloc.id));
      return {
        ctx,
        standing: st,
        objections: await view(ctx, await repo.list(ctx.year.id)),
        mayFile,
        refusal: mayFile ? filingRefusal(user, ctx, st) : null,
        agencies: ctx.agencies.map((a) => ({ id: a.id, name: a.name, own: a.id === user.agencyId })),
        topics: TOPIC_LABELS,
      };
    },

    /** One objection with its answer; the answer form for the secretariat, the reopening for the leader. */
    async one(user: User, blocCode: string, year: number, id: number) {
      const ctx = await openReadable(user, blocCode, year);
      const o = await repo.find(ctx.year.id, id);
      if (!o) throw new NotFoundError();
      const [shown] = await view(ctx, [o]);
      const answerable = o.status === "pending" && can(user, "objection.answer", bloc(ctx.bloc.id)) && !ctx.year.closedAt;
      // Conflict of interest: the secretariat of either agency concerned is told who answers instead.
      const answerRefusal = answerable ? objectionAnswerRefusal(user, ctx, { filedBy: o.agencyId, about: o.subjectAgencyId }) : null;
      return {
        ctx,
        objection: shown!,
        mayAnswer: answerable && answerRefusal === null,
        answerRefusal,
        mayReopen: o.status === "accepted" && !o.reopenedAt && ctx.year.rankingPublishedAt !== null && can(user, "ranking.publish", bloc(ctx.bloc.id)) && !ctx.year.closedAt,
      };
    },

    /** Throws unless the user is a clerk who may file in this bloc (checked before the form is read). */
    async assertMayFile(user: User, blocCode: string, year: number): Promise<void> {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "objection.file", bloc(ctx.bloc.id));
    },

    /** A clerk files an objection, with an optional file, within the window. */
    async file(user: User, blocCode: string, year: number, input: FileInput, upload: UploadedFile | undefined, ip?: string): Promise<{ errors?: Errors; id?: number }> {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "objection.file", bloc(ctx.bloc.id));
      const refusal = filingRefusal(user, ctx, await standingOf(ctx));
      if (refusal) throw new RuleViolationError(refusal);
      if (!ctx.agencies.some((a) => a.id === input.subjectAgencyId)) return { errors: { subjectAgencyId: [objectionMessages.subject] } };
      const checked = await checkFile(upload);
      if (checked && "error" in checked) return { errors: { file: [checked.error] } };
      const at = now();
      const id = await db.transaction(async (trx) => {
        const id = await repo.insert(trx, { yearId: ctx.year.id, agencyId: user.agencyId!, subjectAgencyId: input.subjectAgencyId, topic: input.topic, reasons: input.reasons, userId: user.id, at });
        if (checked) await repo.addFile(trx, { objectionId: id, ...checked.row, userId: user.id });
        await notifications.objectionFiled(trx, { objectionId: id, blocId: ctx.bloc.id, year: ctx.year.year, filedBy: nameOf(ctx, user.agencyId!), about: nameOf(ctx, input.subjectAgencyId), link: `${ctx.basePath}/objections/${id}` });
        await audit.record(
          { userId: user.id, username: user.username, action: "objection.file", entity: "objection", entityId: id, blocId: ctx.bloc.id, agencyId: user.agencyId, before: null, after: { topic: TOPIC_LABELS[input.topic], subject: nameOf(ctx, input.subjectAgencyId), reasons: input.reasons, file: checked ? checked.row.filename : null }, ip },
          trx,
        );
        return id;
      });
      return { id };
    },

    /** Throws unless the user may answer objections of this bloc (checked before the form is read). */
    async assertMayAnswer(user: User, blocCode: string, year: number): Promise<void> {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "objection.answer", bloc(ctx.bloc.id));
    },

    /** The secretariat answers a pending objection; the objecting agency's clerks are notified. */
    async answer(user: User, blocCode: string, year: number, id: number, input: AnswerInput, ip?: string): Promise<{ status: "accepted" | "rejected" }> {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "objection.answer", bloc(ctx.bloc.id));
      const o = await repo.find(ctx.year.id, id);
      if (!o) throw new NotFoundError();
      if (o.status !== "pending") throw new ConflictError(objectionMessages.alreadyAnswered);
      await assertMayAnswerObjection({ audit }, user, ctx, { id, filedBy: o.agencyId, about: o.subjectAgencyId }, ip);
      const status = input.decision === "accept" ? "accepted" : "rejected";
      await db.transaction(async (trx) => {
        if (!(await repo.answer(trx, id, { status, answer: input.answer, userId: user.id, at: now() }))) throw new ConflictError(objectionMessages.alreadyAnswered);
        await notifications.objectionAnswered(trx, { objectionId: id, agencyId: o.agencyId, year: ctx.year.year, link: `${ctx.basePath}/objections/${id}` });
        await audit.record(
          { userId: user.id, username: user.username, action: `objection.${status === "accepted" ? "accept" : "reject"}`, entity: "objection", entityId: id, blocId: ctx.bloc.id, agencyId: o.agencyId, before: { status: "pending" }, after: { status, answer: input.answer }, ip },
          trx,
        );
      });
      return { status };
    },

    /** The leader (or admin) reopens the published ranking because of an accepted objection, with its answer as the reason. */
    async reopen(user: User, blocCode: string, year: number, id: number, ip?: string): Promise<void> {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "ranking.publish", bloc(ctx.bloc.id));
      const o = await repo.find(ctx.year.id, id);
      if (!o) throw new NotFoundError();
      if (o.status !== "accepted") throw new RuleViolationError(objectionMessages.notAccepted);
      if (o.reopenedAt) throw new ConflictError(objectionMessages.alreadyReopened);
      const reason = `Chấp nhận kiến nghị số ${o.id} của ${nameOf(ctx, o.agencyId)}: ${o.answer ?? ""}`;
      const result = await publication.reopen(user, blocCode, year, reason, ip, async (trx) => {
        if (!(await repo.markReopened(trx, id, now()))) throw new ConflictError(objectionMessages.alreadyReopened);
      });
      if (result.errors) throw new RuleViolationError(Object.values(result.errors).flat()[0] ?? objectionMessages.notAccepted);
    },

    /** A file of an objection, for its readers. */
    async download(user: User, blocCode: string, year: number, id: number, fileId: number) {
      const ctx = await openReadable(user, blocCode, year);
      if (!(await repo.find(ctx.year.id, id))) throw new NotFoundError();
      const f = await repo.file(id, fileId);
      if (!f) throw new NotFoundError();
      return f;
    },
  };
}

export type ObjectionsService = ReturnType<typeof objectionsService>;
