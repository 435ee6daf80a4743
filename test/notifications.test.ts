import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, postForm } from "./http.js";
import { addAccount, addRankedMembers, addRegistration, addReport, addSheet, newYear, type TestAgency, type TestYear } from "./factories.js";
import { createServices } from "../src/services.js";
import { RulesForm } from "../src/setup/schemas.js";
import { rulesToForm } from "../src/setup/setup-service.js";
import { DEMO_RULES } from "../src/scoring/index.js";
import { addDays } from "../src/lib/dates.js";
import type { Database } from "../src/db/database.js";

let database: Database;
let db: Knex;
// The day after the 6-month report's due date; the reminder tests move it to December.
const JUNE_16 = new Date("2022-06-16T09:00:00+07:00");
let clock = JUNE_16;
const now = () => clock;
let app: ReturnType<typeof createTestApp>;
/** The file's 2022: each test below acts on a member of its own (see `of`), so none finds another's notifications. */
let y: TestYear;

/** The members of the file's year and the test that uses each (the head only looks on: the deputy's reviewer reviews its reports). */
const MEMBERS = ["bystander", "returned", "opened", "resubmitted", "registration", "sheet", "objection", "mailRefused", "mailSet"] as const;
const of = (role: (typeof MEMBERS)[number]): TestAgency => y.agencies[MEMBERS.indexOf(role)]!;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  app = createTestApp(db, { now });
  y = await newYear(db, { year: 2022, agencies: MEMBERS.length });
});
afterAll(() => database.close());
beforeEach(() => {
  clock = JUNE_16;
});

/** A date as the notifications write it: 2022-12-15 → 15/12/2022. */
const vnDate = (iso: string) => iso.split("-").reverse().join("/");
const userId = async (username: string, on: Knex = db): Promise<number> => (await on("users").where({ username }).first("id")).id;
const notificationsOf = async (username: string, on: Knex = db) => on("notifications").where({ user_id: await userId(username, on) }).orderBy("id");
const headerCount = (html: string): number => Number(/class="badge"[^>]*>(\d+)</.exec(html)?.[1] ?? 0);
const adminUsername = async () => (await db("users").where({ role: "admin" }).first("username")).username as string;

describe("notifications in the portal", () => {
  const period1 = () => y.periods[0]!;

  it("when the secretariat returns a report, then only that agency's clerk is told, with the comment, and sees the count in the header", async () => {
    const agency = of("returned");
    await addReport(db, y, { agency, period: 1, status: "submitted" });
    const sec = await loginAs(app, y.secretariat);
    const url = `${y.Y}/periods/1/reports/${agency.code}`;
    const res = await postForm(sec, url, `${url}/review`, { action: "return", comment: "Bổ sung số liệu phong trào nông thôn mới." });
    expect(res.status).toBe(303);

    const told = await notificationsOf(agency.clerk);
    expect(told).toHaveLength(1);
    expect(told[0].kind).toBe("returned");
    expect(told[0].title).toBe(`Bị trả lại: Báo cáo “${period1().title}”`);
    expect(told[0].body).toContain("Bổ sung số liệu phong trào nông thôn mới.");
    expect(told[0].link).toBe(url);
    expect(await notificationsOf(of("bystander").clerk)).toHaveLength(0);
    expect(await db("mail_outbox").count({ n: "*" }).first()).toMatchObject({ n: 0 }); // no SMTP_URL: no e-mail

    const clerk = await loginAs(app, agency.clerk);
    const home = await clerk.get("/");
    expect(headerCount(home.text)).toBe(1);
    const list = await clerk.get("/notifications");
    expect(list.status).toBe(200);
    expect(list.text).toContain("Bị trả lại");
    expect(list.text).toContain("Bổ sung số liệu phong trào nông thôn mới.");
    expect(list.text).toContain("Chưa đọc");
  });

  it("when the clerk opens a notification, then it is marked read and the report opens; the count drops", async () => {
    // Its own notification: the clerk told of its 6-month report's acceptance by the reports service.
    const agency = of("opened");
    await addReport(db, y, { agency, period: 1, status: "accepted" });
    const url = `${y.Y}/periods/1/reports/${agency.code}`;
    const clerk = await loginAs(app, agency.clerk);
    expect(headerCount((await clerk.get("/")).text)).toBe(1);
    const [n] = await notificationsOf(agency.clerk);
    expect(n).toMatchObject({ kind: "accepted", link: url });
    const res = await postForm(clerk, "/notifications", `/notifications/${n.id}/read`, { open: "1" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(url);
    expect((await db("notifications").where({ id: n.id }).first()).read_at).not.toBeNull();
    expect(headerCount((await clerk.get("/")).text)).toBe(0);
  });

  it("when another user tries to mark someone's notification, then 404 and it stays as it was", async () => {
    const other = await loginAs(app, of("bystander").clerk);
    const secretariat = await userId(y.secretariat);
    const [row] = await db("notifications").insert({ user_id: secretariat, kind: "accepted", event_key: "test:foreign", title: "Thử", body: "Thử", link: "/" }).returning("id");
    const res = await postForm(other, "/notifications", `/notifications/${row.id}/read`, {});
    expect(res.status).toBe(404);
    expect((await db("notifications").where({ id: row.id }).first()).read_at).toBeNull();
  });

  it("when a POST to mark all read comes without the CSRF token, then 403", async () => {
    const clerk = await loginAs(app, of("bystander").clerk);
    expect((await clerk.post("/notifications/read-all").type("form").send({})).status).toBe(403);
  });

  it("when the report is accepted after resubmission, then the clerk is told once more; marking all read clears the count", async () => {
    const agency = of("resubmitted");
    await addReport(db, y, { agency, period: 1, status: "returned" }); // its clerk was told of the return
    const before = await notificationsOf(agency.clerk);
    const sec = await loginAs(app, y.secretariat);
    const url = `${y.Y}/periods/1/reports/${agency.code}`;
    const clerk = await loginAs(app, agency.clerk);
    const page = await clerk.get(url);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const resubmit = await clerk.post(url).type("form").send({ _csrf: csrfFrom(page.text), version, action: "submit", confirm: "yes", general: "Đã bổ sung theo ý kiến của Khối." });
    expect(resubmit.status).toBe(303);
    expect((await postForm(sec, url, `${url}/review`, { action: "accept" })).status).toBe(303);
    const told = (await notificationsOf(agency.clerk)).slice(before.length);
    expect(told.map((n) => n.kind)).toEqual(["accepted"]);
    expect(told[0].title).toContain("Đã tiếp nhận");

    expect(headerCount((await clerk.get("/")).text)).toBe(before.filter((n) => n.read_at === null).length + 1);
    expect((await postForm(clerk, "/notifications", "/notifications/read-all", {})).status).toBe(303);
    expect(headerCount((await clerk.get("/")).text)).toBe(0);
  });

  it("when the secretariat returns the registration, then its clerk is told with the comment", async () => {
    const agency = of("registration");
    await addRegistration(db, y, { agency });
    const sec = await loginAs(app, y.secretariat);
    const url = `${y.Y}/registration/${agency.code}`;
    const res = await postForm(sec, url, `${url}/review`, { action: "return", comment: "Ghi rõ chỉ tiêu danh hiệu." });
    expect(res.status).toBe(303);
    const told = await notificationsOf(agency.clerk);
    expect(told.at(-1)).toMatchObject({ kind: "returned", link: url });
    expect(told.at(-1)!.body).toContain("Ghi rõ chỉ tiêu danh hiệu.");
  });

  describe("the sheet's review", () => {
    it("when the secretariat reviews a sheet, then the agency's clerk is told it was reviewed", async () => {
      const agency = of("sheet");
      await addReport(db, y, { agency, period: 2, status: "submitted" });
      await addSheet(db, y, { agency, status: "submitted" });
      const sec = await loginAs(app, y.secretariat);
      const url = `${y.Y}/sheets/${agency.code}`;
      // A sheet is marked reviewed only once the agency's annual report is dealt with (issue 22).
      const annual = `${y.Y}/periods/2/reports/${agency.code}`;
      expect((await postForm(sec, annual, `${annual}/review`, { action: "accept" })).status).toBe(303);
      const res = await postForm(sec, url, url, { action: "reviewed" });
      expect([200, 303]).toContain(res.status);
      expect((await db("score_sheets").where({ year_id: y.yearId, agency_id: agency.id }).first("status")).status).toBe("reviewed");
      const told = await notificationsOf(agency.clerk);
      expect(told.at(-1)).toMatchObject({ kind: "sheet_reviewed", title: `Bảng chấm điểm năm ${y.year} đã được thẩm định`, link: url });
    });
  });

  it("when an objection is answered (hook for issue 18), then the objecting agency's clerks are told once", async () => {
    const services = createServices(db, { now });
    const agency = of("objection");
    const link = `${y.Y}/objections/7`;
    const told = await db.transaction((trx) => services.notifications.objectionAnswered(trx, { objectionId: 7, agencyId: agency.id, year: y.year, link }));
    const again = await db.transaction((trx) => services.notifications.objectionAnswered(trx, { objectionId: 7, agencyId: agency.id, year: y.year, link }));
    expect([told, again]).toEqual([1, 0]);
    expect((await notificationsOf(agency.clerk)).at(-1)).toMatchObject({ kind: "objection_answered", link });
  });
});

describe("e-mail settings", () => {
  it("when the address is malformed, then 422 with the message beside the field and the typed text kept", async () => {
    const { clerk: username } = of("mailRefused");
    const { email } = await db("users").where({ username }).first("email");
    const clerk = await loginAs(app, username);
    const page = await clerk.get("/account/notifications");
    expect(page.status).toBe(200);
    expect(page.text).toContain(email);
    const res = await postForm(clerk, "/account/notifications", "/account/notifications", { email: `${username}@`, emailNotifications: "1" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Địa chỉ thư điện tử không hợp lệ");
    expect(res.text).toContain(`value="${username}@"`);
    expect((await db("users").where({ username }).first("email")).email).toBe(email);
  });

  it("when the user sets an address and turns e-mails off, then both are saved and audited", async () => {
    // Another member's clerk: the test above expects its clerk's address unchanged.
    const { clerk: username } = of("mailSet");
    const clerk = await loginAs(app, username);
    const page = await clerk.get("/account/notifications");
    const res = await clerk.post("/account/notifications").type("form").send({ _csrf: csrfFrom(page.text), email: "ThiDua.TOAAN@TuyenQuang.example" });
    expect(res.status).toBe(303);
    const row = await db("users").where({ username }).first("email", "email_notifications");
    expect(row).toEqual({ email: "thidua.toaan@tuyenquang.example", email_notifications: false });
    expect(await db("audit_log").where({ action: "user.mail_settings", user_id: await userId(username) }).first()).toBeTruthy();
  });

  it("when e-mails are wanted without an address, then 422 asks for one", async () => {
    const clerk = await loginAs(app, of("mailRefused").clerk);
    const res = await postForm(clerk, "/account/notifications", "/account/notifications", { email: "", emailNotifications: "1" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Vui lòng nhập địa chỉ thư điện tử để nhận thông báo qua thư.");
  });
});

describe("the admin's mail page", () => {
  it("when the admin opens it, then the counts show; anyone else gets 403", async () => {
    const admin = await loginAs(app, await adminUsername());
    const page = await admin.get("/admin/mail");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Chưa cấu hình máy chủ thư");
    const clerk = await loginAs(app, of("bystander").clerk);
    expect((await clerk.get("/admin/mail")).status).toBe(403);
    const sec = await loginAs(app, y.secretariat);
    expect((await sec.get("/admin/mail")).status).toBe(403);
  });
});

let reminderYear = 2030;
/**
 * A year of its own for the reminder job, whose December no other year of the database shares (the
 * job reads every bloc's deliverables): its annual report accepted for the head, a draft for the
 * deputy (the late one), a draft for the third member, whose due date is extended by a week.
 */
async function remindersYear() {
  const r = await newYear(db, { year: ++reminderYear, agencies: 3 });
  const [done, late, extended] = r.agencies as [TestAgency, TestAgency, TestAgency];
  const annual = r.periods.find((p) => p.kind === "annual")!;
  await addReport(db, r, { agency: done, period: annual.number, status: "accepted", on: addDays(annual.dueOn, -20) });
  await addReport(db, r, { agency: late, period: annual.number, status: "draft", on: addDays(annual.dueOn, -20) });
  await addReport(db, r, { agency: extended, period: annual.number, status: "draft", on: addDays(annual.dueOn, -20) });
  const extendedTo = addDays(annual.dueOn, 7);
  await db("period_extensions").insert({ period_id: annual.id, agency_id: extended.id, due_on: extendedTo, reason: "Đơn vị đề nghị gia hạn do tổ chức hội nghị." });
  /** A day counted from the annual report's due date. */
  const day = (n: number) => addDays(annual.dueOn, n);
  return { r, annual, done, late, extended, extendedTo, day, reportTitle: `Báo cáo “${annual.title}”` };
}

describe("scheduled reminders, driven by the clock", () => {
  let x: Awaited<ReturnType<typeof remindersYear>>;
  const services = () => createServices(db, { now });
  const reminded = async (agency: TestAgency) => (await notificationsOf(agency.clerk)).filter((n) => n.kind === "deliverable_due" || n.kind === "deliverable_overdue");
  const runAt = async (iso: string) => {
    clock = new Date(`${iso}T08:00:00+07:00`);
    return services().reminders.run();
  };
  // The days the job runs around the due date, in order; each test first runs it on the days before its own.
  const DAYS = [-8, -7, -5, -1, 0, 1];
  const runBefore = async (iso: string) => {
    for (const day of DAYS.map((n) => x.day(n)).filter((d) => d < iso)) await runAt(day);
  };

  beforeEach(async () => {
    // The annual report before the first run of the job: no reminder recorded yet (each test runs it from the start).
    x = await remindersYear();
  });

  it("when more than 7 days are left, then no one is reminded", async () => {
    expect(await runAt(x.day(-8))).toBe(0);
  });

  it("when 7 days are left, then the late agency's clerk is reminded once, however often the job runs", async () => {
    await runBefore(x.day(-7));
    expect(await runAt(x.day(-7))).toBe(1);
    expect(await runAt(x.day(-7))).toBe(0);
    expect(await runAt(x.day(-5))).toBe(0);
    const late = await reminded(x.late);
    expect(late).toHaveLength(1);
    expect(late[0].title).toBe(`Sắp đến hạn (còn 7 ngày): ${x.reportTitle}`);
    expect(late[0].body).toContain(vnDate(x.annual.dueOn));
    expect(late[0].link).toBe(`${x.r.Y}/periods/${x.annual.number}/reports/${x.late.code}`);
    // Submitted or accepted agencies, and the extended one, are not reminded yet.
    expect(await reminded(x.extended)).toHaveLength(0);
    expect(await reminded(x.done)).toHaveLength(0);
  });

  it("when one day is left, then the 1-day reminder follows; on the due date nothing more", async () => {
    await runBefore(x.day(-1));
    expect(await runAt(x.day(-1))).toBe(1);
    expect((await reminded(x.late)).at(-1)!.title).toContain("còn 1 ngày");
  });

  it("when the extended agency reaches 7 days before its new date, then it is reminded of 22/12/2022", async () => {
    await runBefore(x.day(0));
    expect(await runAt(x.day(0))).toBe(1);
    const extended = await reminded(x.extended);
    expect(extended).toHaveLength(1);
    expect(extended[0].body).toContain(`${vnDate(x.extendedTo)} (đã được gia hạn)`);
  });

  it("when the due date has passed, then one overdue notice; none for the agency still within its extension", async () => {
    await runBefore(x.day(1));
    expect(await runAt(x.day(1))).toBe(1);
    expect((await reminded(x.late)).at(-1)).toMatchObject({ kind: "deliverable_overdue" });
    expect(await reminded(x.extended)).toHaveLength(1);
  });

  it("when the extended agency submits, then its later reminders never come; the other one's overdue is not repeated", async () => {
    await runBefore(x.day(2));
    await db("reports").where({ period_id: x.annual.id, agency_id: x.extended.id }).update({ status: "submitted", submitted_at: new Date(`${x.day(5)}T09:00:00+07:00`) });
    expect(await runAt(x.day(6))).toBe(0);
    expect(await runAt(x.day(8))).toBe(0);
    expect(await reminded(x.extended)).toHaveLength(1);
    expect((await reminded(x.late)).map((n) => n.kind)).toEqual(["deliverable_due", "deliverable_due", "deliverable_overdue"]);
  });
});

describe("reminder days in the year's rules", () => {
  // What a browser posts: checked boxes as "1", unchecked ones absent.
  const submitted = (reminderDays: string) => ({
    ...Object.fromEntries(Object.entries(rulesToForm(DEMO_RULES)).filter(([, v]) => v !== false).map(([k, v]) => [k, v === true ? "1" : v])),
    reminderDays,
  });

  it("when the rules form names the days, then they are kept; when it names none, then 7 and 1 apply and show", () => {
    const parsed = RulesForm.safeParse(submitted("10, 3"));
    expect(parsed.success && parsed.data.reminderDays).toEqual([10, 3]);
    const none = RulesForm.safeParse(submitted(""));
    expect(none.success && none.data.reminderDays).toBeUndefined();
    expect(rulesToForm(DEMO_RULES).reminderDays).toBe("7, 1");
  });

  it("when the days are not numbers, then the form says so in Vietnamese beside the field", () => {
    const parsed = RulesForm.safeParse(submitted("bảy ngày"));
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("ví dụ: 7, 1");
    expect(parsed.error?.issues[0]?.path).toEqual(["reminderDays"]);
  });

  it("when a year's rules set 10 days, then its agencies are reminded 10 days before", async () => {
    // A year of its own: the late member's annual report a draft; its rules remind 10 days before.
    const x = await remindersYear();
    const year = await db("emulation_years").where({ id: x.r.yearId }).first("id", "rules");
    const rules = typeof year.rules === "string" ? JSON.parse(year.rules) : year.rules;
    await db("emulation_years").where({ id: year.id }).update({ rules: JSON.stringify({ ...rules, reminderDays: [10] }) });
    clock = new Date(`${x.day(-10)}T08:00:00+07:00`);
    expect(await createServices(db, { now }).reminders.run()).toBeGreaterThanOrEqual(1);
    const told = (await notificationsOf(x.late.clerk)).filter((n) => n.kind === "deliverable_due");
    expect(told.map((n) => n.title)).toEqual([`Sắp đến hạn (còn 10 ngày): ${x.reportTitle}`]);
  });
});

// Publishing locks the year's sheets: on a year of its own.
describe("publishing the ranking", () => {
  it("when the leader publishes, then every member of the year but the leader is told once", async () => {
    const own = await newYear(db, { year: 2022, agencies: 2 });
    await addRankedMembers(db, own, [{ agency: own.agencies[0]!, shortfall: 0, votes: 3 }, { agency: own.agencies[1]!, shortfall: 4, votes: 2 }], { heldOn: "2023-01-10", place: "Hội trường Khối", validBallots: 3 });
    const observer = `bantdkt.${own.bloc}`;
    await addAccount(db, { username: observer, role: "observer", blocs: [own.bloc] });
    const leader = await loginAs(app, own.leader);
    expect((await postForm(leader, `${own.Y}/ranking/publish`, `${own.Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
    const told = await db("notifications as n").join("users as u", "u.id", "n.user_id").where("n.kind", "ranking_published").pluck("u.username");
    expect(told).toContain(own.agencies[0]!.clerk);
    expect(told).toContain(own.secretariat);
    expect(told).toContain(observer);
    expect(told).not.toContain(own.leader);
    expect(new Set(told).size).toBe(told.length);
  });
});
