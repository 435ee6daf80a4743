import type { Knex } from "knex";
import { z } from "zod";
import type { User } from "../auth/users-repo.js";
import { access } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import { NotFoundError, RuleViolationError } from "../errors.js";
import { formatDate } from "../lib/dates.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import type { BallotsRepo } from "./ballots-repo.js";
import { MeetingForm } from "./schemas.js";

type Errors = Record<string, string[]>;

export function ballotsService(deps: { repo: BallotsRepo; years: YearsService; audit: AuditService; db: Knex }) {
  const { repo, years, audit, db } = deps;

  async function buildView(user: User, ctx: YearContext, typed?: Record<string, string>, errors: Errors = {}) {
    const [meeting, votes] = [await repo.meeting(ctx.year.id), await repo.votes(ctx.year.id)];
    const canEdit = (user.role === "secretariat" || user.role === "admin") && ctx.year.rankingPublishedAt === null;
    const value = (name: string, stored: string) => (typed ? (typed[name] ?? "") : stored);
    return {
      ctx,
      canEdit,
      action: `${ctx.basePath}/ballots`,
      heldOn: value("held_on", meeting ? formatDate(meeting.heldOn) : ""),
      place: value("place", meeting?.place ?? ""),
      validBallots: value("valid_ballots", meeting ? String(meeting.validBallots) : ""),
      candidates: ctx.agencies.map((a) => {
        const v = votes.find((x) => x.agencyId === a.id);
        return { name: a.name, field: `v_${a.id}`, value: value(`v_${a.id}`, v ? String(v.votesFor) : ""), text: v && meeting ? `${v.votesFor}/${meeting.validBallots}` : "—" };
      }),
      errors,
    };
  }

  return {
    /** The ballot page: the secretariat's form, or read-only for the other bloc readers (clerks: 404). */
    async view(user: User, bloc: string, year: number) {
      const ctx = await years.open(user, bloc, year);
      if (!access.isBlocReader(user)) throw new NotFoundError();
      return buildView(user, ctx);
    },

    /** Records the meeting and the votes; refused values come back beside their fields, nothing saved. */
    async save(user: User, bloc: string, year: number, values: Record<string, string>, ip?: string) {
      const ctx = await years.open(user, bloc, year);
      access.assertSecretariat(user, ctx.bloc.id);
      if (ctx.year.rankingPublishedAt !== null) throw new RuleViolationError("Kết quả xếp hạng năm này đã công bố: không sửa được kết quả bỏ phiếu.");
      const parsed = MeetingForm.safeParse(values);
      const errors: Errors = parsed.success ? {} : (z.flattenError(parsed.error).fieldErrors as Errors);
      // Votes are checked against the typed number of valid ballots even when another field is refused.
      const validText = (values.valid_ballots ?? "").trim();
      const valid = /^\d{1,5}$/.test(validText) ? Number(validText) : null;
      const votes: { agencyId: number; votesFor: number }[] = [];
      for (const a of ctx.agencies) {
        const name = `v_${a.id}`;
        const text = (values[name] ?? "").trim();
        if (text === "") continue;
        if (!/^\d{1,5}$/.test(text)) errors[name] = ["Số phiếu phải là số nguyên từ 0 trở lên."];
        else if (valid !== null && Number(text) > valid) errors[name] = [`Số phiếu đồng ý không được lớn hơn số phiếu hợp lệ (${valid}).`];
        else votes.push({ agencyId: a.id, votesFor: Number(text) });
      }
      if (!parsed.success || Object.keys(errors).length) return { view: await buildView(user, ctx, values, errors) };

      const before = { meeting: await repo.meeting(ctx.year.id), votes: await repo.votes(ctx.year.id) };
      const meeting = { heldOn: parsed.data.held_on, place: parsed.data.place, validBallots: parsed.data.valid_ballots };
      await db.transaction(async (trx) => {
        await repo.save(trx, ctx.year.id, meeting, votes);
        await audit.record(
          { userId: user.id, username: user.username, action: "ballots.save", entity: "emulation_year", entityId: String(ctx.year.id), blocId: ctx.bloc.id, agencyId: null, before, after: { meeting, votes }, ip: ip ?? null },
          trx,
        );
      });
      return { message: "Đã lưu kết quả bỏ phiếu." };
    },
  };
}

export type BallotsService = ReturnType<typeof ballotsService>;
