import type { Knex } from "knex";
import { daysBetween } from "../src/lib/dates.js";
import type { User } from "../src/auth/users-repo.js";
import type { Services } from "../src/services.js";
import * as demo from "./demo-data.js";

const addDays = (iso: string, days: number): string => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
/** 09:00 Vietnam time of a local date. */
const at9 = (iso: string) => `${iso}T09:00:00+07:00`;

const registrationContent = (year: number) =>
  JSON.stringify({
    titles: ["Cờ thi đua của UBND tỉnh", "Tập thể lao động xuất sắc"],
    targets: `Hoàn thành xuất sắc 100% chỉ tiêu, nhiệm vụ được giao năm ${year}; không có cán bộ vi phạm kỷ luật.`,
  });

const reportContent = (agency: string, label: string) =>
  JSON.stringify({
    sections: Object.fromEntries(
      ["PT1", "PT2", "PT3", "PT4", "PT5", "PT6", "PT7"].map((code) => [
        code,
        { done: `${agency} quán triệt, triển khai phong trào tới toàn thể cán bộ, công chức.`, results: `Hoàn thành các nội dung đề ra trong ${label}.`, figures: "100% cán bộ, công chức tham gia." },
      ]),
    ),
    general: `Trong ${label}, ${agency} hoàn thành tốt các chỉ tiêu, nhiệm vụ được giao.`,
    shortcomings: "Một số nội dung triển khai còn chậm so với kế hoạch.",
    proposals: "",
  });

/**
 * The demo's running year: the current calendar year, made from 2022 by the portal's own copy (as
 * the secretariat would), then given some life: what fell due before today is done (one agency
 * late, one missing), two agencies already sent what is due next, and the next deadline falls
 * within the coming week so a newcomer sees one approaching.
 */
export async function seedCurrentYear(trx: Knex, services: Services, secretariat: User, today: string): Promise<void> {
  const year = Number(today.slice(0, 4));
  const result = await services.yearLifecycle.create(secretariat, demo.BLOC.code, {
    year,
    source: { kind: "copy", blocCode: demo.BLOC.code, year: 2022 },
    headAgencyId: (await trx("agencies").where({ code: demo.YEAR.head }).first("id")).id,
    deputyAgencyId: (await trx("agencies").where({ code: demo.YEAR.deputy }).first("id")).id,
  });
  if (result.errors) throw new Error(`demo: cannot create ${year}: ${JSON.stringify(result.errors)}`);
  const y = await trx("emulation_years as y").join("blocs as b", "b.id", "y.bloc_id").where({ "b.code": demo.BLOC.code, "y.year": year }).first("y.id", "y.registration_due_on");
  await trx("emulation_years").where({ id: y.id }).update({ theme: `Đoàn kết, kỷ cương, đổi mới, thi đua hoàn thành thắng lợi nhiệm vụ năm ${year}` });
  const periods: { id: number; kind: string; due_on: string; title: string }[] = await trx("periods").where({ year_id: y.id }).orderBy("number").select("id", "kind", "due_on", "title");

  // The next deadline comes within the week, so the dashboard and the clerk's home show one approaching.
  const deadlines = [{ kind: "registration", id: null as number | null, due: y.registration_due_on as string }, ...periods.map((p) => ({ kind: p.kind, id: p.id as number | null, due: p.due_on }))];
  const next = deadlines.find((d) => d.due >= today) ?? deadlines[deadlines.length - 1]!;
  if (daysBetween(today, next.due) > 7 || next.due < today) {
    next.due = addDays(today, 5);
    if (next.id === null) await trx("emulation_years").where({ id: y.id }).update({ registration_due_on: next.due });
    else await trx("periods").where({ id: next.id }).update({ due_on: next.due });
  }

  const agencies: { id: number; code: string; short_name: string }[] = await trx("year_agencies as ya").join("agencies as a", "a.id", "ya.agency_id").where("ya.year_id", y.id).orderBy("ya.sort_order").select("a.id", "a.code", "ya.short_name");
  const users = new Map<string, number>((await trx("users").where("username", "like", "canbo.%").select("username", "id")).map((u: { username: string; id: number }) => [u.username, u.id]));
  const yearStart = `${year}-01-01`;
  const submittedOn = (due: string, i: number, isPast: boolean) => (isPast ? addDays(due, i === 1 ? 3 : -(i + 1)) : addDays(today, -1) < yearStart ? today : addDays(today, -1));

  for (const d of deadlines) {
    const isPast = d.due < today;
    // Past deadlines: every agency but the last has sent (the second one late); next deadline: the first two sent early.
    const senders = isPast ? agencies.slice(0, -1) : agencies.slice(0, 2);
    for (const [i, a] of senders.entries()) {
      const on = submittedOn(d.due, i, isPast);
      if (on > today) continue;
      const late = Math.max(0, daysBetween(d.due, on));
      const status = isPast && i < 3 ? "accepted" : "submitted";
      const common = { agency_id: a.id, status, submitted_at: at9(on), submitted_on: on, late_days: late, accepted_at: status === "accepted" ? at9(on) : null };
      if (d.kind === "registration") {
        await trx("registrations").insert({ ...common, year_id: y.id, content: registrationContent(year) });
      } else {
        const label = d.kind === "six_month" ? `6 tháng đầu năm ${year}` : `năm ${year}`;
        const content = reportContent(a.short_name, label);
        const [{ id }] = await trx("reports").insert({ ...common, period_id: d.id, content, updated_by: users.get(`canbo.${a.code}`) ?? null }).returning("id");
        await trx("report_versions").insert({ report_id: id, number: 1, content, submitted_at: at9(on), submitted_by: users.get(`canbo.${a.code}`) ?? null });
      }
    }
  }
}
