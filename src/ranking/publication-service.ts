import type { Knex } from "knex";
import { joinReasons } from "../lib/text.js";
import type { User } from "../auth/users-repo.js";
import { access, authorize, hasRight } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import { ConflictError, RuleViolationError } from "../errors.js";
import { AWARD_LABELS } from "../scoring/index.js";
import type { RankingService, RankingState } from "./ranking-service.js";
import type { RankingRepo } from "./ranking-repo.js";
import type { PublicationRepo } from "./publication-repo.js";
import type { NotificationsService } from "../notifications/notifications-service.js";
import { rankingPublishedDraft } from "../notifications/messages.js";

export const publicationMessages = {
  alreadyPublished: "Kết quả xếp hạng năm này đã được công bố.",
  notPublished: "Kết quả xếp hạng năm này chưa được công bố.",
  reasonRequired: "Vui lòng ghi rõ lý do mở lại kết quả xếp hạng (ít nhất 10 ký tự).",
  confirmRequired: "Vui lòng đánh dấu xác nhận đã xem danh sách kiểm tra trước khi công bố.",
  tiesPending: "Còn trường hợp đồng hạng chờ Hội nghị quyết định: Thường trực Khối ghi lựa chọn của Hội nghị trước khi công bố.",
  published: "Đã công bố kết quả xếp hạng. Bảng điểm và kết quả bỏ phiếu của năm nay chỉ còn để xem.",
  reopened: "Đã mở lại kết quả xếp hạng; lý do đã được ghi vào nhật ký.",
  decided: "Tỉnh đã có quyết định khen thưởng theo kết quả này: không mở lại kết quả xếp hạng. Quyết định sai thì ghi thu hồi ở trang Quyết định khen thưởng.",
};

/** One line of the checklist shown before publication; `blocking` lines must be cleared first. */
export interface ChecklistItem {
  label: string;
  details: string[];
  blocking: boolean;
}

/** What the leader should look at before publishing (issue 22, "Publishing checks first"). */
export function publicationChecklist(st: RankingState, waitingReports: { agencyId: number; period: string }[]): ChecklistItem[] {
  const nameOf = (id: number) => st.input.agencies.find((a) => a.agencyId === id)?.name ?? "";
  const ranked = st.result.ranking.ranked;
  const items: ChecklistItem[] = [
    {
      label: "Đơn vị không xếp hạng",
      details: st.result.ranking.unranked.map((r) => `${r.name}: ${r.reason}`),
      blocking: false,
    },
    {
      label: "Bảng chấm điểm chờ thẩm định",
      details: st.input.agencies.filter((a) => a.sheetStatus === "submitted").map((a) => a.name),
      blocking: false,
    },
    {
      label: "Báo cáo chờ xem xét",
      details: waitingReports.map((r) => `${nameOf(r.agencyId)}: ${r.period}`),
      blocking: false,
    },
    {
      label: "Đơn vị xếp hạng chưa có kết quả bỏ phiếu",
      details: ranked.filter((r) => !st.input.ballots.some((b) => b.agencyId === r.agencyId && b.validBallots > 0)).map((r) => r.name),
      blocking: false,
    },
    {
      label: "Đồng hạng chờ Hội nghị quyết định",
      details: st.result.proposals.ties
        .filter((t) => !t.decision)
        .map((t) => `${AWARD_LABELS[t.award]} (hạng ${t.rank}, ${t.places} suất): ${t.agencyIds.map(nameOf).join(", ")}`),
      blocking: true,
    },
  ];
  return items;
}

/**
 * The leader publishes the year's ranking (scoring-rules.md, "Publication"): the whole result is stored
 * (`ranking_snapshots`, kind published) and every output reads it from then on; the proposals are
 * stored as computed, every member may then read the ranking, and sheets and ballots become read-only.
 * Reopening needs a reason, discards the stored result and is audited. Each is one transaction.
 */
export function publicationService(deps: {
  db: Knex; repo: PublicationRepo; rankingRepo: RankingRepo; ranking: RankingService; years: YearsService; audit: AuditService; notifications: NotificationsService; now: () => Date;
  /** Whether the province has decided on any of the year's proposals (then the ranking is not reopened). */
  decided: (yearId: number) => Promise<boolean>;
}) {
  const { db, repo, rankingRepo, ranking, years, audit, notifications, now, decided } = deps;

  async function openAsLeader(user: User, blocCode: string, year: number) {
    const ctx = await years.open(user, blocCode, year);
    access.assertBloc(user, ctx.bloc.id);
    authorize(user, "ranking.publish", { kind: "bloc", blocId: ctx.bloc.id });
    return ctx;
  }

  async function checklistOf(ctx: YearContext, st: RankingState) {
    return publicationChecklist(st, await repo.waitingReports(ctx.year.id));
  }

  return {
    /** Leader and admin may publish or reopen; the ranking page shows them the buttons. */
    mayPublish: (user: User) => hasRight(user, "ranking.publish"),

    /** Throws unless the user may publish or reopen this year's ranking (checked before any form is read). */
    async assertMayPublish(user: User, blocCode: string, year: number): Promise<void> {
      await openAsLeader(user, blocCode, year);
    },

    /** The confirmation page's content: the checklist over the live result. */
    async checklist(user: User, blocCode: string, year: number) {
      const ctx = await openAsLeader(user, blocCode, year);
      if (ctx.year.rankingPublishedAt) throw new RuleViolationError(publicationMessages.alreadyPublished);
      const items = await checklistOf(ctx, await ranking.liveState(ctx));
      return { ctx, items, blocked: items.some((i) => i.blocking && i.details.length > 0) };
    },

    /** Publishes after the explicit confirmation; refused while a tie waits for the meeting. */
    async publish(user: User, blocCode: string, year: number, confirmed: boolean, ip?: string): Promise<{ errors?: Record<string, string[]> }> {
      const ctx = await openAsLeader(user, blocCode, year);
      if (ctx.year.rankingPublishedAt) throw new RuleViolationError(publicationMessages.alreadyPublished);
      const st = await ranking.liveState(ctx);
      if (st.result.proposals.ties.some((t) => !t.decision)) return { errors: { confirm: [publicationMessages.tiesPending] } };
      if (!confirmed) return { errors: { confirm: [publicationMessages.confirmRequired] } };
      const rows = st.result.proposals.proposals.map((p) => ({
        agencyId: p.agencyId,
        award: p.award,
        rank: p.rank,
        total: p.total,
        votesFor: p.votesFor,
        validBallots: p.validBallots,
        reason: p.passedOver.length ? p.passedOver.map((o) => `${o.name}: ${joinReasons(o.reasons)}`).join(" | ") : null,
      }));
      const at = now();
      await db.transaction(async (trx) => {
        if (!(await repo.markPublished(trx, ctx.year.id, at))) throw new ConflictError(publicationMessages.alreadyPublished);
        await notifications.notifyYear(
          trx,
          { blocId: ctx.bloc.id, yearId: ctx.year.id, exceptUserId: user.id },
          rankingPublishedDraft(ctx.bloc.name, ctx.year.year, `${ctx.basePath}/ranking`, `ranking:${ctx.year.id}:published:${at.toISOString()}`),
        );
        await repo.insertProposals(trx, ctx.year.id, rows);
        await rankingRepo.saveSnapshot(trx, ctx.year.id, "published", st, at);
        await audit.record(
          { userId: user.id, username: user.username, action: "ranking.publish", entity: "emulation_year", entityId: ctx.year.id, blocId: ctx.bloc.id, before: { published: false }, after: { published: true, proposals: rows }, ip },
          trx,
        );
      });
      return {};
    },

    /** Reopens the published ranking; `also` runs in the same transaction (an accepted objection marks itself). */
    async reopen(user: User, blocCode: string, year: number, reason: string, ip?: string, also?: (trx: Knex) => Promise<void>): Promise<{ errors?: Record<string, string[]> }> {
      const ctx = await openAsLeader(user, blocCode, year);
      if (!ctx.year.rankingPublishedAt) throw new RuleViolationError(publicationMessages.notPublished);
      if (reason.trim().length < 10) return { errors: { reason: [publicationMessages.reasonRequired] } };
      if (await decided(ctx.year.id)) throw new RuleViolationError(publicationMessages.decided);
      await db.transaction(async (trx) => {
        if (also) await also(trx);
        if (!(await repo.markReopened(trx, ctx.year.id))) throw new ConflictError(publicationMessages.notPublished);
        const removed = await repo.deleteProposed(trx, ctx.year.id);
        const discarded = await rankingRepo.deleteSnapshot(trx, ctx.year.id, "published");
        await audit.record(
          { userId: user.id, username: user.username, action: "ranking.reopen", entity: "emulation_year", entityId: ctx.year.id, blocId: ctx.bloc.id, before: { published: true, proposals: removed, storedResult: discarded > 0 }, after: { published: false, reason: reason.trim(), storedResultDiscarded: discarded > 0 }, ip },
          trx,
        );
      });
      return {};
    },
  };
}

export type PublicationService = ReturnType<typeof publicationService>;
