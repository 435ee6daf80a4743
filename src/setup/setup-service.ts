import type { Knex } from "knex";
import { reminderDaysOf } from "../notifications/reminders.js";
import type { User } from "../auth/users-repo.js";
import { access, bloc as blocTarget, can } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import { ForbiddenError, NotFoundError, RuleViolationError } from "../errors.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import { checkScale, CLASSIFICATION_LABELS, formatPoints, RuleSetSchema, type RuleSet } from "../scoring/index.js";
import { formatDate } from "../lib/dates.js";
import type { SetupRepo } from "./setup-repo.js";
import type { CampaignInput, CriterionInput, ExtensionInput, PeriodInput, YearInput } from "./schemas.js";
import { CAMPAIGN_KIND_LABELS, CRITERION_KIND_LABELS, PERIOD_KIND_LABELS, SINGLE_PERIOD_KINDS, messages, type CampaignKind, type CriterionKindName, type PeriodKind } from "./labels.js";

export type FieldErrors = Record<string, string[]>;

/** 'YYYY-MM-DD' of the next day. */
function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
type Mode = "read" | "write";

export function setupService(deps: { repo: SetupRepo; years: YearsService; audit: AuditService; db: Knex }) {
  const { repo, years, audit, db } = deps;

  /**
   * The one access check of the set-up pages: bloc readers (secretariat, leader, observer, admin)
   * read; only the bloc's secretariat and admin write. Clerks are refused (403); another bloc is
   * not found (404).
   */
  async function open(user: User, blocCode: string, year: number, mode: Mode): Promise<YearContext> {
    // Like every page of a bloc: an unseen bloc is not found (404), then the role (403).
    const ctx = await years.open(user, blocCode, year);
    if (!access.isBlocReader(user)) throw new ForbiddenError();
    if (mode === "write") access.assertSecretariat(user, ctx.bloc.id);
    return ctx;
  }

  const log = (user: User, ctx: YearContext, action: string, entity: string, entityId: number | string, before: unknown, after: unknown, trx: Knex) =>
    audit.record({ userId: user.id, username: user.username, action, entity, entityId, blocId: ctx.bloc.id, before, after }, trx);

  /** Forms show as editable to those who run the bloc, while the year is open. */
  const mayManage = (user: User, ctx: YearContext) => can(user, "bloc.manage", blocTarget(ctx.bloc.id));
  const canWrite = (user: User, ctx: YearContext) => mayManage(user, ctx) && ctx.year.closedAt === null;

  async function assertCriteriaOpen(yearId: number, q: Knex = db): Promise<void> {
    if (await repo.sheetsSubmitted(yearId, q)) throw new RuleViolationError(messages.sheetsSubmitted);
  }

  /** A period's own dates stay inside its year and overlap no other period; one 6-month and one annual review a year. */
  async function periodErrors(ctx: YearContext, input: PeriodInput, exceptId: number | null, trx: Knex): Promise<FieldErrors | null> {
    const y = ctx.year.year;
    const errors: FieldErrors = {};
    if (input.startsOn < `${y}-01-01` || input.startsOn > `${y}-12-31`) errors.startsOn = [messages.periodOutsideYear(y)];
    if (input.endsOn < `${y}-01-01` || input.endsOn > `${y}-12-31`) errors.endsOn = [messages.periodOutsideYear(y)];
    if (!errors.startsOn && !errors.endsOn) {
      const others = await repo.overlappingPeriods(ctx.year.id, input.startsOn, input.endsOn, exceptId, trx);
      if (others.length) errors.startsOn = [messages.periodOverlaps(others.map((o) => `“${o.title}”`).join(", "))];
    }
    if (SINGLE_PERIOD_KINDS.includes(input.kind) && (await repo.periodKindTaken(ctx.year.id, input.kind, exceptId, trx))) errors.kind = [messages.kindTaken];
    return Object.keys(errors).length ? errors : null;
  }

  const agencyOptions = (ctx: YearContext) => {
    const collator = new Intl.Collator("vi");
    return [...ctx.agencies].sort((a, b) => collator.compare(a.name, b.name)).map((a) => ({ id: a.id, name: a.name }));
  };

  async function criteriaPage(user: User, blocCode: string, year: number) {
    const ctx = await open(user, blocCode, year, "read");
    const rows = await repo.criteria(ctx.year.id);
    const defs = rows.map((r) => ({ ...r, maxPoints: Number(r.maxPoints) }));
    const scale = checkScale(defs, ctx.year.rules);
    const groups = rows.filter((r) => r.parentId === null);
    const view = (r: (typeof rows)[number]) => ({ ...r, maxLabel: formatPoints(Number(r.maxPoints)), kindLabel: CRITERION_KIND_LABELS[r.kind] });
    const locked = await repo.sheetsSubmitted(ctx.year.id);
    return {
      ctx,
      canWrite: canWrite(user, ctx) && !locked,
      lockedMessage: locked ? messages.sheetsSubmitted : null,
      tree: groups.map((g) => ({ ...view(g), items: rows.filter((r) => r.parentId === g.id).map(view) })),
      groupOptions: groups.map((g) => ({ id: g.id, label: `${g.code}. ${g.title}` })),
      scale: { sum: formatPoints(scale.standardMaxSum), scale: formatPoints(ctx.year.rules.scale), matches: scale.matchesScale },
      kindLabels: CRITERION_KIND_LABELS,
    };
  }

  return {
    open,

    /** The year's set-up page: the year's fields, its agencies (names of that year), periods. */
    async yearPage(user: User, blocCode: string, year: number) {
      const ctx = await open(user, blocCode, year, "read");
      const details = await repo.year(ctx.year.id);
      const nameOf = (id: number | null) => ctx.agencies.find((a) => a.id === id)?.name ?? "";
      return {
        ctx,
        canWrite: canWrite(user, ctx),
        closed: ctx.year.closedAt !== null,
        mayClose: canWrite(user, ctx) && ctx.year.rankingPublishedAt !== null,
        mayReopen: ctx.year.closedAt !== null && can(user, "year.reopen", blocTarget(ctx.bloc.id)),
        mayCreateYear: mayManage(user, ctx),
        form: {
          planNumber: details.planNumber ?? "",
          planDate: formatDate(details.planDate),
          planSignerName: details.planSignerName ?? "",
          planSignerPosition: details.planSignerPosition ?? "",
          theme: details.theme ?? "",
          headAgencyId: details.headAgencyId,
          deputyAgencyId: details.deputyAgencyId,
          registrationDueOn: formatDate(details.registrationDueOn),
        },
        headName: nameOf(details.headAgencyId),
        deputyName: nameOf(details.deputyAgencyId),
        agencies: ctx.agencies,
        agencyOptions: agencyOptions(ctx),
        periods: ctx.periods.map((p) => ({
          number: p.number,
          title: p.title,
          kindLabel: PERIOD_KIND_LABELS[p.kind as PeriodKind],
          dueOn: formatDate(p.dueOn),
          locked: p.locked,
        })),
      };
    },

    async updateYear(user: User, blocCode: string, year: number, input: YearInput): Promise<{ errors?: FieldErrors }> {
      const ctx = await open(user, blocCode, year, "write");
      const errors: FieldErrors = {};
      const inYear = (id: number | null) => id === null || ctx.agencies.some((a) => a.id === id);
      if (!inYear(input.headAgencyId)) errors.headAgencyId = [messages.agencyNotInYear];
      if (!inYear(input.deputyAgencyId)) errors.deputyAgencyId = [messages.agencyNotInYear];
      if (Object.keys(errors).length) return { errors };
      await db.transaction(async (trx) => {
        const before = await repo.year(ctx.year.id, trx);
        await repo.updateYear(trx, ctx.year.id, input);
        const { rules: _r, ...beforeFields } = before;
        await log(user, ctx, "year.update", "emulation_year", ctx.year.id, beforeFields, input, trx);
      });
      return {};
    },

    // Campaigns (phong trào thi đua)
    async campaignsPage(user: User, blocCode: string, year: number) {
      const ctx = await open(user, blocCode, year, "read");
      return {
        ctx,
        canWrite: canWrite(user, ctx),
        campaigns: (await repo.campaigns(ctx.year.id)).map((c) => ({
          ...c,
          kindLabel: CAMPAIGN_KIND_LABELS[c.kind as CampaignKind],
          startsOn: formatDate(c.startsOn),
          endsOn: formatDate(c.endsOn),
        })),
      };
    },
    async campaignForm(user: User, blocCode: string, year: number, id: number | null) {
      const ctx = await open(user, blocCode, year, "read");
      if (id === null) return { ctx, canWrite: canWrite(user, ctx), campaign: { kind: "other", sortOrder: String((await repo.campaigns(ctx.year.id)).length + 1) } };
      const c = await repo.campaign(ctx.year.id, id);
      if (!c) throw new NotFoundError();
      return { ctx, canWrite: canWrite(user, ctx), campaign: { ...c, description: c.description ?? "", startsOn: formatDate(c.startsOn), endsOn: formatDate(c.endsOn), sortOrder: String(c.sortOrder) } };
    },
    async saveCampaign(user: User, blocCode: string, year: number, id: number | null, input: CampaignInput): Promise<{ errors?: FieldErrors }> {
      const ctx = await open(user, blocCode, year, "write");
      return db.transaction(async (trx) => {
        const before = id === null ? null : await repo.campaign(ctx.year.id, id, trx);
        if (id !== null && !before) throw new NotFoundError();
        if (await repo.campaignCodeTaken(ctx.year.id, input.code, id, trx)) return { errors: { code: [messages.codeTaken] } };
        if (id === null) {
          const newId = await repo.insertCampaign(trx, ctx.year.id, input);
          await log(user, ctx, "campaign.create", "campaign", newId, null, input, trx);
        } else {
          await repo.updateCampaign(trx, id, input);
          await log(user, ctx, "campaign.update", "campaign", id, before, input, trx);
        }
        return {};
      });
    },
    async deleteCampaign(user: User, blocCode: string, year: number, id: number): Promise<void> {
      const ctx = await open(user, blocCode, year, "write");
      await db.transaction(async (trx) => {
        const before = await repo.campaign(ctx.year.id, id, trx);
        if (!before) throw new NotFoundError();
        await repo.deleteCampaign(trx, id);
        await log(user, ctx, "campaign.delete", "campaign", id, before, null, trx);
      });
    },

    // Periods (đợt thi đua)
    async periodPage(user: User, blocCode: string, year: number, number: number) {
      const ctx = await open(user, blocCode, year, "read");
      const p = ctx.periods.find((x) => x.number === number);
      if (!p) throw new NotFoundError();
      const nameOf = (id: number) => ctx.agencies.find((a) => a.id === id)?.name ?? "";
      const month = p.conferenceMonth ? `${p.conferenceMonth.slice(5)}/${p.conferenceMonth.slice(0, 4)}` : "";
      return {
        ctx,
        canWrite: canWrite(user, ctx),
        period: { number: p.number, locked: p.locked, title: p.title },
        removeBlocked: (await repo.periodHasSubmittedReport(p.id)) ? messages.periodHasReports : null,
        form: {
          kind: p.kind,
          title: p.title,
          startsOn: formatDate(p.startsOn),
          endsOn: formatDate(p.endsOn),
          dataFrom: formatDate(p.dataFrom),
          dataTo: formatDate(p.dataTo),
          dueOn: formatDate(p.dueOn),
          conferenceMonth: month,
        },
        extensions: (await repo.extensions(p.id)).map((e) => ({ id: e.id, agencyName: nameOf(e.agencyId), dueOn: formatDate(e.dueOn), reason: e.reason })),
        agencyOptions: agencyOptions(ctx),
        kindLabels: PERIOD_KIND_LABELS,
      };
    },
    /** The blank form of a new period: the day after the last period to the year's end. */
    async newPeriodPage(user: User, blocCode: string, year: number) {
      const ctx = await open(user, blocCode, year, "write");
      const last = [...ctx.periods].sort((a, b) => a.endsOn.localeCompare(b.endsOn)).pop();
      const start = last && last.endsOn < `${year}-12-31` ? nextDay(last.endsOn) : `${year}-01-01`;
      return {
        ctx,
        form: { kind: "other", title: "", startsOn: formatDate(start), endsOn: formatDate(`${year}-12-31`), dataFrom: formatDate(start), dataTo: formatDate(`${year}-12-31`), dueOn: "", conferenceMonth: "" },
        kindLabels: PERIOD_KIND_LABELS,
      };
    },
    /** Adds a period with the next free number; the same checks as a change. */
    async addPeriod(user: User, blocCode: string, year: number, input: PeriodInput): Promise<{ errors?: FieldErrors; number?: number }> {
      const ctx = await open(user, blocCode, year, "write");
      return db.transaction(async (trx) => {
        const errors = await periodErrors(ctx, input, null, trx);
        if (errors) return { errors };
        const number = await repo.nextPeriodNumber(ctx.year.id, trx);
        const id = await repo.insertPeriod(trx, ctx.year.id, number, input);
        await log(user, ctx, "period.create", "period", id, null, { number, ...input }, trx);
        return { number };
      });
    },
    async updatePeriod(user: User, blocCode: string, year: number, number: number, input: PeriodInput): Promise<{ errors?: FieldErrors }> {
      const ctx = await open(user, blocCode, year, "write");
      return db.transaction(async (trx) => {
        const before = await years.findPeriod(ctx.year.id, number, trx);
        if (!before) throw new NotFoundError();
        const errors = await periodErrors(ctx, input, before.id, trx);
        if (errors) return { errors };
        await repo.updatePeriod(trx, before.id, input);
        await log(user, ctx, "period.update", "period", before.id, before, input, trx);
        return {};
      });
    },
    /** Removes a period, unless an agency already submitted a report of it (then the page says why). */
    async removePeriod(user: User, blocCode: string, year: number, number: number): Promise<void> {
      const ctx = await open(user, blocCode, year, "write");
      await db.transaction(async (trx) => {
        const before = await years.findPeriod(ctx.year.id, number, trx);
        if (!before) throw new NotFoundError();
        if (await repo.periodHasSubmittedReport(before.id, trx)) throw new RuleViolationError(messages.periodHasReports);
        await repo.deletePeriod(trx, before.id);
        await log(user, ctx, "period.delete", "period", before.id, before, null, trx);
      });
    },
    async setPeriodLocked(user: User, blocCode: string, year: number, number: number, locked: boolean): Promise<void> {
      const ctx = await open(user, blocCode, year, "write");
      await db.transaction(async (trx) => {
        const before = await years.findPeriod(ctx.year.id, number, trx);
        if (!before) throw new NotFoundError();
        await repo.setLocked(trx, before.id, locked);
        await log(user, ctx, locked ? "period.lock" : "period.unlock", "period", before.id, { locked: before.locked }, { locked }, trx);
      });
    },
    async addExtension(user: User, blocCode: string, year: number, number: number, input: ExtensionInput): Promise<{ errors?: FieldErrors }> {
      const ctx = await open(user, blocCode, year, "write");
      if (!ctx.agencies.some((a) => a.id === input.agencyId)) return { errors: { agencyId: [messages.agencyNotInYear] } };
      await db.transaction(async (trx) => {
        const period = await years.findPeriod(ctx.year.id, number, trx);
        if (!period) throw new NotFoundError();
        const before = await repo.upsertExtension(trx, period.id, input);
        await audit.record(
          { userId: user.id, username: user.username, action: "period.extension_set", entity: "period", entityId: period.id, blocId: ctx.bloc.id, agencyId: input.agencyId, before: before ?? null, after: input },
          trx,
        );
      });
      return {};
    },
    async removeExtension(user: User, blocCode: string, year: number, number: number, id: number): Promise<void> {
      const ctx = await open(user, blocCode, year, "write");
      await db.transaction(async (trx) => {
        const period = await years.findPeriod(ctx.year.id, number, trx);
        const before = period && (await repo.extension(period.id, id, trx));
        if (!period || !before) throw new NotFoundError();
        await repo.deleteExtension(trx, id);
        await audit.record(
          { userId: user.id, username: user.username, action: "period.extension_remove", entity: "period", entityId: period.id, blocId: ctx.bloc.id, agencyId: before.agencyId, before, after: null },
          trx,
        );
      });
    },

    // Criteria tree (bộ tiêu chí)
    criteriaPage,
    async criterionForm(user: User, blocCode: string, year: number, id: number) {
      const page = await criteriaPage(user, blocCode, year);
      const c = (await repo.criteria(page.ctx.year.id)).find((r) => r.id === id);
      if (!c) throw new NotFoundError();
      return { ...page, criterion: { ...c, maxPoints: formatPoints(Number(c.maxPoints)), sortOrder: String(c.sortOrder) } };
    },
    /** Adds (id null) or changes a criterion; refused once a sheet of the year is submitted. */
    async saveCriterion(user: User, blocCode: string, year: number, id: number | null, input: CriterionInput): Promise<{ errors?: FieldErrors }> {
      const ctx = await open(user, blocCode, year, "write");
      return db.transaction(async (trx) => {
        await assertCriteriaOpen(ctx.year.id, trx);
        const all = await repo.criteria(ctx.year.id, trx);
        const before = id === null ? null : all.find((c) => c.id === id);
        if (id !== null && !before) throw new NotFoundError();
        const errors: FieldErrors = {};
        if (await repo.criterionCodeTaken(ctx.year.id, input.code, id, trx)) errors.code = [messages.codeTaken];
        if (input.parentId !== null) {
          const parent = all.find((c) => c.id === input.parentId);
          if (!parent || parent.parentId !== null || parent.id === id) errors.parentId = [messages.parentNotGroup];
          else if (parent.kind !== input.kind) errors.kind = [messages.kindOfParent];
          if (id !== null && all.some((c) => c.parentId === id)) errors.parentId = [messages.groupHasItems];
        }
        if (Object.keys(errors).length) return { errors };
        if (id === null) {
          const newId = await repo.insertCriterion(trx, ctx.year.id, input);
          await log(user, ctx, "criterion.create", "criterion", newId, null, input, trx);
        } else {
          await repo.updateCriterion(trx, id, input);
          await log(user, ctx, "criterion.update", "criterion", id, before, input, trx);
        }
        return {};
      });
    },
    async deleteCriterion(user: User, blocCode: string, year: number, id: number): Promise<void> {
      const ctx = await open(user, blocCode, year, "write");
      await db.transaction(async (trx) => {
        await assertCriteriaOpen(ctx.year.id, trx);
        const before = (await repo.criteria(ctx.year.id, trx)).find((c) => c.id === id);
        if (!before) throw new NotFoundError();
        await repo.deleteCriterion(trx, id);
        await log(user, ctx, "criterion.delete", "criterion", id, before, null, trx);
      });
    },

    // Rule set (quy tắc chấm điểm)
    async rulesPage(user: User, blocCode: string, year: number) {
      const ctx = await open(user, blocCode, year, "read");
      const locked = await repo.sheetsSubmitted(ctx.year.id);
      return {
        ctx,
        canWrite: canWrite(user, ctx) && !locked,
        lockedMessage: locked ? messages.sheetsSubmitted : null,
        form: rulesToForm(ctx.year.rules),
        classificationLabels: CLASSIFICATION_LABELS,
      };
    },
    async updateRules(user: User, blocCode: string, year: number, rules: RuleSet): Promise<void> {
      const ctx = await open(user, blocCode, year, "write");
      const checked = RuleSetSchema.parse(rules);
      await db.transaction(async (trx) => {
        await assertCriteriaOpen(ctx.year.id, trx);
        await repo.updateRules(trx, ctx.year.id, checked);
        await log(user, ctx, "year.rules_update", "emulation_year", ctx.year.id, ctx.year.rules, checked, trx);
      });
    },
  };
}

/** The rule set as the flat form shows it (decimal comma). */
export function rulesToForm(r: RuleSet): Record<string, string | boolean> {
  const p = (n: number) => formatPoints(n).replace(/\./g, "");
  return {
    scale: p(r.scale),
    bonusCap: p(r.bonusCap),
    thresholdExcellent: p(r.thresholds.excellent),
    thresholdGood: p(r.thresholds.good),
    thresholdPass: p(r.thresholds.pass),
    disciplineCap: r.disciplineCap,
    flagQuota: String(r.flag.quota),
    flagMinClassification: r.flag.minClassification,
    flagNumerator: String(r.flag.voteShare.numerator),
    flagDenominator: String(r.flag.voteShare.denominator),
    flagInclusive: r.flag.inclusive,
    meritQuota: String(r.merit.quota),
    meritMinClassification: r.merit.minClassification,
    meritNumerator: String(r.merit.voteShare.numerator),
    meritDenominator: String(r.merit.voteShare.denominator),
    meritInclusive: r.merit.inclusive,
    allowSelfVote: r.allowSelfVote,
    lateReportPoints: p(r.lateReportPoints),
    requiredReviewed: r.requiredReviewed,
    reminderDays: reminderDaysOf(r).join(", "),
    objectionDays: String(r.objectionDays),
    headMayRepeat: r.headMayRepeat,
  };
}

export type SetupService = ReturnType<typeof setupService>;
export type { CriterionKindName };
