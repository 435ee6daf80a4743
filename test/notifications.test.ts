import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, postForm } from "./http.js";
import { createServices } from "../src/services.js";
import { RulesForm } from "../src/setup/schemas.js";
import { rulesToForm } from "../src/setup/setup-service.js";
import { DEMO_RULES } from "../src/scoring/index.js";
import { acceptedDraft, reportTitle } from "../src/notifications/messages.js";
import type { Database } from "../src/db/database.js";

let database: Database;
let db: Knex;
// The day after the 6-month report's due date; the reminder tests move it to December.
const JUNE_16 = new Date("2022-06-16T09:00:00+07:00");
let clock = JUNE_16;
const now = () => clock;
let app: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  database = await createTestDatabase("demo-2022-open");
  db = database.knex;
  app = createTestApp(db, { now });
});
afterAll(() => database.close());
beforeEach(() => {
  clock = JUNE_16;
});

/**
 * A demo of its own for the tests of the `describe` it is called in (the same clock): for the
 * tests whose events would show among the others' notifications, or that publish the ranking.
 */
function useOwnDemo() {
  const own = {} as { database: Database; db: Knex; app: ReturnType<typeof createTestApp> };
  beforeAll(async () => {
    own.database = await createTestDatabase("demo-2022-open");
    own.db = own.database.knex;
    own.app = createTestApp(own.db, { now });
  });
  afterAll(() => own.database?.close());
  return own;
}

const Y = "/blocs/noichinh-tq/years/2022";
const userId = async (username: string, on: Knex = db): Promise<number> => (await on("users").where({ username }).first("id")).id;
const notificationsOf = async (username: string, on: Knex = db) => on("notifications").where({ user_id: await userId(username, on) }).orderBy("id");
const headerCount = (html: string): number => Number(/class="badge"[^>]*>(\d+)</.exec(html)?.[1] ?? 0);

describe("notifications in the portal", () => {
  it("when the secretariat returns a report, then only that agency's clerk is told, with the comment, and sees the count in the header", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const url = `${Y}/periods/1/reports/thanhtra`;
    const res = await postForm(sec, url, `${url}/review`, { action: "return", comment: "Bổ sung số liệu phong trào nông thôn mới." });
    expect(res.status).toBe(303);

    const told = await notificationsOf("canbo.thanhtra");
    expect(told).toHaveLength(1);
    expect(told[0].kind).toBe("returned");
    expect(told[0].title).toBe("Bị trả lại: Báo cáo “Đợt 1 — Sơ kết thi đua 6 tháng đầu năm 2022”");
    expect(told[0].body).toContain("Bổ sung số liệu phong trào nông thôn mới.");
    expect(told[0].link).toBe(url);
    expect(await notificationsOf("canbo.congan")).toHaveLength(0);
    expect(await db("mail_outbox").count({ n: "*" }).first()).toMatchObject({ n: 0 }); // no SMTP_URL: no e-mail

    const clerk = await loginAs(app, "canbo.thanhtra");
    const home = await clerk.get("/");
    expect(headerCount(home.text)).toBe(1);
    const list = await clerk.get("/notifications");
    expect(list.status).toBe(200);
    expect(list.text).toContain("Bị trả lại");
    expect(list.text).toContain("Bổ sung số liệu phong trào nông thôn mới.");
    expect(list.text).toContain("Chưa đọc");
  });

  it("when the clerk opens a notification, then it is marked read and the report opens; the count drops", async () => {
    // Its own notification: toaan's clerk told of its 6-month report's acceptance (no other test here tells toaan anything).
    const toaan = (await db("agencies").where({ code: "toaan" }).first("id")).id;
    const period = await db("periods").where({ number: 1 }).first("id", "title");
    const report = await db("reports").where({ period_id: period.id, agency_id: toaan }).first("id", "status");
    expect(report.status).toBe("accepted");
    const url = `${Y}/periods/1/reports/toaan`;
    await db.transaction((trx) => createServices(db, { now }).notifications.notifyAgency(trx, toaan, acceptedDraft(reportTitle(period.title), url, `report:${report.id}:accepted`)));
    const clerk = await loginAs(app, "canbo.toaan");
    expect(headerCount((await clerk.get("/")).text)).toBe(1);
    const [n] = await notificationsOf("canbo.toaan");
    const res = await postForm(clerk, "/notifications", `/notifications/${n.id}/read`, { open: "1" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(url);
    expect((await db("notifications").where({ id: n.id }).first()).read_at).not.toBeNull();
    expect(headerCount((await clerk.get("/")).text)).toBe(0);
  });

  it("when another user tries to mark someone's notification, then 404 and it stays as it was", async () => {
    const other = await loginAs(app, "canbo.congan");
    const secretariat = await userId("thuongtruc");
    const [row] = await db("notifications").insert({ user_id: secretariat, kind: "accepted", event_key: "test:foreign", title: "Thử", body: "Thử", link: "/" }).returning("id");
    const res = await postForm(other, "/notifications", `/notifications/${row.id}/read`, {});
    expect(res.status).toBe(404);
    expect((await db("notifications").where({ id: row.id }).first()).read_at).toBeNull();
  });

  it("when a POST to mark all read comes without the CSRF token, then 403", async () => {
    const clerk = await loginAs(app, "canbo.thanhtra");
    expect((await clerk.post("/notifications/read-all").type("form").send({})).status).toBe(403);
  });

  it("when the report is accepted after resubmission, then the clerk is told once more; marking all read clears the count", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const url = `${Y}/periods/1/reports/vks`; // the demo's returned report: the clerk resubmits it
    const clerk = await loginAs(app, "canbo.vks");
    const page = await clerk.get(url);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const resubmit = await clerk.post(url).type("form").send({ _csrf: csrfFrom(page.text), version, action: "submit", confirm: "yes", general: "Đã bổ sung theo ý kiến của Khối." });
    expect(resubmit.status).toBe(303);
    expect((await postForm(sec, url, `${url}/review`, { action: "accept" })).status).toBe(303);
    const told = await notificationsOf("canbo.vks");
    expect(told.map((n) => n.kind)).toEqual(["accepted"]);
    expect(told[0].title).toContain("Đã tiếp nhận");

    expect(headerCount((await clerk.get("/")).text)).toBe(1);
    expect((await postForm(clerk, "/notifications", "/notifications/read-all", {})).status).toBe(303);
    expect(headerCount((await clerk.get("/")).text)).toBe(0);
  });

  it("when the secretariat returns the registration, then its clerk is told with the comment", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const url = `${Y}/registration/thads`; // submitted in the demo
    const res = await postForm(sec, url, `${url}/review`, { action: "return", comment: "Ghi rõ chỉ tiêu danh hiệu." });
    expect(res.status).toBe(303);
    const told = await notificationsOf("canbo.thads");
    expect(told.at(-1)).toMatchObject({ kind: "returned", link: url });
    expect(told.at(-1)!.body).toContain("Ghi rõ chỉ tiêu danh hiệu.");
  });

  // thanhtra's clerk is told of its annual report and sheet here: on a demo of its own, so that the
  // test above finds the one notification it causes.
  describe("the sheet's review", () => {
    const own = useOwnDemo();

    it("when the secretariat reviews a sheet, then the agency's clerk is told it was reviewed", async () => {
      const { app, db } = own;
      const sec = await loginAs(app, "thuongtruc");
      const url = `${Y}/sheets/thanhtra`;
      // A sheet is marked reviewed only once the agency's annual report is dealt with (issue 22).
      const annual = `${Y}/periods/2/reports/thanhtra`;
      expect((await postForm(sec, annual, `${annual}/review`, { action: "accept" })).status).toBe(303);
      const res = await postForm(sec, url, url, { action: "reviewed" });
      expect([200, 303]).toContain(res.status);
      expect((await db("score_sheets as s").join("agencies as a", "a.id", "s.agency_id").where("a.code", "thanhtra").first("s.status")).status).toBe("reviewed");
      const told = await notificationsOf("canbo.thanhtra", db);
      expect(told.at(-1)).toMatchObject({ kind: "sheet_reviewed", title: "Bảng chấm điểm năm 2022 đã được thẩm định", link: url });
    });
  });

  it("when an objection is answered (hook for issue 18), then the objecting agency's clerks are told once", async () => {
    const services = createServices(db, { now });
    const agencyId = (await db("agencies").where({ code: "stp" }).first("id")).id;
    const told = await db.transaction((trx) => services.notifications.objectionAnswered(trx, { objectionId: 7, agencyId, year: 2022, link: `${Y}/objections/7` }));
    const again = await db.transaction((trx) => services.notifications.objectionAnswered(trx, { objectionId: 7, agencyId, year: 2022, link: `${Y}/objections/7` }));
    expect([told, again]).toEqual([1, 0]);
    expect((await notificationsOf("canbo.stp")).at(-1)).toMatchObject({ kind: "objection_answered", link: `${Y}/objections/7` });
  });
});

describe("e-mail settings", () => {
  it("when the address is malformed, then 422 with the message beside the field and the typed text kept", async () => {
    const clerk = await loginAs(app, "canbo.stp");
    const page = await clerk.get("/account/notifications");
    expect(page.status).toBe(200);
    expect(page.text).toContain("canbo.stp@tuyenquang.example");
    const res = await postForm(clerk, "/account/notifications", "/account/notifications", { email: "canbo.stp@", emailNotifications: "1" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Địa chỉ thư điện tử không hợp lệ");
    expect(res.text).toContain('value="canbo.stp@"');
    expect((await db("users").where({ username: "canbo.stp" }).first("email")).email).toBe("canbo.stp@tuyenquang.example");
  });

  it("when the user sets an address and turns e-mails off, then both are saved and audited", async () => {
    // toaan's clerk: the test above expects stp's address as seeded.
    const clerk = await loginAs(app, "canbo.toaan");
    const page = await clerk.get("/account/notifications");
    const res = await clerk.post("/account/notifications").type("form").send({ _csrf: csrfFrom(page.text), email: "ThiDua.TOAAN@TuyenQuang.example" });
    expect(res.status).toBe(303);
    const row = await db("users").where({ username: "canbo.toaan" }).first("email", "email_notifications");
    expect(row).toEqual({ email: "thidua.toaan@tuyenquang.example", email_notifications: false });
    expect(await db("audit_log").where({ action: "user.mail_settings" }).first()).toBeTruthy();
  });

  it("when e-mails are wanted without an address, then 422 asks for one", async () => {
    const clerk = await loginAs(app, "canbo.stp");
    const res = await postForm(clerk, "/account/notifications", "/account/notifications", { email: "", emailNotifications: "1" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Vui lòng nhập địa chỉ thư điện tử để nhận thông báo qua thư.");
  });
});

describe("the admin's mail page", () => {
  it("when the admin opens it, then the counts show; anyone else gets 403", async () => {
    const admin = await loginAs(app, "quantri");
    const page = await admin.get("/admin/mail");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Chưa cấu hình máy chủ thư");
    const clerk = await loginAs(app, "canbo.stp");
    expect((await clerk.get("/admin/mail")).status).toBe(403);
    const sec = await loginAs(app, "thuongtruc");
    expect((await sec.get("/admin/mail")).status).toBe(403);
  });
});

describe("scheduled reminders, driven by the clock", () => {
  const services = () => createServices(db, { now });
  const reminded = async (username: string) => (await notificationsOf(username)).filter((n) => n.kind === "deliverable_due" || n.kind === "deliverable_overdue");
  const runAt = async (iso: string) => {
    clock = new Date(`${iso}T08:00:00+07:00`);
    return services().reminders.run();
  };
  // The days the job runs in December, in order; each test first runs it on the days before its own.
  const DAYS = ["2022-12-07", "2022-12-08", "2022-12-10", "2022-12-14", "2022-12-15", "2022-12-16"];
  const runBefore = async (iso: string) => {
    for (const day of DAYS.filter((d) => d < iso)) await runAt(day);
  };

  beforeEach(async () => {
    // The annual report (due 15/12/2022) before December's first run: stp back to a draft, thads (a
    // draft) extended to 22/12, no reminder recorded yet (each test runs the job from the start).
    const annual = await db("periods").where({ number: 2 }).first("id");
    const agency = async (code: string) => (await db("agencies").where({ code }).first("id")).id;
    await db("reports").where({ period_id: annual.id, agency_id: await agency("stp") }).update({ status: "draft" });
    await db("reports").where({ period_id: annual.id, agency_id: await agency("thads") }).update({ status: "draft", submitted_at: null });
    await db("period_extensions")
      .insert({ period_id: annual.id, agency_id: await agency("thads"), due_on: "2022-12-22", reason: "Đơn vị đề nghị gia hạn do tổ chức hội nghị." })
      .onConflict(["period_id", "agency_id"])
      .merge();
    await db("notifications").whereIn("kind", ["deliverable_due", "deliverable_overdue"]).del();
    await db("users").where({ username: "canbo.stp" }).update({ email_notifications: true });
  });

  it("when more than 7 days are left, then no one is reminded", async () => {
    expect(await runAt("2022-12-07")).toBe(0);
  });

  it("when 7 days are left, then the late agency's clerk is reminded once, however often the job runs", async () => {
    await runBefore("2022-12-08");
    expect(await runAt("2022-12-08")).toBe(1);
    expect(await runAt("2022-12-08")).toBe(0);
    expect(await runAt("2022-12-10")).toBe(0);
    const stp = await reminded("canbo.stp");
    expect(stp).toHaveLength(1);
    expect(stp[0].title).toBe("Sắp đến hạn (còn 7 ngày): Báo cáo “Đợt 2 — Tổng kết thi đua năm 2022”");
    expect(stp[0].body).toContain("15/12/2022");
    expect(stp[0].link).toBe(`${Y}/periods/2/reports/stp`);
    // Submitted or accepted agencies, and the extended one, are not reminded yet.
    expect(await reminded("canbo.thads")).toHaveLength(0);
    expect(await reminded("canbo.bchqs")).toHaveLength(0);
  });

  it("when one day is left, then the 1-day reminder follows; on the due date nothing more", async () => {
    await runBefore("2022-12-14");
    expect(await runAt("2022-12-14")).toBe(1);
    expect((await reminded("canbo.stp")).at(-1)!.title).toContain("còn 1 ngày");
  });

  it("when the extended agency reaches 7 days before its new date, then it is reminded of 22/12/2022", async () => {
    await runBefore("2022-12-15");
    expect(await runAt("2022-12-15")).toBe(1);
    const thads = await reminded("canbo.thads");
    expect(thads).toHaveLength(1);
    expect(thads[0].body).toContain("22/12/2022 (đã được gia hạn)");
  });

  it("when the due date has passed, then one overdue notice; none for the agency still within its extension", async () => {
    await runBefore("2022-12-16");
    expect(await runAt("2022-12-16")).toBe(1);
    expect((await reminded("canbo.stp")).at(-1)).toMatchObject({ kind: "deliverable_overdue" });
    expect(await reminded("canbo.thads")).toHaveLength(1);
  });

  it("when the extended agency submits, then its later reminders never come; the other one's overdue is not repeated", async () => {
    await runBefore("2022-12-17");
    const annual = await db("periods").where({ number: 2 }).first("id");
    const thads = (await db("agencies").where({ code: "thads" }).first("id")).id;
    await db("reports").where({ period_id: annual.id, agency_id: thads }).update({ status: "submitted", submitted_at: new Date("2022-12-20T09:00:00+07:00") });
    expect(await runAt("2022-12-21")).toBe(0);
    expect(await runAt("2022-12-23")).toBe(0);
    expect(await reminded("canbo.thads")).toHaveLength(1);
    expect((await reminded("canbo.stp")).map((n) => n.kind)).toEqual(["deliverable_due", "deliverable_due", "deliverable_overdue"]);
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
    const year = await db("emulation_years").first("id", "rules");
    const rules = typeof year.rules === "string" ? JSON.parse(year.rules) : year.rules;
    await db("emulation_years").where({ id: year.id }).update({ rules: JSON.stringify({ ...rules, reminderDays: [10] }) });
    const annual = await db("periods").where({ number: 2 }).first("id");
    const bchqs = (await db("agencies").where({ code: "bchqs" }).first("id")).id;
    await db("reports").where({ period_id: annual.id, agency_id: bchqs }).update({ status: "draft" });
    try {
      clock = new Date("2022-12-05T08:00:00+07:00");
      expect(await createServices(db, { now }).reminders.run()).toBeGreaterThanOrEqual(1); // stp's draft too
      const told = (await notificationsOf("canbo.bchqs")).filter((n) => n.kind === "deliverable_due");
      expect(told.map((n) => n.title)).toEqual(["Sắp đến hạn (còn 10 ngày): Báo cáo “Đợt 2 — Tổng kết thi đua năm 2022”"]);
    } finally {
      await db("reports").where({ period_id: annual.id, agency_id: bchqs }).update({ status: "accepted" });
      await db("emulation_years").where({ id: year.id }).update({ rules: JSON.stringify(rules) });
    }
  });
});

// Publishing locks the year's sheets: on a demo of its own.
describe("publishing the ranking", () => {
  const own = useOwnDemo();

  it("when the leader publishes, then every member of the year but the leader is told once", async () => {
    const { app, db } = own;
    const leader = await loginAs(app, "lanhdao");
    expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
    const told = await db("notifications as n").join("users as u", "u.id", "n.user_id").where("n.kind", "ranking_published").pluck("u.username");
    expect(told).toContain("canbo.bchqs");
    expect(told).toContain("thuongtruc");
    expect(told).toContain("bantdkt");
    expect(told).not.toContain("lanhdao");
    expect(new Set(told).size).toBe(told.length);
  });
});
