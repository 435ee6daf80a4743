import type { Knex } from "knex";
import { hashPassword } from "../src/auth/passwords.js";
import { localDate, daysBetween } from "../src/lib/dates.js";
import { DEMO_RULES } from "../src/scoring/rules.js";
import * as demo from "./demo-data.js";
import { takeRankingSnapshot } from "../src/ranking/snapshots.js";
import { createServices } from "../src/services.js";
import { usersRepo, type User } from "../src/auth/users-repo.js";
import { seedCurrentYear } from "./demo-current-year.js";

type Ids = Record<string, number>;

function lateDays(dueOn: string, submittedAt: string | undefined): number {
  return submittedAt ? Math.max(0, daysBetween(dueOn, localDate(new Date(submittedAt)))) : 0;
}

function reportContent(agencyName: string, campaigns: typeof demo.CAMPAIGNS, periodLabel: string) {
  return {
    sections: Object.fromEntries(
      campaigns.map((c) => [
        c.code,
        {
          done: `${agencyName} quán triệt, triển khai ${c.title} tới toàn thể cán bộ, chiến sĩ, công chức, viên chức và người lao động.`,
          results: `Hoàn thành các nội dung đề ra trong ${periodLabel}.`,
          figures: "100% cán bộ, công chức tham gia.",
        },
      ]),
    ),
    general: `Trong ${periodLabel}, ${agencyName} hoàn thành tốt các chỉ tiêu, nhiệm vụ được giao.`,
    shortcomings: "Một số nội dung triển khai còn chậm so với kế hoạch.",
    proposals: "Đề nghị Khối tiếp tục tổ chức các hoạt động giao lưu, trao đổi kinh nghiệm.",
  };
}

export interface SeedDemoOptions {
  /** The clock: the running year is the calendar year of this day (Vietnam time). */
  now?: Date;
  /**
   * Keep 2022 in progress (ranking unpublished, year open) and add no current year: the demo as it
   * was before years could close, for tests that exercise 2022's workflows.
   */
  keep2022InProgress?: boolean;
}

/**
 * Loads the demo bloc in one transaction: 2022 exactly as the plan has it, published through the
 * publication service and closed, then the current calendar year made from 2022 by the same copy a
 * secretariat uses. A second load changes nothing: the years are written only when 2022 does not
 * exist yet, users only when missing.
 */
export async function seedDemo(db: Knex, opts: SeedDemoOptions = {}): Promise<{ created: boolean }> {
  const hashes = await Promise.all(demo.USERS.map(() => hashPassword(demo.DEMO_PASSWORD)));
  return db.transaction(async (trx) => {
    const existing = await trx("blocs").where({ code: demo.BLOC.code }).first("id");
    let blocId: number;
    if (existing) blocId = existing.id;
    else [{ id: blocId }] = await trx("blocs").insert(demo.BLOC).returning("id");

    const agencyIds: Ids = {};
    for (const a of demo.AGENCIES) {
      const row = await trx("agencies").where({ code: a.code }).first("id");
      agencyIds[a.code] = row ? row.id : (await trx("agencies").insert(a).returning("id"))[0].id;
    }
    const agency = (code: string): number => {
      const id = agencyIds[code];
      if (id === undefined) throw new Error(`unknown agency ${code}`);
      return id;
    };

    const userIds: Ids = {};
    for (const [i, u] of demo.USERS.entries()) {
      const row = await trx("users").where({ username: u.username }).first("id");
      if (row) {
        userIds[u.username] = row.id;
        continue;
      }
      const [{ id }] = await trx("users")
        .insert({
          username: u.username,
          full_name: u.full_name,
          role: u.role,
          agency_id: u.agency ? agency(u.agency) : null,
          email: `${u.username}@tuyenquang.example`,
          password_hash: hashes[i],
        })
        .returning("id");
      userIds[u.username] = id;
      if (u.role === "secretariat" || u.role === "leader" || u.role === "observer") {
        await trx("user_blocs").insert({ user_id: id, bloc_id: blocId });
      }
    }

    if (await trx("emulation_years").where({ bloc_id: blocId, year: demo.YEAR.year }).first("id")) {
      return { created: false };
    }

    for (const a of demo.AGENCIES) {
      await trx("bloc_memberships").insert({ bloc_id: blocId, agency_id: agency(a.code), joined_year: demo.YEAR.year });
    }
    const { head, deputy, ...yearFields } = demo.YEAR;
    const [{ id: yearId }] = await trx("emulation_years")
      .insert({
        ...yearFields,
        bloc_id: blocId,
        head_agency_id: agency(head),
        deputy_agency_id: agency(deputy),
        rules: JSON.stringify(DEMO_RULES),
      })
      .returning("id");
    await trx("year_agencies").insert(
      demo.AGENCIES.map((a, i) => ({
        year_id: yearId,
        agency_id: agency(a.code),
        name: a.name,
        short_name: a.short_name,
        sort_order: i + 1,
      })),
    );
    await trx("campaigns").insert(demo.CAMPAIGNS.map((c, i) => ({ ...c, year_id: yearId, sort_order: i + 1 })));
    const periodIds: Ids = {};
    for (const p of demo.PERIODS) {
      periodIds[p.kind] = (await trx("periods").insert({ ...p, year_id: yearId }).returning("id"))[0].id;
    }

    // Criteria tree.
    const criteria: { id: number; code: string; kind: string; max: number; auto?: string }[] = [];
    for (const [gi, group] of demo.CRITERIA.entries()) {
      const [{ id: groupId }] = await trx("criteria")
        .insert({ year_id: yearId, code: group.code, title: group.title, kind: group.kind, max_points: group.max, sort_order: gi + 1 })
        .returning("id");
      for (const [ii, item] of (group.items ?? []).entries()) {
        const [{ id }] = await trx("criteria")
          .insert({
            year_id: yearId,
            parent_id: groupId,
            code: item.code,
            title: item.title,
            kind: item.kind,
            max_points: item.max,
            auto_source: item.auto ?? null,
            sort_order: ii + 1,
          })
          .returning("id");
        criteria.push({ id, code: item.code, kind: item.kind, max: item.max, auto: item.auto });
      }
    }

    const secretariat = userIds["thuongtruc"];
    const deputyReviewer = userIds["phokhoi"];
    const clerkOf = (code: string) => userIds[`canbo.${code}`];
    const agencyName = (code: string) => demo.AGENCIES.find((a) => a.code === code)?.short_name ?? code;

    for (const r of demo.REGISTRATIONS) {
      await trx("registrations").insert({
        year_id: yearId,
        agency_id: agency(r.agency),
        status: r.status,
        content: JSON.stringify({
          titles: ["Cờ thi đua của UBND tỉnh", "Tập thể lao động xuất sắc"],
          targets: "Hoàn thành xuất sắc 100% chỉ tiêu, nhiệm vụ được giao năm 2022; không có cán bộ vi phạm kỷ luật.",
        }),
        signer_name: null,
        signer_position: demo.AGENCIES.find((a) => a.code === r.agency)?.head_position ?? null,
        submitted_at: r.submittedAt ?? null,
        submitted_on: r.submittedAt ? localDate(new Date(r.submittedAt)) : null,
        late_days: lateDays(demo.YEAR.registration_due_on, r.submittedAt),
        accepted_at: r.status === "accepted" ? r.submittedAt : null,
      });
    }

    const periodReports = [
      ["six_month", demo.SIX_MONTH_REPORTS, "6 tháng đầu năm 2022"],
      ["annual", demo.ANNUAL_REPORTS, "năm 2022"],
    ] as const;
    for (const [kind, reports, label] of periodReports) {
      const period = demo.PERIODS.find((p) => p.kind === kind)!;
      for (const r of reports) {
        const content = reportContent(agencyName(r.agency), demo.CAMPAIGNS, label);
        const [{ id: reportId }] = await trx("reports")
          .insert({
            period_id: periodIds[kind],
            agency_id: agency(r.agency),
            status: r.status,
            content: JSON.stringify(content),
            submitted_at: r.submittedAt ?? null,
            submitted_on: r.submittedAt ? localDate(new Date(r.submittedAt)) : null,
            late_days: lateDays(period.due_on, r.submittedAt),
            return_comment: r.returnComment ?? null,
            returned_at: r.status === "returned" ? "2022-06-16T09:00:00+07:00" : null,
            accepted_at: r.status === "accepted" ? r.submittedAt : null,
            updated_by: clerkOf(r.agency),
          })
          .returning("id");
        if (r.submittedAt) {
          await trx("report_versions").insert({
            report_id: reportId,
            number: 1,
            content: JSON.stringify(content),
            submitted_at: r.submittedAt,
            submitted_by: clerkOf(r.agency),
          });
        }
      }
    }

    const annualDue = demo.PERIODS[1].due_on;
    for (const s of demo.SCORE_SHEETS) {
      const [{ id: sheetId }] = await trx("score_sheets")
        .insert({
          year_id: yearId,
          agency_id: agency(s.agency),
          status: s.status,
          submitted_at: s.submittedAt ?? null,
          submitted_on: s.submittedAt ? localDate(new Date(s.submittedAt)) : null,
          late_days: lateDays(annualDue, s.submittedAt),
          reviewed_at: s.status === "reviewed" ? "2023-01-05T09:00:00+07:00" : null,
          // Nobody reviews their own agency: the head's sheet by the deputy's reviewer (phokhoi).
          reviewed_by: s.status === "reviewed" ? (s.agency === demo.YEAR.head ? deputyReviewer : secretariat) : null,
          discipline_flag: Boolean(s.discipline),
          discipline_reason: s.discipline ?? null,
        })
        .returning("id");
      const reviewed = s.status === "reviewed";
      await trx("score_entries").insert(
        criteria
          .filter((c) => !c.auto)
          .map((c) => {
            const bloc = s.blocPoints?.[c.code];
            if (c.kind === "deduction") {
              const count = s.deductions[c.code] ?? 0;
              return { sheet_id: sheetId, criterion_id: c.id, self_count: count, bloc_count: reviewed ? count : null };
            }
            const self = c.kind === "bonus" ? (s.bonus[c.code] ?? 0) : c.max - (s.selfShortfall[c.code] ?? 0);
            return {
              sheet_id: sheetId,
              criterion_id: c.id,
              self_points: self,
              bloc_points: reviewed ? (bloc ? bloc[0] : self) : null,
              bloc_reason: bloc ? bloc[1] : null,
              evidence: c.code === "1.1" ? "Báo cáo tổng kết năm 2022, mục II" : null,
            };
          }),
      );
    }

    await trx("ballot_meetings").insert({ ...demo.BALLOT_MEETING, year_id: yearId });
    for (const [code, votesFor] of Object.entries(demo.VOTES)) {
      await trx("votes").insert({
        year_id: yearId,
        agency_id: agency(code),
        votes_for: votesFor,
        valid_ballots: demo.BALLOT_MEETING.valid_ballots,
      });
    }
    // The ranking as it stood at the review meeting: the minutes are built from it.
    await takeRankingSnapshot(trx, demo.BLOC.code, demo.YEAR.year, "meeting", new Date(`${demo.BALLOT_MEETING.held_on}T17:00:00+07:00`));
    if (opts.keep2022InProgress) return { created: true };

    // 2022 ends as it did: the leader publishes the ranking, the secretariat closes the year.
    const accounts = usersRepo(trx);
    const as = async (username: string): Promise<User> => (await accounts.findById(userIds[username]!))!;
    const at = (iso: string) => () => new Date(iso);
    const published = await createServices(trx, { now: at(demo.PUBLISHED_AT) }).publication.publish(await as("lanhdao"), demo.BLOC.code, 2022, true);
    if (published.errors) throw new Error(`demo 2022 could not be published: ${JSON.stringify(published.errors)}`);
    await createServices(trx, { now: at(demo.CLOSED_AT) }).yearLifecycle.close(await as("thuongtruc"), demo.BLOC.code, 2022);

    const now = opts.now ?? new Date();
    const today = localDate(now);
    if (Number(today.slice(0, 4)) > 2022) await seedCurrentYear(trx, createServices(trx, { now: () => now }), await as("thuongtruc"), today);
    return { created: true };
  });
}
