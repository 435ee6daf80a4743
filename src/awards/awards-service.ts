import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { authorize, bloc, can } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import type { Standing } from "../objections/standing.js";
import { ConflictError, NotFoundError, RuleViolationError } from "../errors.js";
import { AWARD_LABELS, CLASSIFICATION_LABELS, type Classification } from "../scoring/index.js";
import { formatDate } from "../lib/dates.js";
import type { AwardDecisionFields, AwardKind, AwardRow, AwardsRepo } from "./awards-repo.js";

export const awardMessages = {
  notFinal: "Kết quả xếp hạng chưa chính thức (còn thời hạn kiến nghị hoặc còn kiến nghị chưa xử lý): chưa ghi quyết định của tỉnh.",
  alreadyDecided: "Đề nghị này đã có quyết định của tỉnh; quyết định sai thì ghi thu hồi.",
  alreadyRevoked: "Khen thưởng này đã bị thu hồi.",
  notAwarded: "Chỉ thu hồi khen thưởng đã được tặng.",
  decided: "Đã ghi quyết định của tỉnh.",
  revoked: "Đã ghi thu hồi khen thưởng; khen thưởng vẫn được giữ trong lịch sử, có ghi lý do thu hồi.",
  backfilled: "Đã ghi bổ sung khen thưởng vào lịch sử của cơ quan, đơn vị.",
};

export const AWARD_KIND_LABELS: Record<AwardKind, string> = { ...AWARD_LABELS, other: "Hình thức khen thưởng khác" };

export interface DecisionInput extends AwardDecisionFields {
  proposalId: number;
}
export type BackfillInput = Omit<DecisionInput, "proposalId" | "outcome"> & { year: number; award: AwardKind };

/** An award as people read it: its name, its decision, revoked or not. */
export function awardView(a: AwardRow) {
  const name = a.award === "other" ? (a.awardTitle ?? "") : a.award ? AWARD_LABELS[a.award] : "";
  const decision = [a.decisionNumber ? `Quyết định số ${a.decisionNumber}` : "", a.decidedOn ? `ngày ${formatDate(a.decidedOn)}` : "", a.authority ? `của ${a.authority}` : ""].filter(Boolean).join(" ");
  return {
    ...a,
    name,
    decision,
    revoked: a.revokedAt !== null,
    statusLabel: a.outcome === "not_awarded" ? "Không được khen thưởng" : a.revokedAt ? "Đã thu hồi" : "Được khen thưởng",
    status: a.outcome === "not_awarded" ? "not_awarded" : a.revokedAt ? "revoked" : "awarded",
  };
}
export type AwardView = ReturnType<typeof awardView>;

/**
 * The province's decisions on the bloc's proposals (awarded with decision number, date, authority
 * and award — which may differ from the one proposed —, or not awarded), revocations with their
 * reason (never deleted), and awards decided outside the portal entered afterwards, past years too
 * (issue 18). Each write is one transaction, audited.
 */
export function awardsService(deps: { db: Knex; repo: AwardsRepo; years: YearsService; audit: AuditService; now: () => Date; standing: (ctx: YearContext) => Promise<Standing>; agencyBlocIds: (agencyId: number) => Promise<number[]> }) {
  const { db, repo, years, audit, now, standing, agencyBlocIds } = deps;

  const nameOf = (ctx: YearContext, id: number) => ctx.agencies.find((a) => a.id === id)?.name ?? "";

  async function revokeRow(user: User, a: AwardRow, reason: string, blocId: number | null, ip?: string) {
    if (a.outcome !== "awarded") throw new RuleViolationError(awardMessages.notAwarded);
    if (a.revokedAt) throw new ConflictError(awardMessages.alreadyRevoked);
    await db.transaction(async (trx) => {
      if (!(await repo.revoke(trx, a.id, { reason, userId: user.id, at: now() }))) throw new ConflictError(awardMessages.alreadyRevoked);
      await audit.record({ userId: user.id, username: user.username, action: "award.revoke", entity: "award", entityId: a.id, blocId, agencyId: a.agencyId, before: { revoked: false }, after: { revoked: true, reason }, ip }, trx);
    });
  }

  return {
    /** The year's proposals with the province's decision on each, and the awards of the year entered afterwards. */
    async decisionsPage(user: User, blocCode: string, year: number) {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "award.read", bloc(ctx.bloc.id));
      const [proposals, awards, st] = [await repo.proposalsOf(ctx.year.id), await repo.ofYear(ctx.year.id, ctx.bloc.id, ctx.year.year), await standing(ctx)];
      return {
        ctx,
        standing: st,
        mayDecide: can(user, "award.decide", bloc(ctx.bloc.id)) && st.state === "final",
        rows: proposals.map((p) => {
          const decision = awards.find((a) => a.proposalId === p.id);
          return { ...p, agencyName: nameOf(ctx, p.agencyId), awardLabel: AWARD_LABELS[p.award], decision: decision ? awardView(decision) : null };
        }),
        others: awards.filter((a) => a.proposalId === null).map((a) => ({ ...awardView(a), agencyName: nameOf(ctx, a.agencyId) })),
        kinds: AWARD_KIND_LABELS,
      };
    },

    /** Throws unless the user may record decisions of this bloc (checked before the form is read). */
    async assertMayDecide(user: User, blocCode: string, year: number): Promise<void> {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "award.decide", bloc(ctx.bloc.id));
    },

    /** Records the province's decision on one proposal, once the ranking is final. */
    async decide(user: User, blocCode: string, year: number, input: DecisionInput, ip?: string): Promise<void> {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "award.decide", bloc(ctx.bloc.id));
      const proposal = (await repo.proposalsOf(ctx.year.id)).find((p) => p.id === input.proposalId);
      if (!proposal) throw new NotFoundError();
      if ((await standing(ctx)).state !== "final") throw new RuleViolationError(awardMessages.notFinal);
      if ((await repo.ofYear(ctx.year.id, ctx.bloc.id, ctx.year.year)).some((a) => a.proposalId === proposal.id)) throw new ConflictError(awardMessages.alreadyDecided);
      await db.transaction(async (trx) => {
        const awarded = input.outcome === "awarded";
        const id = await repo.insert(trx, {
          agencyId: proposal.agencyId, year: ctx.year.year, blocId: ctx.bloc.id, proposalId: proposal.id, outcome: input.outcome,
          award: awarded ? (input.award ?? proposal.award) : null, awardTitle: awarded && input.award === "other" ? input.awardTitle : null,
          decisionNumber: input.decisionNumber, decidedOn: input.decidedOn, authority: input.authority, note: input.note, backfilled: false, userId: user.id,
        });
        await audit.record(
          { userId: user.id, username: user.username, action: "award.decide", entity: "award", entityId: id, blocId: ctx.bloc.id, agencyId: proposal.agencyId, before: { proposed: AWARD_LABELS[proposal.award] }, after: { ...input, award: input.award ? AWARD_KIND_LABELS[input.award] : null }, ip },
          trx,
        );
      }).catch((e: unknown) => {
        // Two people deciding the same proposal at once: the unique proposal_id refuses the second.
        if ((e as { code?: string }).code === "23505") throw new ConflictError(awardMessages.alreadyDecided);
        throw e;
      });
    },

    /** Revokes an award of the bloc's year (a decided proposal, or one entered afterwards for the year), with its reason. */
    async revokeInYear(user: User, blocCode: string, year: number, awardId: number, reason: string, ip?: string): Promise<void> {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "award.decide", bloc(ctx.bloc.id));
      const a = (await repo.ofYear(ctx.year.id, ctx.bloc.id, ctx.year.year)).find((w) => w.id === awardId);
      if (!a) throw new NotFoundError();
      await revokeRow(user, a, reason, ctx.bloc.id, ip);
    },

    /** The agency's history: every published year's rank, total and classification, and every award (revoked ones marked). */
    async history(agencyId: number) {
      const [places, awards] = [await repo.publishedPlaces(agencyId), (await repo.ofAgency(agencyId)).map(awardView)];
      const years = [...new Set([...places.map((p) => p.year), ...awards.map((a) => a.year)])].sort((a, b) => b - a);
      return years.map((y) => {
        const place = places.find((p) => p.year === y) ?? null;
        return {
          year: y,
          blocName: place?.blocName ?? "",
          rank: place?.rank ?? null,
          total: place?.total ?? null,
          classification: place?.classification ? (CLASSIFICATION_LABELS[place.classification as Classification] ?? "") : "",
          awards: awards.filter((a) => a.year === y && a.outcome === "awarded"),
        };
      });
    },

    /** Whether the user may enter awards afterwards for this agency (S of every bloc it belongs to, or A). */
    async mayBackfill(user: User, agencyId: number): Promise<boolean> {
      return can(user, "award.backfill", { kind: "agency", agencyId, blocIds: await agencyBlocIds(agencyId) });
    },

    /** Throws unless the user may enter or revoke this agency's awards (checked before the form is read). */
    async assertMayBackfill(user: User, agencyId: number): Promise<void> {
      authorize(user, "award.backfill", { kind: "agency", agencyId, blocIds: await agencyBlocIds(agencyId) });
    },

    /** Enters an award decided outside the portal (any year, past ones too) for an agency of the bloc. */
    async backfill(user: User, blocId: number, agencyId: number, input: BackfillInput, ip?: string): Promise<void> {
      authorize(user, "award.backfill", { kind: "agency", agencyId, blocIds: await agencyBlocIds(agencyId) });
      await db.transaction(async (trx) => {
        const id = await repo.insert(trx, {
          agencyId, year: input.year, blocId, proposalId: null, outcome: "awarded", award: input.award, awardTitle: input.award === "other" ? input.awardTitle : null,
          decisionNumber: input.decisionNumber, decidedOn: input.decidedOn, authority: input.authority, note: input.note, backfilled: true, userId: user.id,
        });
        await audit.record({ userId: user.id, username: user.username, action: "award.backfill", entity: "award", entityId: id, blocId, agencyId, before: null, after: { ...input, award: AWARD_KIND_LABELS[input.award] }, ip }, trx);
      });
    },

    /** Revokes an award of the agency entered afterwards, or any of its awards (same right as entering one). */
    async revokeOfAgency(user: User, blocId: number, agencyId: number, awardId: number, reason: string, ip?: string): Promise<void> {
      authorize(user, "award.backfill", { kind: "agency", agencyId, blocIds: await agencyBlocIds(agencyId) });
      const a = await repo.find(awardId);
      if (!a || a.agencyId !== agencyId) throw new NotFoundError();
      await revokeRow(user, a, reason, blocId, ip);
    },

    /** The awards of the agencies before `year` still standing, for the proposal letter ("previous flags"). */
    async previousAwards(agencyIds: number[], year: number) {
      return (await repo.standingBefore(agencyIds, year)).map(awardView);
    },
  };
}

export type AwardsService = ReturnType<typeof awardsService>;
