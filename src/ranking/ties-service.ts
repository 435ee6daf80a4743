import type { Knex } from "knex";
import { z } from "zod";
import type { User } from "../auth/users-repo.js";
import { authorize, bloc } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import { RuleViolationError } from "../errors.js";
import { AWARDS, type TieDecision } from "../scoring/index.js";
import type { YearsService } from "../years/years-service.js";
import type { RankingRepo } from "./ranking-repo.js";
import type { RankingService } from "./ranking-service.js";

export const tieMessages = {
  published: "Kết quả xếp hạng năm này đã công bố: không ghi lại được lựa chọn của Hội nghị.",
  noTie: "Không có trường hợp đồng hạng nào chờ Hội nghị quyết định cho danh hiệu này.",
  wrongCount: (places: number) => `Vui lòng chọn đúng ${places} đơn vị theo quyết định của Hội nghị.`,
  reasonRequired: "Vui lòng ghi rõ căn cứ lựa chọn của Hội nghị (ít nhất 10 ký tự).",
  saved: "Đã ghi lựa chọn của Hội nghị; kết quả đề nghị khen thưởng đã được cập nhật.",
};

export const TieForm = z.object({
  award: z.enum(AWARDS),
  chosen: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  reason: z.string().max(2000, "Căn cứ tối đa 2.000 ký tự.").optional().default(""),
});

/**
 * The secretariat records the review meeting's choice between agencies tied for the last place of an
 * award (scoring-rules.md, "Ties for a capped award"): audited, one transaction, and the ranking as it
 * stood at the meeting is stored again with the choice.
 */
export function tiesService(deps: { db: Knex; years: YearsService; ranking: RankingService; rankingRepo: RankingRepo; audit: AuditService; now: () => Date }) {
  const { db, years, ranking, rankingRepo, audit, now } = deps;
  return {
    /** Role and scope, before the route reads the form: the bloc's secretariat records the meeting's choice. */
    async authorize(user: User, blocCode: string, year: number) {
      const ctx = await years.open(user, blocCode, year);
      authorize(user, "ranking.ties", bloc(ctx.bloc.id));
      return ctx;
    },

    async decide(user: User, blocCode: string, year: number, form: z.infer<typeof TieForm>, ip?: string): Promise<{ errors?: Record<string, string[]> }> {
      const ctx = await this.authorize(user, blocCode, year);
      if (ctx.year.rankingPublishedAt !== null) throw new RuleViolationError(tieMessages.published);
      const live = await ranking.liveState(ctx);
      // The tie as the rules see it now, whether or not an earlier decision settles it.
      const undecided = ranking.rescore(live, { decisions: (live.input.decisions ?? []).filter((d) => d.award !== form.award) });
      const tie = undecided.result.proposals.ties.find((t) => t.award === form.award);
      if (!tie) throw new RuleViolationError(tieMessages.noTie);
      const chosen = [...new Set(form.chosen.map(Number))].filter((id) => tie.agencyIds.includes(id));
      const errors: Record<string, string[]> = {};
      if (chosen.length !== tie.places) errors[`chosen_${form.award}`] = [tieMessages.wrongCount(tie.places)];
      if (form.reason.trim().length < 10) errors[`reason_${form.award}`] = [tieMessages.reasonRequired];
      if (Object.keys(errors).length) return { errors };
      const decision: TieDecision = { award: form.award, tiedAgencyIds: tie.agencyIds, chosenAgencyIds: chosen, reason: form.reason.trim() };
      const decisions = [...(live.input.decisions ?? []).filter((d) => d.award !== form.award), decision];
      const atMeeting = ranking.rescore(live, { decisions });
      const at = now();
      await db.transaction(async (trx) => {
        const before = (live.input.decisions ?? []).find((d) => d.award === form.award) ?? null;
        await rankingRepo.saveDecision(trx, ctx.year.id, decision, user.id, at);
        if (live.meeting) await rankingRepo.saveSnapshot(trx, ctx.year.id, "meeting", atMeeting, at);
        await audit.record(
          { userId: user.id, username: user.username, action: "ranking.tie_decision", entity: "emulation_year", entityId: ctx.year.id, blocId: ctx.bloc.id, before, after: decision, ip },
          trx,
        );
      });
      return {};
    },
  };
}

export type TiesService = ReturnType<typeof tiesService>;
