// Writes generated blocs into the database: multi-row inserts in batches, one transaction per bloc.
import type { Knex } from "knex";
import { hashPassword } from "../auth/passwords.js";
import { DEMO_RULES } from "../scoring/rules.js";
import { takeRankingSnapshot } from "../ranking/snapshots.js";
import { generateBloc, provinceOf, prng, personName, type GenBloc, type GenSubmission, type SyntheticOptions } from "./generator.js";

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for the widest table here. */
const BATCH = 1000;

async function insertMany(trx: Knex.Transaction, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await trx(table).insert(rows.slice(i, i + BATCH));
}

async function insertReturning<T>(trx: Knex.Transaction, table: string, rows: Record<string, unknown>[], cols: string[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < rows.length; i += BATCH) out.push(...((await trx(table).insert(rows.slice(i, i + BATCH)).returning(cols)) as T[]));
  return out;
}

function reportContent(agencyName: string, campaigns: { code: string; title: string }[], label: string) {
  return JSON.stringify({
    sections: Object.fromEntries(
      campaigns.map((c) => [
        c.code,
        {
          done: `${agencyName} quán triệt, triển khai ${c.title} tới toàn thể cán bộ, công chức, viên chức và người lao động.`,
          results: `Hoàn thành các nội dung đề ra trong ${label}.`,
          figures: "100% cán bộ, công chức tham gia.",
        },
      ]),
    ),
    general: `Trong ${label}, ${agencyName} hoàn thành tốt các chỉ tiêu, nhiệm vụ được giao.`,
    shortcomings: "Một số nội dung triển khai còn chậm so với kế hoạch.",
    proposals: "Đề nghị Khối tiếp tục tổ chức các hoạt động giao lưu, trao đổi kinh nghiệm.",
  });
}

export interface WriteSummary {
  blocs: number;
  agencies: number;
  years: number;
  reports: number;
  sheets: number;
  entries: number;
  users: number;
  /** Bloc-years whose ranking is published (every year but the last). */
  published: number;
}

/** Writes one generated bloc (its agencies, users, years and everything in them) in one transaction. */
export async function writeBloc(db: Knex, bloc: GenBloc, ctx: { placeName: string; issuingBody: string; passwordHash: string; seed: number }): Promise<WriteSummary> {
  const sum: WriteSummary = { blocs: 1, agencies: bloc.agencies.length, years: bloc.years.length, reports: 0, sheets: 0, entries: 0, users: 0, published: 0 };
  const rng = prng(ctx.seed + bloc.code.length * 97 + bloc.agencies.length);
  await db.transaction(async (trx) => {
    if (await trx("blocs").where({ code: bloc.code }).first("id")) {
      throw new Error(`Khối mã "${bloc.code}" đã có trong cơ sở dữ liệu; dùng --prefix khác.`);
    }
    const [{ id: blocId }] = await trx("blocs")
      .insert({ code: bloc.code, name: bloc.name, kind: bloc.name.startsWith("Cụm") ? "cluster" : "bloc", issuing_body: ctx.issuingBody, short_name: bloc.shortName, place_name: ctx.placeName })
      .returning("id");
    const agencyRows = await insertReturning<{ id: number; code: string }>(
      trx,
      "agencies",
      bloc.agencies.map((a) => ({ code: a.code, name: a.name, short_name: a.shortName, head_position: a.headPosition, head_name: personName(rng) })),
      ["id", "code"],
    );
    const agencyId = new Map(agencyRows.map((r) => [r.code, r.id]));
    const aid = (code: string) => agencyId.get(code)!;
    const nameOf = new Map(bloc.agencies.map((a) => [a.code, a.shortName]));
    await insertMany(trx, "bloc_memberships", bloc.agencies.map((a) => ({ bloc_id: blocId, agency_id: aid(a.code), joined_year: bloc.years[0]!.year })));

    // Accounts: the bloc's secretariat and one clerk per agency, all with the demo password.
    const users = await insertReturning<{ id: number; username: string }>(
      trx,
      "users",
      [
        { username: `thuongtruc.${bloc.code}`, full_name: `Thường trực ${bloc.name}`, role: "secretariat", agency_id: null, password_hash: ctx.passwordHash },
        ...bloc.agencies.map((a) => ({ username: `canbo.${a.code}`, full_name: `${personName(rng)} — ${a.shortName}`, role: "clerk", agency_id: aid(a.code), password_hash: ctx.passwordHash })),
      ],
      ["id", "username"],
    );
    sum.users = users.length;
    await trx("user_blocs").insert({ user_id: users[0]!.id, bloc_id: blocId });
    const secretariat = users[0]!.id;
    const clerkOf = new Map(users.slice(1).map((u) => [u.username.slice("canbo.".length), u.id]));

    for (const y of bloc.years) {
      const [{ id: yearId }] = await trx("emulation_years")
        .insert({
          bloc_id: blocId, year: y.year, theme: y.theme, plan_number: y.planNumber, plan_date: y.planDate,
          plan_signer_name: personName(rng), plan_signer_position: `Trưởng ${bloc.name}`,
          head_agency_id: aid(y.head), deputy_agency_id: aid(y.deputy), registration_due_on: y.registrationDueOn,
          rules: JSON.stringify(DEMO_RULES),
        })
        .returning("id");
      await insertMany(trx, "year_agencies", bloc.agencies.map((a, i) => ({ year_id: yearId, agency_id: aid(a.code), name: a.name, short_name: a.shortName, sort_order: i + 1 })));
      await insertMany(trx, "campaigns", y.campaigns.map((c, i) => ({ year_id: yearId, code: c.code, kind: c.kind, title: c.title, sort_order: i + 1 })));
      const periodRows = await insertReturning<{ id: number; kind: string }>(
        trx,
        "periods",
        y.periods.map((p) => ({
          year_id: yearId, kind: p.kind, number: p.number, title: p.title, starts_on: p.startsOn, ends_on: p.endsOn,
          data_from: p.dataFrom, data_to: p.dataTo, due_on: p.dueOn, conference_month: p.conferenceMonth,
        })),
        ["id", "kind"],
      );
      const periodId = new Map(periodRows.map((p) => [p.kind, p.id]));

      // Criteria: groups first (their ids are the items' parents), then items.
      const groups = await insertReturning<{ id: number; code: string }>(
        trx,
        "criteria",
        y.criteria.filter((c) => c.parentCode === null).map((c) => ({ year_id: yearId, code: c.code, title: c.title, kind: c.kind, max_points: c.maxHundredths / 100, sort_order: c.sortOrder })),
        ["id", "code"],
      );
      const groupId = new Map(groups.map((g) => [g.code, g.id]));
      const items = await insertReturning<{ id: number; code: string }>(
        trx,
        "criteria",
        y.criteria
          .filter((c) => c.parentCode !== null)
          .map((c) => ({ year_id: yearId, parent_id: groupId.get(c.parentCode!)!, code: c.code, title: c.title, kind: c.kind, max_points: c.maxHundredths / 100, auto_source: c.autoSource, sort_order: c.sortOrder })),
        ["id", "code"],
      );
      const criterionId = new Map(items.map((c) => [c.code, c.id]));

      const sub = (s: GenSubmission) => ({
        agency_id: aid(s.agency), status: s.status, submitted_at: s.submittedAt, submitted_on: s.submittedOn,
        late_days: s.lateDays, return_comment: s.returnComment,
      });
      await insertMany(
        trx,
        "registrations",
        y.registrations.map((r) => ({
          ...sub(r), year_id: yearId, accepted_at: r.status === "accepted" ? r.submittedAt : null,
          content: JSON.stringify({ titles: ["Cờ thi đua của UBND tỉnh", "Tập thể lao động xuất sắc"], targets: `Hoàn thành xuất sắc 100% chỉ tiêu, nhiệm vụ được giao năm ${y.year}.` }),
        })),
      );
      for (const p of y.periods) {
        const label = p.kind === "six_month" ? `6 tháng đầu năm ${y.year}` : `năm ${y.year}`;
        const contents = new Map(p.reports.map((r) => [r.agency, reportContent(nameOf.get(r.agency)!, y.campaigns, label)]));
        const rows = await insertReturning<{ id: number; agency_id: number }>(
          trx,
          "reports",
          p.reports.map((r) => ({
            ...sub(r), period_id: periodId.get(p.kind)!, content: contents.get(r.agency)!,
            returned_at: r.status === "returned" ? `${p.dueOn}T09:00:00+07:00` : null,
            accepted_at: r.status === "accepted" ? r.submittedAt : null,
            updated_by: clerkOf.get(r.agency) ?? null,
          })),
          ["id", "agency_id"],
        );
        sum.reports += rows.length;
        const byAgencyId = new Map(p.reports.map((r) => [aid(r.agency), r]));
        await insertMany(
          trx,
          "report_versions",
          rows
            .map((row) => ({ row, r: byAgencyId.get(row.agency_id)! }))
            .filter(({ r }) => r.submittedAt)
            .map(({ row, r }) => ({ report_id: row.id, number: 1, content: contents.get(r.agency)!, submitted_at: r.submittedAt, submitted_by: clerkOf.get(r.agency) ?? null })),
        );
      }

      const sheetRows = await insertReturning<{ id: number; agency_id: number }>(
        trx,
        "score_sheets",
        y.sheets.map((s) => ({
          year_id: yearId, agency_id: aid(s.agency), status: s.status, submitted_at: s.submittedAt, submitted_on: s.submittedOn,
          late_days: s.lateDays, reviewed_at: s.reviewed ? `${y.year + 1}-01-05T09:00:00+07:00` : null, reviewed_by: s.reviewed ? secretariat : null,
          return_comment: s.returnComment, discipline_flag: s.disciplineReason !== null, discipline_reason: s.disciplineReason,
        })),
        ["id", "agency_id"],
      );
      sum.sheets += sheetRows.length;
      const sheetId = new Map(sheetRows.map((r) => [r.agency_id, r.id]));
      const entries = y.sheets.flatMap((s) =>
        s.entries.map((e) => ({
          sheet_id: sheetId.get(aid(s.agency))!, criterion_id: criterionId.get(e.criterion)!, self_points: e.selfPoints, bloc_points: e.blocPoints,
          self_count: e.selfCount, bloc_count: e.blocCount, bloc_reason: e.blocReason,
        })),
      );
      sum.entries += entries.length;
      await insertMany(trx, "score_entries", entries);

      await trx("ballot_meetings").insert({ year_id: yearId, held_on: y.meeting.heldOn, place: y.meeting.place, valid_ballots: y.meeting.validBallots });
      await insertMany(trx, "votes", y.votes.map((v) => ({ year_id: yearId, agency_id: aid(v.agency), votes_for: v.votesFor, valid_ballots: y.meeting.validBallots })));
    }
    // Every year but the last is over: its ranking was published (stored as the leader's publication stores it).
    for (const y of bloc.years.slice(0, -1)) {
      const at = new Date(`${y.year + 1}-01-20T09:00:00+07:00`);
      await takeRankingSnapshot(trx, bloc.code, y.year, "published", at);
      await trx("emulation_years").where({ bloc_id: blocId, year: y.year }).update({ ranking_published_at: at });
      sum.published++;
    }
  });
  return sum;
}

/** Generates and writes the whole synthetic province, one bloc (one transaction) at a time. */
export async function writeSynthetic(db: Knex, opts: SyntheticOptions, onBloc?: (code: string, i: number) => void): Promise<WriteSummary> {
  const province = provinceOf(opts);
  const passwordHash = await hashPassword("thidua2022");
  const total: WriteSummary = { blocs: 0, agencies: 0, years: 0, reports: 0, sheets: 0, entries: 0, users: 0, published: 0 };
  for (let i = 0; i < opts.blocs; i++) {
    const bloc = generateBloc(opts, i);
    const s = await writeBloc(db, bloc, { placeName: province.name, issuingBody: province.issuingBody, passwordHash, seed: opts.seed + i });
    for (const k of Object.keys(total) as (keyof WriteSummary)[]) total[k] += s[k];
    onBloc?.(bloc.code, i);
  }
  // Fresh statistics after a bulk load: without them the planner seq-scans score_entries (measured).
  await db.raw("ANALYZE");
  return total;
}
