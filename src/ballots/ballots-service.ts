import type { Knex } from "knex";
import { z } from "zod";
import type { User } from "../auth/users-repo.js";
import { access, can } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import { NotFoundError, RuleViolationError } from "../errors.js";
import { formatDate, formatDateTime } from "../lib/dates.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import type { BallotsRepo } from "./ballots-repo.js";
import type { RankingService } from "../ranking/ranking-service.js";
import type { RankingRepo } from "../ranking/ranking-repo.js";
import { maxVotesFor } from "../scoring/index.js";
import { MeetingForm } from "./schemas.js";

type Errors = Record<string, string[]>;

export function ballotsService(deps: { repo: BallotsRepo; years: YearsService; audit: AuditService; db: Knex; ranking: RankingService; rankingRepo: RankingRepo; now: () => Date }) {
  const { repo, years, audit, db, ranking, rankingRepo, now } = deps;

  async function buildView(user: User, ctx: YearContext, typed?: Record<string, string>, errors: Errors = {}, withConflict = false) {
    const [meeting, votes] = [await repo.meeting(ctx.year.id), await repo.votes(ctx.year.id)];
    let conflict: { message: string; changes: { label: string; current: string; typed: string }[] } | null = null;
    if (withConflict && typed) {
      const change = await repo.lastChange(ctx.year.id);
      const current: [string, string, string][] = [
        ["held_on", "Ngày bỏ phiếu", meeting ? formatDate(meeting.heldOn) : ""],
        ["place", "Địa điểm", meeting?.place ?? ""],
        ["valid_ballots", "Số phiếu hợp lệ", meeting ? String(meeting.validBallots) : ""],
        ["chair", "Chủ trì cuộc họp", meeting?.chair ?? ""],
        ["secretary", "Thư ký cuộc họp", meeting?.secretary ?? ""],
        ["attendees", "Thành phần tham dự", meeting?.attendees ?? ""],
        ...ctx.agencies.map((a): [string, string, string] => [`v_${a.id}`, `Số phiếu đồng ý — ${a.name}`, String(votes.find((x) => x.agencyId === a.id)?.votesFor ?? "")]),
      ];
      conflict = {
        message:
          `Chưa lưu được: kết quả bỏ phiếu đã được ${change?.by ?? "người khác"} thay đổi lúc ${formatDateTime(change?.at ?? null)} sau khi bạn mở trang. ` +
          "Không có gì được lưu. Nội dung bạn vừa nhập vẫn được giữ dưới đây, bên cạnh giá trị hiện tại; hãy xem lại rồi lưu lại.",
        changes: current
          .map(([name, label, cur]) => ({ label, current: cur, typed: (typed[name] ?? "").trim() }))
          .filter((c) => c.current.trim() !== c.typed),
      };
    }
    const canEdit = can(user, "bloc.manage", { kind: "bloc", blocId: ctx.bloc.id }) && ctx.year.rankingPublishedAt === null;
    const value = (name: string, stored: string) => (typed ? (typed[name] ?? "") : stored);
    return {
      ctx,
      canEdit,
      action: `${ctx.basePath}/ballots`,
      /** Self-votes off: the form says a candidate's votes come from the other members only. */
      selfVoteExcluded: !ctx.year.rules.allowSelfVote,
      version: meeting ? String(meeting.version) : "",
      conflict,
      heldOn: value("held_on", meeting ? formatDate(meeting.heldOn) : ""),
      place: value("place", meeting?.place ?? ""),
      validBallots: value("valid_ballots", meeting ? String(meeting.validBallots) : ""),
      chair: value("chair", meeting?.chair ?? ""),
      secretary: value("secretary", meeting?.secretary ?? ""),
      attendees: value("attendees", meeting?.attendees ?? ""),
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
        else if (valid !== null && Number(text) > maxVotesFor(valid, ctx.year.rules)) {
          errors[name] = [
            ctx.year.rules.allowSelfVote
              ? `Số phiếu đồng ý không được lớn hơn số phiếu hợp lệ (${valid}).`
              : `Đơn vị không tự bỏ phiếu cho mình: số phiếu đồng ý không được lớn hơn ${maxVotesFor(valid, ctx.year.rules)} (số phiếu hợp lệ của các đơn vị khác).`,
          ];
        }
        else votes.push({ agencyId: a.id, votesFor: Number(text) });
      }
      const before = { meeting: await repo.meeting(ctx.year.id), votes: await repo.votes(ctx.year.id) };
      // The hidden `version`: the meeting's version when the page was opened (empty: none yet).
      const versionText = (values.version ?? "").trim();
      const expected = /^\d{1,9}$/.test(versionText) ? Number(versionText) : null;
      if (expected !== (before.meeting?.version ?? null)) return { conflict: true as const, view: await buildView(user, ctx, values, {}, true) };
      if (!parsed.success || Object.keys(errors).length) return { view: await buildView(user, ctx, values, errors) };

      const { held_on: heldOn, place, valid_ballots: validBallots, chair, secretary, attendees } = parsed.data;
      const meeting = { heldOn, place, validBallots, chair, secretary, attendees };
      // The ranking as it stands at the meeting, with these ballots: the minutes are built from it
      // (the snapshot keeps the meeting's day, place and ballots; who sat is read from the meeting's row).
      const atMeeting = ranking.rescore(await ranking.liveState(ctx), {
        ballots: votes.map((v) => ({ agencyId: v.agencyId, votesFor: v.votesFor, validBallots })),
        meeting: { heldOn, place, validBallots },
      });
      class StaleSave extends Error {}
      try {
        await db.transaction(async (trx) => {
          if (!(await repo.save(trx, ctx.year.id, expected, meeting, votes))) throw new StaleSave();
          await rankingRepo.saveSnapshot(trx, ctx.year.id, "meeting", atMeeting, now());
        await audit.record(
          { userId: user.id, username: user.username, action: "ballots.save", entity: "emulation_year", entityId: String(ctx.year.id), blocId: ctx.bloc.id, agencyId: null, before, after: { meeting, votes }, ip: ip ?? null },
          trx,
        );
        });
      } catch (e) {
        if (e instanceof StaleSave) return { conflict: true as const, view: await buildView(user, ctx, values, {}, true) };
        throw e;
      }
      return { message: "Đã lưu kết quả bỏ phiếu." };
    },
  };
}

export type BallotsService = ReturnType<typeof ballotsService>;
