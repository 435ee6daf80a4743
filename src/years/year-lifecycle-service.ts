import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { access, authorize, bloc as blocTarget, can } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import type { Bloc, BlocsRepo } from "../blocs/blocs-repo.js";
import { ForbiddenError, NotFoundError, RuleViolationError } from "../errors.js";
import { RuleSetSchema } from "../scoring/index.js";
import { addYears, type YearBuilderRepo } from "./year-builder-repo.js";
import { yearTemplate } from "./year-template.js";
import type { YearContext, YearsService } from "./years-service.js";
import type { Standing } from "../objections/standing.js";
import { formatDate } from "../lib/dates.js";
import type { NewYearInput, YearSource } from "./schemas.js";

export type FieldErrors = Record<string, string[]>;

export const lifecycleMessages = {
  yearExists: (y: number) => `Năm ${y} đã có trong Khối; không tạo lại để tránh ghi đè dữ liệu.`,
  sourceNotFound: "Không tìm thấy năm thi đua để sao chép (hoặc bạn không có quyền xem năm đó).",
  agencyNotMember: "Cơ quan, đơn vị này không là thành viên của Khối trong năm đó.",
  notPublished: "Chỉ kết thúc năm thi đua sau khi kết quả xếp hạng đã được công bố.",
  notFinal: (st: Standing) =>
    st.windowOpen
      ? `Kết quả xếp hạng còn trong thời hạn nhận kiến nghị (đến hết ngày ${formatDate(st.windowEndsOn)}): chưa kết thúc năm thi đua.`
      : "Còn kiến nghị chưa được trả lời hoặc chưa được xử lý: chưa kết thúc năm thi đua.",
  alreadyClosed: "Năm thi đua này đã kết thúc.",
  notClosed: "Năm thi đua này chưa kết thúc.",
  closed: "Năm thi đua đã kết thúc",
  headRepeat: (name: string, year: number) => `Theo quy tắc của năm, một cơ quan không làm Trưởng khối hai năm liền: ${name} là Trưởng khối năm ${year}.`,
  headIsDeputy: "Trưởng khối và Phó trưởng khối năm sau phải là hai cơ quan, đơn vị khác nhau.",
  headRequired: "Vui lòng chọn cơ quan, đơn vị làm Trưởng khối năm sau.",
  conferenceSaved: "Đã ghi Trưởng khối, Phó trưởng khối năm sau theo Hội nghị; năm sau tạo từ năm này sẽ nhận theo.",
  readOnly: "Năm thi đua đã kết thúc: mọi dữ liệu của năm chỉ còn để xem. Quản trị hệ thống có thể mở lại năm nếu có lý do.",
};

/**
 * A bloc's years from birth to closing: create (from the template, a copy of a readable year, or
 * empty), close after publication (secretariat), reopen with a reason (admin). One transaction each.
 */
export function yearLifecycleService(deps: {
  db: Knex; repo: YearBuilderRepo; blocs: BlocsRepo; years: YearsService; audit: AuditService; now: () => Date;
  /** The ranking's standing: a year closes only once its ranking is final (no objection window open or unanswered). */
  standing: (ctx: YearContext) => Promise<Standing>;
}) {
  const { db, repo, blocs, years, audit, now, standing } = deps;

  async function openBloc(user: User, blocCode: string): Promise<Bloc> {
    const bloc = await blocs.findByCode(blocCode);
    if (!bloc) throw new NotFoundError();
    access.assertSecretariat(user, bloc.id); // 404 outside the user's blocs, then 403 without the right
    return bloc;
  }

  const sourceValue = (s: YearSource) => (s.kind === "copy" ? `copy:${s.blocCode}/${s.year}` : s.kind);

  return {
    /** Whether a year is closed (undefined: no such year); no access check, the guard of every year page uses it. */
    isClosed: (blocCode: string, year: number) => repo.isClosed(blocCode, year),

    /** What the "new year" form offers: the readable years to copy and the bloc's members. */
    async newYearForm(user: User, blocCode: string, year: number) {
      const bloc = await openBloc(user, blocCode);
      const copyable = (await repo.copyableYears()).filter((y) => access.canReadBloc(user, y.blocId));
      const collator = new Intl.Collator("vi");
      const members = (await repo.membersDuring(bloc.id, year)).sort((a, b) => collator.compare(a.name, b.name));
      return {
        bloc,
        sources: [
          { value: "template", label: "Theo mẫu của cổng (bảng điểm 100 + 5 điểm thưởng, quy tắc, các phong trào và hai đợt thường lệ)" },
          ...copyable.map((y) => ({ value: `copy:${y.blocCode}/${y.year}`, label: `Sao chép năm ${y.year} của ${y.blocName}` })),
          { value: "empty", label: "Năm trống (tự nhập phong trào, đợt, tiêu chí)" },
        ],
        members,
      };
    },

    async create(user: User, blocCode: string, given: NewYearInput, ip?: string): Promise<{ errors?: FieldErrors; year?: number }> {
      const bloc = await openBloc(user, blocCode);
      let input = given;
      const errors: FieldErrors = {};
      let from: { id: number; year: number; blocId: number } | null = null;
      if (input.source.kind === "copy") {
        const { blocCode: srcBloc, year: srcYear } = input.source;
        const found = (await repo.copyableYears()).find((y) => y.blocCode === srcBloc && y.year === srcYear);
        if (!found || !access.canReadBloc(user, found.blocId)) errors.source = [lifecycleMessages.sourceNotFound];
        else from = { id: found.id, year: found.year, blocId: found.blocId };
      }
      const members = await repo.membersDuring(bloc.id, input.year);
      for (const field of ["headAgencyId", "deputyAgencyId"] as const) {
        const id = input[field];
        if (id !== null && !members.some((m) => m.id === id)) errors[field] = [lifecycleMessages.agencyNotMember];
      }
      if (Object.keys(errors).length) return { errors };
      // A copy into the year after its source takes the head and deputy its annual conference chose
      // (issue 18), unless the form names them; one no longer a member is left for the secretariat.
      if (from && input.year === from.year + 1) {
        const chosen = await repo.rulesOf(from.id);
        const member = (id: number | null) => (id !== null && members.some((m) => m.id === id) ? id : null);
        input = {
          ...input,
          headAgencyId: input.headAgencyId ?? member(chosen.nextHeadAgencyId),
          deputyAgencyId: input.deputyAgencyId ?? member(chosen.nextDeputyAgencyId),
        };
        if (input.headAgencyId !== null && input.headAgencyId === input.deputyAgencyId) input = { ...input, deputyAgencyId: null };
      }
      return db.transaction(async (trx) => {
        if (await repo.yearExists(bloc.id, input.year, trx)) return { errors: { year: [lifecycleMessages.yearExists(input.year)] } };
        const template = yearTemplate(input.year);
        const source = from && (await repo.rulesOf(from.id, trx));
        const yearId = await repo.insertYear(trx, {
          blocId: bloc.id,
          year: input.year,
          rules: source ? RuleSetSchema.parse(source.rules) : template.rules,
          registrationDueOn: source ? (source.registrationDueOn ? addYears(source.registrationDueOn, input.year - source.year) : null) : input.source.kind === "template" ? template.registrationDueOn : null,
          headAgencyId: input.headAgencyId,
          deputyAgencyId: input.deputyAgencyId,
        });
        // A copy of the bloc's own year keeps its agencies' order.
        const agencies = await repo.addMemberAgencies(trx, yearId, bloc.id, input.year, from && from.blocId === bloc.id ? from.id : null);
        if (from) await repo.copyStructure(trx, from.id, yearId, from.year, input.year);
        else if (input.source.kind === "template") await repo.insertTemplate(trx, yearId, template);
        await audit.record(
          { userId: user.id, username: user.username, action: "year.create", entity: "emulation_year", entityId: yearId, blocId: bloc.id, before: null, after: { year: input.year, source: sourceValue(input.source), agencies }, ip },
          trx,
        );
        return { year: input.year };
      });
    },

    /** The annual conference's page: next year's head and deputy, the rule on repeating, the members to choose from. */
    async conferencePage(user: User, blocCode: string, year: number) {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "bloc.overview", blocTarget(ctx.bloc.id));
      const nameOf = (id: number | null) => ctx.agencies.find((a) => a.id === id)?.name ?? "";
      return {
        ctx,
        mayWrite: can(user, "conference.record", blocTarget(ctx.bloc.id)),
        headMayRepeat: ctx.year.rules.headMayRepeat,
        currentHead: nameOf(ctx.year.headAgencyId),
        currentDeputy: nameOf(ctx.year.deputyAgencyId),
        nextHead: nameOf(ctx.year.nextHeadAgencyId),
        nextDeputy: nameOf(ctx.year.nextDeputyAgencyId),
        members: ctx.agencies.map((a) => ({ id: a.id, name: a.name })),
      };
    },

    /** Throws unless the user may record the conference's choice (checked before the form is read). */
    async assertMayRecordConference(user: User, blocCode: string, year: number): Promise<void> {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "conference.record", blocTarget(ctx.bloc.id));
    },

    /**
     * Records next year's head and deputy as the annual conference chose them. The year's rule
     * `headMayRepeat` (default false) refuses this year's head as next year's.
     */
    async recordConference(user: User, blocCode: string, year: number, input: { heldOn: string | null; nextHeadAgencyId: number | null; nextDeputyAgencyId: number | null }, ip?: string): Promise<{ errors?: FieldErrors }> {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "conference.record", blocTarget(ctx.bloc.id));
      const errors: FieldErrors = {};
      const member = (id: number | null) => id === null || ctx.agencies.some((a) => a.id === id);
      if (input.nextHeadAgencyId === null) errors.nextHeadAgencyId = [lifecycleMessages.headRequired];
      else if (!member(input.nextHeadAgencyId)) errors.nextHeadAgencyId = [lifecycleMessages.agencyNotMember];
      else if (!ctx.year.rules.headMayRepeat && input.nextHeadAgencyId === ctx.year.headAgencyId) {
        errors.nextHeadAgencyId = [lifecycleMessages.headRepeat(ctx.agencies.find((a) => a.id === ctx.year.headAgencyId)?.name ?? "", ctx.year.year)];
      }
      if (!member(input.nextDeputyAgencyId)) errors.nextDeputyAgencyId = [lifecycleMessages.agencyNotMember];
      else if (input.nextDeputyAgencyId !== null && input.nextDeputyAgencyId === input.nextHeadAgencyId) errors.nextDeputyAgencyId = [lifecycleMessages.headIsDeputy];
      if (Object.keys(errors).length) return { errors };
      const nameOf = (id: number | null) => ctx.agencies.find((a) => a.id === id)?.name ?? null;
      await db.transaction(async (trx) => {
        await repo.setConference(trx, ctx.year.id, input);
        await audit.record(
          {
            userId: user.id, username: user.username, action: "year.conference", entity: "emulation_year", entityId: ctx.year.id, blocId: ctx.bloc.id,
            before: { conferenceHeldOn: ctx.year.conferenceHeldOn, nextHead: nameOf(ctx.year.nextHeadAgencyId), nextDeputy: nameOf(ctx.year.nextDeputyAgencyId) },
            after: { conferenceHeldOn: input.heldOn, nextHead: nameOf(input.nextHeadAgencyId), nextDeputy: nameOf(input.nextDeputyAgencyId) }, ip,
          },
          trx,
        );
      });
      return {};
    },

    /** The secretariat (or admin) closes a year once its ranking is published and final (issue 18). */
    async close(user: User, blocCode: string, year: number, ip?: string): Promise<void> {
      const ctx = await years.open(user, blocCode, year);
      if (!access.isBlocReader(user)) throw new ForbiddenError();
      access.assertSecretariat(user, ctx.bloc.id);
      if (ctx.year.closedAt) throw new RuleViolationError(lifecycleMessages.alreadyClosed);
      if (!ctx.year.rankingPublishedAt) throw new RuleViolationError(lifecycleMessages.notPublished);
      const st = await standing(ctx);
      if (st.state !== "final") throw new RuleViolationError(lifecycleMessages.notFinal(st));
      await db.transaction(async (trx) => {
        if (!(await repo.markClosed(trx, ctx.year.id, now(), user.id))) throw new RuleViolationError(lifecycleMessages.alreadyClosed);
        await audit.record({ userId: user.id, username: user.username, action: "year.close", entity: "emulation_year", entityId: ctx.year.id, blocId: ctx.bloc.id, before: { closed: false }, after: { closed: true }, ip }, trx);
      });
    },

    /** Only the admin reopens a closed year, with a written reason kept in the audit log. */
    /** Role and scope of a reopening, before its form is read. */
    async authorizeReopen(user: User, blocCode: string, year: number) {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "year.reopen", blocTarget(ctx.bloc.id));
      return ctx;
    },

    async reopen(user: User, blocCode: string, year: number, reason: string, ip?: string): Promise<void> {
      const ctx = await this.authorizeReopen(user, blocCode, year);
      if (!ctx.year.closedAt) throw new RuleViolationError(lifecycleMessages.notClosed);
      await db.transaction(async (trx) => {
        if (!(await repo.markReopened(trx, ctx.year.id))) throw new RuleViolationError(lifecycleMessages.notClosed);
        await audit.record({ userId: user.id, username: user.username, action: "year.reopen", entity: "emulation_year", entityId: ctx.year.id, blocId: ctx.bloc.id, before: { closed: true }, after: { closed: false, reason }, ip }, trx);
      });
    },
  };
}

export type YearLifecycleService = ReturnType<typeof yearLifecycleService>;
