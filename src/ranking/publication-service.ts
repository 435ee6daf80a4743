import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { access, authorize, rolesFor } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import type { YearsService } from "../years/years-service.js";
import { ConflictError, RuleViolationError } from "../errors.js";
import type { RankingService } from "./ranking-service.js";
import type { PublicationRepo } from "./publication-repo.js";
import type { NotificationsService } from "../notifications/notifications-service.js";
import { rankingPublishedDraft } from "../notifications/messages.js";

export const publicationMessages = {
  alreadyPublished: "Kết quả xếp hạng năm này đã được công bố.",
  notPublished: "Kết quả xếp hạng năm này chưa được công bố.",
  reasonRequired: "Vui lòng ghi rõ lý do mở lại kết quả xếp hạng (ít nhất 10 ký tự).",
  published: "Đã công bố kết quả xếp hạng. Bảng điểm và kết quả bỏ phiếu của năm nay chỉ còn để xem.",
  reopened: "Đã mở lại kết quả xếp hạng; lý do đã được ghi vào nhật ký.",
};

/**
 * The leader publishes the year's ranking (scoring-rules.md, "Publication"): the proposals are
 * stored as computed, every member may then read the ranking, and sheets and ballots become
 * read-only. Reopening needs a reason and is audited. Each is one transaction.
 */
export function publicationService(deps: { db: Knex; repo: PublicationRepo; ranking: RankingService; years: YearsService; audit: AuditService; notifications: NotificationsService; now: () => Date }) {
  const { db, repo, ranking, years, audit, notifications, now } = deps;

  async function openAsLeader(user: User, blocCode: string, year: number) {
    const ctx = await years.open(user, blocCode, year);
    access.assertBloc(user, ctx.bloc.id);
    authorize(user, "ranking.publish", { kind: "bloc", blocId: ctx.bloc.id });
    return ctx;
  }

  return {
    /** Leader and admin may publish or reopen; the ranking page shows them the buttons. */
    mayPublish: (user: User) => rolesFor("ranking.publish").includes(user.role),

    /** Throws unless the user may publish or reopen this year's ranking (checked before any form is read). */
    async assertMayPublish(user: User, blocCode: string, year: number): Promise<void> {
      await openAsLeader(user, blocCode, year);
    },

    async publish(user: User, blocCode: string, year: number, ip?: string): Promise<void> {
      const ctx = await openAsLeader(user, blocCode, year);
      if (ctx.year.rankingPublishedAt) throw new RuleViolationError(publicationMessages.alreadyPublished);
      const { result } = await ranking.compute(ctx);
      const rows = result.proposals.proposals.map((p) => ({
        agencyId: p.agencyId,
        award: p.award,
        rank: p.rank,
        total: p.total,
        votesFor: p.votesFor,
        validBallots: p.validBallots,
        reason: p.passedOver.length ? p.passedOver.map((o) => `${o.name}: ${o.reasons.join("; ")}`).join(" | ") : null,
      }));
      await db.transaction(async (trx) => {
        const at = now();
        if (!(await repo.markPublished(trx, ctx.year.id, at))) throw new ConflictError(publicationMessages.alreadyPublished);
        await notifications.notifyYear(
          trx,
          { blocId: ctx.bloc.id, yearId: ctx.year.id, exceptUserId: user.id },
          rankingPublishedDraft(ctx.bloc.name, ctx.year.year, `${ctx.basePath}/ranking`, `ranking:${ctx.year.id}:published:${at.toISOString()}`),
        );
        await repo.insertProposals(trx, ctx.year.id, rows);
        await audit.record(
          { userId: user.id, username: user.username, action: "ranking.publish", entity: "emulation_year", entityId: ctx.year.id, blocId: ctx.bloc.id, before: { published: false }, after: { published: true, proposals: rows }, ip },
          trx,
        );
      });
    },

    async reopen(user: User, blocCode: string, year: number, reason: string, ip?: string): Promise<{ errors?: Record<string, string[]> }> {
      const ctx = await openAsLeader(user, blocCode, year);
      if (!ctx.year.rankingPublishedAt) throw new RuleViolationError(publicationMessages.notPublished);
      if (reason.trim().length < 10) return { errors: { reason: [publicationMessages.reasonRequired] } };
      await db.transaction(async (trx) => {
        if (!(await repo.markReopened(trx, ctx.year.id))) throw new ConflictError(publicationMessages.notPublished);
        const removed = await repo.deleteProposed(trx, ctx.year.id);
        await audit.record(
          { userId: user.id, username: user.username, action: "ranking.reopen", entity: "emulation_year", entityId: ctx.year.id, blocId: ctx.bloc.id, before: { published: true, proposals: removed }, after: { published: false, reason: reason.trim() }, ip },
          trx,
        );
      });
      return {};
    },
  };
}

export type PublicationService = ReturnType<typeof publicationService>;
