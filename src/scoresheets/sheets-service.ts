import type { Knex } from "knex";
import type { NotificationsService } from "../notifications/notifications-service.js";
import { returnedDraft, sheetReviewedDraft } from "../notifications/messages.js";
import type { User } from "../auth/users-repo.js";
import { access, bloc, can, hasRight } from "../auth/access.js";
import { assertMayReview, mayReviewAgency, reviewRefusal, whoReviews } from "../years/reviewers.js";
import type { AuditService } from "../audit/audit-service.js";
import { NotFoundError, RuleViolationError } from "../errors.js";
import { formatDateTime, localDate } from "../lib/dates.js";
import {
  effectiveDueOn,
  formatPoints,
  fromHundredths,
  lateDays,
  parsePoints,
  toHundredths,
  type CriterionDef,
} from "../scoring/index.js";
import type { RankingService, YearComputation } from "../ranking/ranking-service.js";
import type { SheetEntryRow, SheetRow } from "../ranking/ranking-repo.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import type { YearAgency } from "../years/years-repo.js";
import { noYearCache, type ComputedYearCache } from "../years/year-cache.js";
import type { ReportsService } from "../reports/reports-service.js";
import { contradictsLateness, isTimelinessCriterion } from "../scoring/timeliness.js";
import { formatDate } from "../lib/dates.js";
import { messages, STATUS_LABELS } from "./messages.js";
import type { OwnSheetForm, ReviewSheetForm, SheetParams } from "./schemas.js";
import type { BlocEntry, SelfEntry, SheetsRepo } from "./sheets-repo.js";
import { buildSheetWorkbook, readSheetWorkbook, type WorkbookModel } from "./sheet-workbook.js";

export type SheetMode = "edit" | "review" | "readonly";
type Errors = Record<string, string[]>;
type Values = Record<string, string>;

type YearReports = Awaited<ReturnType<ReportsService["yearReportsOf"]>>;

interface Loaded {
  ctx: YearContext;
  agency: YearAgency;
  comp: YearComputation;
  sheet: SheetRow | undefined;
  /** The agency's reports of the year, to review the sheet beside them. */
  reports: YearReports;
}

const MAX_TEXT = 2000;

/** Thrown inside a transaction when the sheet's version moved on; rolls the transaction back. */
class StaleSave extends Error {}

/** The form was opened on another version of the sheet than the one stored now. */
function isStale(sheet: SheetRow | undefined, version: number | null): boolean {
  return sheet ? version !== sheet.version : false;
}

/** The scored criteria of each group: its items, or the group itself when it has none. */
function groupsOf(criteria: CriterionDef[]) {
  const order = (a: CriterionDef, b: CriterionDef) => a.sortOrder - b.sortOrder || a.id - b.id;
  return criteria
    .filter((c) => c.parentId === null)
    .sort(order)
    .map((group) => {
      const items = criteria.filter((c) => c.parentId === group.id).sort(order);
      return { group, leaves: items.length ? items : [group] };
    });
}

const isAuto = (c: CriterionDef) => c.autoSource === "late_reports";

/** A stored value as the form shows it: "7,5", "40", "" */
const pointsInput = (n: number | null) => (n === null ? "" : String(n).replace(".", ","));

/** Reads one typed value for an item; an error message or the value (null when empty). */
function readValue(raw: string | undefined, item: CriterionDef, kind: CriterionDef["kind"]): { value: number | null } | { error: string } {
  const text = (raw ?? "").trim();
  if (text === "") return { value: null };
  if (kind === "deduction") {
    return /^\d{1,4}$/.test(text) ? { value: Number(text) } : { error: messages.countInvalid };
  }
  const points = parsePoints(text);
  if (points === null) return { error: messages.pointsInvalid };
  if (points < 0) return { error: messages.pointsNegative };
  if (toHundredths(points) > toHundredths(item.maxPoints)) return { error: messages.pointsOverMax(item.maxPoints) };
  return { value: points };
}

/**
 * A browser sends every input of the form, empty or not; a POST missing an item's input is
 * not a form to trust (it would store "no points" over what was saved), so nothing is saved.
 */
function incompleteFormErrors(leaves: { item: CriterionDef }[], values: Record<string, string | undefined>, prefix: "p_" | "b_"): Errors {
  const missing = leaves.some(({ item }) => !isAuto(item) && values[`${prefix}${item.id}`] === undefined);
  return missing ? { form: [messages.incompleteForm] } : {};
}

function readText(raw: string | undefined): string | null {
  const text = (raw ?? "").trim();
  return text === "" ? null : text;
}

function modeFor(user: User, sheet: SheetRow | undefined, published: boolean, mayReview: boolean): SheetMode {
  if (published) return "readonly";
  const status = sheet?.status ?? "none";
  if (hasRight(user, "agency.submit")) return status === "submitted" || status === "reviewed" ? "readonly" : "edit";
  if (hasRight(user, "bloc.manage")) return (status === "submitted" || status === "reviewed") && mayReview ? "review" : "readonly";
  return "readonly";
}

function entrySnapshot(sheet: SheetRow | undefined) {
  return sheet ? { status: sheet.status, entries: sheet.entries } : null;
}

/** The bloc column's word for "kept the agency's own score" (explained under the table). */
export const AGREED = "Đồng ý";

/** What the dates say beside a timeliness criterion: each period's real submission date. */
function submissionDatesText(reports: YearReports): string {
  return reports
    .map((r) => {
      const when = r.submittedOn ? `gửi ngày ${formatDate(r.submittedOn)}` : r.overdueDays > 0 ? `chưa gửi, quá hạn ${r.overdueDays} ngày` : "chưa gửi";
      const late = r.submittedOn ? (r.lateDays > 0 ? `chậm ${r.lateDays} ngày` : "đúng hạn") : null;
      return `Đợt ${r.number}: ${when} (hạn ${formatDate(r.dueOn)}${late ? `, ${late}` : ""})`;
    })
    .join("; ");
}

export function sheetsService(deps: { repo: SheetsRepo; years: YearsService; ranking: RankingService; reports: ReportsService; audit: AuditService; notifications: NotificationsService; db: Knex; now: () => Date; cache?: ComputedYearCache }) {
  const { repo, years, ranking, audit, notifications, db, now } = deps;
  const cache = deps.cache ?? noYearCache;

  /** The agency's annual report was sent and still waits for the secretariat's review. */
  function annualReportWaiting(l: Loaded): boolean {
    return l.reports.some((r) => r.kind === "annual" && r.status === "submitted");
  }

  async function load(user: User, p: SheetParams): Promise<Loaded> {
    const ctx = await years.open(user, p.bloc, p.year);
    const agency = ctx.agencies.find((a) => a.code === p.agency);
    if (!agency) throw new NotFoundError();
    access.assertAgencyRecord(user, { agencyId: agency.id, blocId: ctx.bloc.id });
    const comp = await ranking.compute(ctx);
    const reports = await deps.reports.yearReportsOf(ctx, agency);
    return { ctx, agency, comp, reports, sheet: comp.data.sheets.find((s) => s.agencyId === agency.id) };
  }

  /**
   * The criteria of the sheet with what was scored (and `typed`, from a refused form): the same for every
   * reader. Shown as stored, they are built once per revision of the year and day (the reports' lateness
   * depends on today) and shared, read only (issue 16); the route renders their table once too.
   */
  function groupRows(l: Loaded, typed?: Values) {
    const { ctx, agency, comp, sheet } = l;
    const result = comp.result.sheets[agency.id]!;
    const lateReports = comp.inputs.find((i) => i.agencyId === agency.id)?.lateReports ?? 0;
    const entryOf = (id: number): SheetEntryRow | undefined => sheet?.entries.find((e) => e.criterionId === id);
    const value = (name: string, stored: string) => (typed ? (typed[name] ?? "") : stored);
    const lateOrOverdue = l.reports.filter((r) => r.lateDays > 0 || r.overdueDays > 0).length;
    const datesText = submissionDatesText(l.reports);

    return groupsOf(comp.data.criteria).map(({ group, leaves }) => {
      const groupResult = result.groups.find((g) => g.id === group.id)!;
      return {
        id: group.id,
        code: group.code,
        title: group.title,
        kind: group.kind,
        maxText: group.kind === "standard" ? formatPoints(group.maxPoints) : group.kind === "bonus" ? `tối đa ${formatPoints(ctx.year.rules.bonusCap)}` : "",
        selfTotal: formatPoints(groupResult.selfTotal),
        finalTotal: formatPoints(groupResult.finalTotal),
        items: leaves.map((item) => {
          const entry = entryOf(item.id);
          const r = result.items.find((i) => i.criterionId === item.id)!;
          const deduction = group.kind === "deduction";
          const selfStored = deduction ? (entry?.selfCount ?? null) : (entry?.selfPoints ?? null);
          const blocStored = deduction ? (entry?.blocCount ?? null) : (entry?.blocPoints ?? null);
          const show = (v: number | null) => (v === null ? "—" : deduction ? `${v} lần` : formatPoints(v));
          return {
            id: item.id,
            code: item.code,
            title: item.title,
            kind: group.kind,
            auto: isAuto(item),
            max: String(item.maxPoints),
            maxText: deduction ? `${formatPoints(item.maxPoints)}/lần` : formatPoints(item.maxPoints),
            selfName: `p_${item.id}`,
            selfValue: isAuto(item) ? String(lateReports) : value(`p_${item.id}`, pointsInput(selfStored)),
            selfText: isAuto(item) ? `${lateReports} lần` : show(selfStored),
            selfPoints: formatPoints(r.selfContribution),
            evidenceName: `e_${item.id}`,
            evidence: value(`e_${item.id}`, entry?.evidence ?? ""),
            blocName: `b_${item.id}`,
            blocValue: value(`b_${item.id}`, pointsInput(blocStored)),
            // No bloc value means the bloc keeps the agency's own score: say "agreed", not a bare dash.
            blocText: isAuto(item) ? `${lateReports} lần` : blocStored === null && selfStored !== null ? AGREED : show(blocStored),
            reasonName: `r_${item.id}`,
            reason: value(`r_${item.id}`, entry?.blocReason ?? ""),
            finalPoints: formatPoints(r.points),
            submissionDates: isTimelinessCriterion(item) ? datesText : null,
            lateFlag: !deduction && isTimelinessCriterion(item) && contradictsLateness(selfStored, item.maxPoints, lateOrOverdue) ? messages.contradictsLateness(lateOrOverdue) : null,
            difference: r.differs ? formatPoints(fromHundredths(toHundredths(r.points) - toHundredths(r.selfContribution))) : "",
          };
        }),
      };
    });
  }

  const storedGroupRows = (l: Loaded) =>
    cache.memo(l.ctx.year.id, l.ctx.year.revision, `sheet-groups:${l.agency.id}:${localDate(now())}`, async () => groupRows(l));

  /** The sheet page's view model; `typed` and `errors` come back from a refused form. */
  function buildView(user: User, l: Loaded, typed?: Values, errors: Errors = {}, groups = groupRows(l, typed)) {
    const { ctx, agency, comp, sheet } = l;
    const mode = modeFor(user, sheet, ctx.year.rankingPublishedAt !== null, mayReviewAgency(user, ctx, agency.id));
    const result = comp.result.sheets[agency.id]!;
    const value = (name: string, stored: string) => (typed ? (typed[name] ?? "") : stored);
    const reviewed = sheet?.status === "reviewed";

    return {
      ctx,
      agency,
      mode,
      action: `${ctx.basePath}/sheets/${encodeURIComponent(agency.code)}`,
      status: sheet?.status ?? "none",
      statusLabel: STATUS_LABELS[sheet?.status ?? "none"],
      submittedAt: sheet?.submittedAt ?? null,
      reviewedAt: sheet?.reviewedAt ?? null,
      returnComment: sheet?.returnComment ?? null,
      showBloc: reviewed || mode === "review" || hasRight(user, "bloc.overview"),
      headNotice: agency.id === ctx.year.headAgencyId ? messages.headNotice : null,
      /** Who may review this sheet, and why this user may not (conflict of interest). */
      reviewer: whoReviews(ctx, agency.id),
      reviewRefusal: hasRight(user, "agency.submit") ? null : reviewRefusal(user, ctx, agency.id, "score_sheet"),
      reports: l.reports,
      /** Readers of the whole bloc see the agency's reports and dates beside the sheet. */
      showEvidence: can(user, "bloc.overview", bloc(ctx.bloc.id)),
      annualReportWaiting: annualReportWaiting(l) ? messages.annualReportWaiting : null,
      publishedNotice: ctx.year.rankingPublishedAt !== null ? messages.published : null,
      bonusCap: String(ctx.year.rules.bonusCap),
      lateReportPoints: String(ctx.year.rules.lateReportPoints),
      groups,
      totals: {
        self: formatPoints(result.selfTotal),
        final: formatPoints(result.total),
        standard: formatPoints(result.standardTotal),
        bonus: formatPoints(result.bonusTotal),
        deductions: formatPoints(result.deductionTotal),
      },
      discipline: {
        flag: typed ? typed.discipline_flag === "1" : (sheet?.disciplineFlag ?? false),
        reason: value("discipline_reason", sheet?.disciplineReason ?? ""),
      },
      returnCommentValue: typed?.return_comment ?? "",
      /** The hidden `version` field: the version the form was opened on. */
      version: sheet ? String(sheet.version) : "",
      conflict: null as null | { message: string; changes: { label: string; current: string; typed: string }[] },
      errors,
    };
  }

  const leavesOf = (comp: YearComputation) => groupsOf(comp.data.criteria).flatMap(({ group, leaves }) => leaves.map((item) => ({ item, kind: group.kind })));

  function auditBase(user: User, l: Loaded, ip: string | undefined) {
    return { userId: user.id, username: user.username, entity: "score_sheet", blocId: l.ctx.bloc.id, agencyId: l.agency.id, ip: ip ?? null };
  }

  /**
   * Runs `fn` in one transaction; false when the sheet changed under it (a stale version, or
   * two first saves creating the same sheet at once) — then nothing was written.
   */
  async function inOneTransaction(fn: (trx: Knex) => Promise<void>): Promise<boolean> {
    try {
      await db.transaction(fn);
      return true;
    } catch (e) {
      if (e instanceof StaleSave || (e as { code?: string }).code === "23505") return false;
      throw e;
    }
  }

  /** The form again, with the typed values kept and what changed since the page was opened. */
  async function conflictView(user: User, p: SheetParams, typed: Values, side: "own" | "review", loaded?: Loaded) {
    const l = loaded ?? (await load(user, p));
    const change = l.sheet ? await repo.lastChange(db, l.sheet.id) : null;
    const view = buildView(user, l, typed);
    const changes: { label: string; current: string; typed: string }[] = [];
    for (const g of view.groups) {
      for (const it of g.items) {
        if (it.auto) continue;
        const entry = l.sheet?.entries.find((e) => e.criterionId === it.id);
        const deduction = it.kind === "deduction";
        const fieldsOf =
          side === "own"
            ? [
                { name: it.selfName, label: `Điểm tự chấm ${it.code}`, current: pointsInput(deduction ? (entry?.selfCount ?? null) : (entry?.selfPoints ?? null)) },
                { name: it.evidenceName, label: `Minh chứng ${it.code}`, current: entry?.evidence ?? "" },
              ]
            : [
                { name: it.blocName, label: `Điểm Khối chấm ${it.code}`, current: pointsInput(deduction ? (entry?.blocCount ?? null) : (entry?.blocPoints ?? null)) },
                { name: it.reasonName, label: `Lý do ${it.code}`, current: entry?.blocReason ?? "" },
              ];
        for (const f of fieldsOf) {
          const t = (typed[f.name] ?? "").trim();
          if (t !== f.current.trim()) changes.push({ label: f.label, current: f.current, typed: t });
        }
      }
    }
    return {
      ...view,
      conflict: {
        message: messages.conflict(change?.by ?? "người khác", formatDateTime(change?.at ?? null), view.statusLabel),
        changes,
      },
    };
  }

  /** The agency's sheet as a workbook model: the criteria in the page's order with the saved self-scores. */
  function workbookModel(l: Loaded): WorkbookModel {
    const lateReports = l.comp.inputs.find((i) => i.agencyId === l.agency.id)?.lateReports ?? 0;
    return {
      bloc: l.ctx.bloc.code,
      blocName: l.ctx.bloc.name,
      year: l.ctx.year.year,
      agency: l.agency.code,
      agencyName: l.agency.name,
      bonusCap: l.ctx.year.rules.bonusCap,
      groups: groupsOf(l.comp.data.criteria).map(({ group, leaves }) => ({
        code: group.code,
        title: group.title,
        kind: group.kind,
        max: group.kind === "standard" ? group.maxPoints : null,
        items: leaves.map((item) => {
          const entry = l.sheet?.entries.find((e) => e.criterionId === item.id);
          return {
            id: item.id,
            code: item.code,
            title: item.title,
            max: item.maxPoints,
            auto: isAuto(item),
            self: isAuto(item) ? lateReports : group.kind === "deduction" ? (entry?.selfCount ?? null) : (entry?.selfPoints ?? null),
            evidence: entry?.evidence ?? "",
          };
        }),
      })),
    };
  }

  /** "Điểm không được …" after "Ô D12: " reads "Ô D12: điểm không được …". */
  const inCell = (cell: string | undefined, message: string) => (cell ? `Ô ${cell}: ${message.charAt(0).toLocaleLowerCase("vi")}${message.slice(1)}` : message);

  const service = {
    /** The sheet as a workbook to fill offline (same access as the sheet page). */
    async workbook(user: User, p: SheetParams): Promise<{ filename: string; content: Buffer }> {
      const l = await load(user, p);
      return { filename: `bang-cham-diem-${l.agency.code}-${l.ctx.year.year}`, content: await buildSheetWorkbook(workbookModel(l)) };
    },

    /**
     * The clerk's filled workbook becomes the sheet's draft, with the same checks as the form; every
     * error names its cell. Another agency's, year's or bloc's workbook, or an altered one, is refused;
     * nothing is saved on any error.
     */
    async importOwn(user: User, p: SheetParams, file: Buffer | undefined, ip?: string): Promise<{ errors: string[] } | { message: string }> {
      const l = await load(user, p);
      access.assertOwnAgency(user, l.agency.id);
      if (l.ctx.year.rankingPublishedAt !== null) throw new RuleViolationError(messages.published);
      if (l.sheet && (l.sheet.status === "submitted" || l.sheet.status === "reviewed")) throw new RuleViolationError(messages.notEditable);
      if (!file || file.length === 0) return { errors: [messages.importFileMissing] };
      const read = await readSheetWorkbook(file, workbookModel(l));
      if ("errors" in read) return read;
      const saved = await service.saveOwn(user, p, { action: "save", version: l.sheet?.version ?? null, values: read.values }, ip);
      if ("conflict" in saved && saved.conflict) return { errors: [messages.importConflict] };
      if ("view" in saved && saved.view) {
        return { errors: Object.entries(saved.view.errors).map(([name, list]) => inCell(read.cells[name], list[0] ?? "")) };
      }
      return { message: messages.imported };
    },

    /** The sheet as `user` may see it: the clerk's own form, the secretariat's review, or read-only. */
    async view(user: User, p: SheetParams) {
      const l = await load(user, p);
      return buildView(user, l, undefined, {}, await storedGroupRows(l));
    },

    /** 404 / 403 before a POSTed form is even read. */
    async assertCanPost(user: User, p: SheetParams, ip?: string): Promise<void> {
      const ctx = await years.open(user, p.bloc, p.year);
      const agency = ctx.agencies.find((a) => a.code === p.agency);
      if (!agency) throw new NotFoundError();
      if (hasRight(user, "agency.submit")) access.assertOwnAgency(user, agency.id);
      else {
        access.assertSecretariat(user, ctx.bloc.id);
        await assertMayReview({ audit }, user, ctx, { agencyId: agency.id, thing: "score_sheet", entityId: null }, ip);
      }
    },

    /** The clerk saves a draft or submits; refused values come back with their messages, nothing saved. */
    async saveOwn(user: User, p: SheetParams, form: OwnSheetForm, ip?: string) {
      const l = await load(user, p);
      access.assertOwnAgency(user, l.agency.id);
      if (l.ctx.year.rankingPublishedAt !== null) throw new RuleViolationError(messages.published);
      // A stale form (someone saved after the page was opened, or a double-clicked submit): nothing saved.
      if (isStale(l.sheet, form.version)) return { conflict: true, view: await conflictView(user, p, form.values, "own", l) };
      if (l.sheet && (l.sheet.status === "submitted" || l.sheet.status === "reviewed")) throw new RuleViolationError(messages.notEditable);

      const errors: Errors = incompleteFormErrors(leavesOf(l.comp), form.values, "p_");
      const entries: SelfEntry[] = [];
      for (const { item, kind } of leavesOf(l.comp)) {
        if (isAuto(item)) continue;
        const read = readValue(form.values[`p_${item.id}`], item, kind);
        const evidence = readText(form.values[`e_${item.id}`]);
        if ("error" in read) errors[`p_${item.id}`] = [read.error];
        else if (read.value === null && form.action === "submit") errors[`p_${item.id}`] = [kind === "deduction" ? messages.countRequired : messages.pointsRequired];
        if (evidence && evidence.length > MAX_TEXT) errors[`e_${item.id}`] = [messages.textTooLong];
        const v = "value" in read ? read.value : null;
        entries.push({ criterionId: item.id, selfPoints: kind === "deduction" ? null : v, selfCount: kind === "deduction" ? v : null, evidence });
      }
      if (Object.keys(errors).length) return { view: buildView(user, l, form.values, errors) };

      const at = now();
      const saved = await inOneTransaction(async (trx) => {
        const { id: sheetId, version } = l.sheet ? { id: l.sheet.id, version: form.version ?? -1 } : await repo.createSheet(trx, l.ctx.year.id, l.agency.id);
        // The sheet's row is updated first: it locks the row, so a concurrent save waits and then finds a newer version.
        let patch = {};
        if (form.action === "submit") {
          const annual = l.ctx.periods.find((x) => x.kind === "annual");
          const submittedOn = l.sheet?.submittedOn ?? localDate(at);
          const due = annual ? effectiveDueOn(annual.dueOn, await repo.extensionDueOn(trx, annual.id, l.agency.id)) : null;
          patch = {
            status: "submitted",
            submitted_at: l.sheet?.submittedAt ?? at,
            submitted_on: submittedOn,
            late_days: due ? lateDays(due, submittedOn) : 0,
          };
        }
        if (!(await repo.updateSheet(trx, sheetId, version, patch))) throw new StaleSave();
        await repo.saveSelf(trx, sheetId, entries);
        await audit.record(
          {
            ...auditBase(user, l, ip),
            action: form.action === "submit" ? "score_sheet.submit" : "score_sheet.save",
            entityId: String(sheetId),
            before: entrySnapshot(l.sheet),
            after: { status: form.action === "submit" ? "submitted" : (l.sheet?.status ?? "draft"), entries },
          },
          trx,
        );
      });
      if (!saved) return { conflict: true, view: await conflictView(user, p, form.values, "own") };
      return { message: form.action === "submit" ? messages.submitted : messages.saved };
    },

    /** The secretariat's review: bloc points with reasons, the disciplinary flag, reviewed or returned. */
    async review(user: User, p: SheetParams, form: ReviewSheetForm, ip?: string) {
      const l = await load(user, p);
      access.assertSecretariat(user, l.ctx.bloc.id);
      await assertMayReview({ audit }, user, l.ctx, { agencyId: l.agency.id, thing: "score_sheet", entityId: l.sheet?.id ?? null }, ip);
      if (l.ctx.year.rankingPublishedAt !== null) throw new RuleViolationError(messages.published);
      const sheet = l.sheet;
      if (sheet && isStale(sheet, form.version)) return { conflict: true, view: await conflictView(user, p, form.values, "review", l) };
      if (!sheet || (sheet.status !== "submitted" && sheet.status !== "reviewed")) throw new RuleViolationError(messages.notReviewable);

      const errors: Errors = incompleteFormErrors(leavesOf(l.comp), form.values, "b_");
      const entries: BlocEntry[] = [];
      for (const { item, kind } of leavesOf(l.comp)) {
        if (isAuto(item)) continue;
        const read = readValue(form.values[`b_${item.id}`], item, kind);
        const reason = readText(form.values[`r_${item.id}`]);
        if ("error" in read) {
          errors[`b_${item.id}`] = [read.error];
          continue;
        }
        const entry = sheet.entries.find((e) => e.criterionId === item.id);
        const self = kind === "deduction" ? (entry?.selfCount ?? null) : (entry?.selfPoints ?? null);
        const differs = read.value !== null && (self === null || toHundredths(self) !== toHundredths(read.value));
        if (differs && !reason) errors[`r_${item.id}`] = [messages.reasonRequired];
        if (reason && reason.length > MAX_TEXT) errors[`r_${item.id}`] = [messages.textTooLong];
        entries.push({
          criterionId: item.id,
          blocPoints: kind === "deduction" ? null : read.value,
          blocCount: kind === "deduction" ? read.value : null,
          blocReason: reason,
        });
      }
      if (form.action === "reviewed" && annualReportWaiting(l)) errors.form = [messages.annualReportWaiting];
      const flag = form.values.discipline_flag === "1";
      const disciplineReason = readText(form.values.discipline_reason);
      if (flag && !disciplineReason) errors.discipline_reason = [messages.disciplineReasonRequired];
      const returnComment = readText(form.values.return_comment);
      if (form.action === "return" && !returnComment) errors.return_comment = [messages.returnCommentRequired];
      if (Object.keys(errors).length) return { view: buildView(user, l, form.values, errors) };

      const at = now();
      const status = form.action === "reviewed" ? "reviewed" : form.action === "return" ? "returned" : sheet.status;
      const saved = await inOneTransaction(async (trx) => {
        if (!(await repo.updateSheet(trx, sheet.id, sheet.version, {
          discipline_flag: flag,
          discipline_reason: flag ? disciplineReason : null,
          ...(form.action === "reviewed" ? { status: "reviewed", reviewed_at: at, reviewed_by: user.id } : {}),
          ...(form.action === "return" ? { status: "returned", return_comment: returnComment, reviewed_at: null, reviewed_by: null } : {}),
        }))) throw new StaleSave();
        await repo.saveBloc(trx, sheet.id, entries);
        await audit.record(
          {
            ...auditBase(user, l, ip),
            action: form.action === "reviewed" ? "score_sheet.reviewed" : form.action === "return" ? "score_sheet.return" : "score_sheet.review",
            entityId: String(sheet.id),
            before: { ...entrySnapshot(sheet), disciplineFlag: sheet.disciplineFlag, disciplineReason: sheet.disciplineReason },
            after: { status, entries, disciplineFlag: flag, disciplineReason: flag ? disciplineReason : null, returnComment },
          },
          trx,
        );
        const link = `${l.ctx.basePath}/sheets/${l.agency.code}`;
        const eventKey = `sheet:${sheet.id}:v${sheet.version + 1}:${form.action}`;
        if (form.action === "reviewed") await notifications.notifyAgency(trx, l.agency.id, sheetReviewedDraft(l.ctx.year.year, link, eventKey));
        if (form.action === "return") await notifications.notifyAgency(trx, l.agency.id, returnedDraft(`Bảng chấm điểm năm ${l.ctx.year.year}`, returnComment ?? "", link, eventKey));
      });
      if (!saved) return { conflict: true, view: await conflictView(user, p, form.values, "review") };
      return { message: form.action === "reviewed" ? messages.reviewed : form.action === "return" ? messages.returned : messages.reviewSaved };
    },

    /** The year's sheets for bloc readers; a clerk is sent to their own sheet. */
    async list(user: User, bloc: string, year: number) {
      const ctx = await years.open(user, bloc, year);
      if (hasRight(user, "agency.submit")) {
        const own = ctx.agencies.find((a) => a.id === user.agencyId);
        if (!own) throw new NotFoundError();
        return { redirect: `${ctx.basePath}/sheets/${encodeURIComponent(own.code)}` } as const;
      }
      const comp = await ranking.compute(ctx);
      const rows = ctx.agencies.map((a) => {
        const sheet = comp.data.sheets.find((s) => s.agencyId === a.id);
        const result = comp.result.sheets[a.id]!;
        return {
          code: a.code,
          name: a.name,
          href: `${ctx.basePath}/sheets/${encodeURIComponent(a.code)}`,
          statusLabel: STATUS_LABELS[sheet?.status ?? "none"],
          submittedOn: sheet?.submittedOn ?? null,
          selfTotal: sheet ? formatPoints(result.selfTotal) : "—",
          finalTotal: sheet?.status === "reviewed" ? formatPoints(result.total) : "—",
        };
      });
      return { view: { ctx, rows } } as const;
    },

    /** Where the menu's "Bảng chấm điểm" / "Bảng điểm" leads: the latest year of the user's bloc. */
    async latestPath(user: User): Promise<string> {
      const latest = await years.latestFor(user);
      if (!latest) throw new NotFoundError();
      return `/blocs/${encodeURIComponent(latest.blocCode)}/years/${latest.year}/sheets`;
    },
  };
  return service;
}

export type SheetsService = ReturnType<typeof sheetsService>;
