import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { expectInOrder } from "./text.js";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs } from "./http.js";
import { addAccount, addRegistration, addReport, addSheet, newYear, sendEverythingOnTime, type TestAgency, type TestYear } from "./factories.js";
import { addDays, daysBetween } from "../src/lib/dates.js";
import type { Database } from "../src/db/database.js";

const NOW = new Date("2022-12-14T10:00:00+07:00");
const TODAY = "2022-12-14";
/** A date as the pages write it: 2022-06-20 → 20/06/2022. */
const vnDate = (iso: string) => iso.split("-").reverse().join("/");

/** The matrix row of one agency, as its cells' HTML (registration, 6-month, annual, score sheet). */
function cells(html: string, agency: string): string[] {
  const start = html.indexOf(`data-agency="${agency}"`);
  expect(start, `row of ${agency}`).toBeGreaterThan(0);
  const row = html.slice(start, html.indexOf("</tr>", start));
  return row.split("<td").slice(1);
}

describe("dashboard", () => {
  let database: Database;
  let db: Knex;
  let app: ReturnType<typeof createTestApp>;
  /**
   * The file's 2022 on 14/12/2022: everyone registered on time. The head and the deputy sent
   * everything on time and their sheets are reviewed (the deputy's 97 points, the head's 95); of the
   * 6-month reports, `lateAccepted`'s came 5 days late and was accepted, `returned`'s was returned,
   * `drafting`'s is a draft and `missing` sent none (its sheet a draft).
   */
  let y: TestYear;
  let BASE: string;
  let head: TestAgency, deputy: TestAgency, lateAccepted: TestAgency, returned: TestAgency, drafting: TestAgency, missing: TestAgency;
  let sixMonthDue: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.knex;
    app = createTestApp(db, { now: () => NOW });
    y = await newYear(db, { year: 2022, agencies: 6 });
    BASE = y.Y;
    [head, deputy, lateAccepted, returned, drafting, missing] = y.agencies as TestAgency[] as [TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency];
    sixMonthDue = y.periods[0]!.dueOn;
    for (const a of [lateAccepted, returned, drafting, missing]) await addRegistration(db, y, { agency: a });
    for (const [a, points] of [[head, "35"], [deputy, "37"]] as const) {
      await sendEverythingOnTime(db, y, a);
      await addSheet(db, y, { agency: a, status: "reviewed", on: "2022-12-12", self: { "1.1": points } });
    }
    await addReport(db, y, { agency: lateAccepted, period: 1, status: "accepted", on: addDays(sixMonthDue, 5) });
    await addReport(db, y, { agency: returned, period: 1, status: "returned", on: addDays(sixMonthDue, -2) });
    await addReport(db, y, { agency: drafting, period: 1, status: "draft", on: addDays(sixMonthDue, -2) });
    await addSheet(db, y, { agency: missing, status: "draft" });
  });
  afterAll(() => database.close());

  it("when the secretariat opens the dashboard, then the matrix shows each agency's deliverables as seeded, each cell linking to its record", async () => {
    const sec = await loginAs(app, y.secretariat);
    const res = await sec.get(`${BASE}/dashboard`);
    expect(res.status).toBe(200);
    const late = cells(res.text, lateAccepted.code);
    expect(late).toHaveLength(4);
    expect(late[1]).toContain("Đã tiếp nhận");
    expect(late[1]).toContain(vnDate(addDays(sixMonthDue, 5)));
    expect(late[1]).toContain("chậm 5 ngày");
    expect(late[1]).toContain(`href="${BASE}/periods/1/reports/${lateAccepted.code}"`);
    expect(late[0]).toContain(`href="${BASE}/registration/${lateAccepted.code}"`);
    expect(late[3]).toContain(`href="${BASE}/sheets/${lateAccepted.code}"`);
    expect(cells(res.text, returned.code)[1]).toContain("Bị trả lại");
    const overdueDays = daysBetween(sixMonthDue, TODAY);
    const draft = cells(res.text, drafting.code)[1]!;
    expect(draft).toContain("Đang soạn (nháp)");
    expect(draft).toContain(`quá hạn ${overdueDays} ngày`);
    const none = cells(res.text, missing.code);
    expect(none[1]).toContain("Chưa gửi");
    expect(none[1]).toContain(`quá hạn ${overdueDays} ngày`);
    expect(none[3]).toContain("Đang soạn (nháp)");
    expect(cells(res.text, head.code)[3]).toContain("Đã thẩm định");
    // What is overdue, listed on its own.
    const overdue = res.text.slice(res.text.indexOf('id="dash-overdue"'), res.text.indexOf('id="dash-ranking"'));
    expect(overdue).toContain(`${drafting.name} — Báo cáo sơ kết 6 tháng`);
    expect(overdue).toContain(`${missing.name} — Báo cáo sơ kết 6 tháng`);
    expect(overdue).not.toContain(lateAccepted.name);
  });

  it("when the clock is fixed, then the deadlines show the days left or overdue", async () => {
    const res = await (await loginAs(app, y.secretariat)).get(`${BASE}/dashboard`);
    const deadlines = res.text.slice(res.text.indexOf('id="dash-deadlines"'), res.text.indexOf('id="dash-matrix"'));
    const n = y.agencies.length;
    const annualDue = y.periods[1]!.dueOn;
    expectInOrder(deadlines, ["Đăng ký thi đua", `hạn ${vnDate(y.registrationDueOn)}`, `đã quá hạn ${daysBetween(y.registrationDueOn, TODAY)} ngày`, `${n}/${n} cơ quan đã gửi`]);
    // Sent: the head's, the deputy's and lateAccepted's (a returned report or a draft is not).
    expectInOrder(deadlines, ["Báo cáo sơ kết 6 tháng", `hạn ${vnDate(sixMonthDue)}`, `đã quá hạn ${daysBetween(sixMonthDue, TODAY)} ngày`, `3/${n} cơ quan đã gửi`]);
    expectInOrder(deadlines, ["Báo cáo tổng kết năm và bảng chấm điểm", `hạn ${vnDate(annualDue)}`, `còn ${daysBetween(TODAY, annualDue)} ngày`]);
    const later = await (await loginAs(createTestApp(db, { now: () => new Date(`${annualDue}T08:00:00+07:00`) }), y.secretariat)).get(`${BASE}/dashboard`);
    expect(later.text).toContain("hạn là hôm nay");
  });

  it("when a new day begins or a report is sent after the dashboard was shown, then the next dashboard shows it (the year's part is kept only for its revision and day)", async () => {
    // A year of its own (the report it sends would change the file's year for the other tests).
    const own = await newYear(db, { year: 2022, agencies: 2 });
    const late = own.agencies[1]!;
    const due = own.periods[0]!.dueOn;
    let clock = new Date("2022-12-14T10:00:00+07:00");
    const ownApp = createTestApp(db, { now: () => clock });
    const sec = await loginAs(ownApp, own.secretariat);
    const first = (await sec.get(`${own.Y}/dashboard`)).text;
    expect(first).toContain("cập nhật đến ngày 14/12/2022");
    expect(cells(first, late.code)[1]).toContain(`quá hạn ${daysBetween(due, "2022-12-14")} ngày`);
    clock = new Date(`${own.periods[1]!.dueOn}T08:00:00+07:00`);
    const nextDay = (await sec.get(`${own.Y}/dashboard`)).text;
    expect(nextDay).toContain(`cập nhật đến ngày ${vnDate(own.periods[1]!.dueOn)}`);
    expect(nextDay).toContain("hạn là hôm nay");
    expect(cells(nextDay, late.code)[1]).toContain(`quá hạn ${daysBetween(due, own.periods[1]!.dueOn)} ngày`);
    // Its six-month report arrives (a write to the year: a new revision).
    await addReport(db, own, { agency: late, period: 1, status: "submitted", on: own.periods[1]!.dueOn });
    const sent = (await sec.get(`${own.Y}/dashboard`)).text;
    expect(cells(sent, late.code)[1]).not.toContain("Chưa gửi");
    expect(cells(sent, late.code)[1]).not.toContain("quá hạn");
  });

  it("when the ranking so far is drawn, then it is a server-side SVG with an accessible name, one bar per agency", async () => {
    const res = await (await loginAs(app, y.secretariat)).get(`${BASE}/dashboard`);
    const svg = res.text.slice(res.text.indexOf("<svg"), res.text.indexOf("</svg>"));
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="dash-chart-title dash-chart-desc"');
    expect(svg).toMatch(/<title id="dash-chart-title">Tổng điểm thi đua năm 2022/);
    // The reviewed sheets are ranked: the deputy's (1.1 at 37 of 40) before the head's (35 of 40); the others follow, unranked.
    expect(svg).toContain(`${deputy.name}: 97,00 điểm, hạng 1`);
    expect(svg.match(/<rect /g)).toHaveLength(y.agencies.length);
    expectInOrder(svg, [`1. ${deputy.shortName}`, "97,00", `2. ${head.shortName}`, "95,00"]);
    expect(res.text).not.toMatch(/<script>|style="/);
  });

  it("when actions are audited, then the latest activity shows them newest first with Vietnamese labels", async () => {
    // A year of its own, whose log holds besides these only its few setup entries (stamped by the
    // database's clock, today: newer than these), all within what the page lists.
    const own = await newYear(db, { year: 2022, agencies: 2 });
    const bloc = await db("blocs").where({ code: own.bloc }).first("id");
    const agency = own.agencies[1]!;
    await db("audit_log").insert([
      { at: new Date("2022-12-13T09:00:00+07:00"), username: agency.clerk, action: "report.submit", entity: "report", bloc_id: bloc.id, agency_id: agency.id },
      { at: new Date("2022-12-13T10:00:00+07:00"), username: own.secretariat, action: "report.return", entity: "report", bloc_id: bloc.id, agency_id: agency.id },
      { at: new Date("2022-12-13T11:00:00+07:00"), username: own.secretariat, action: "ballots.save", entity: "emulation_year", bloc_id: bloc.id },
      { at: new Date("2022-12-13T12:00:00+07:00"), username: agency.clerk, action: "score_sheet.submit", entity: "score_sheet", bloc_id: bloc.id, agency_id: agency.id },
    ]);
    const res = await (await loginAs(app, own.secretariat)).get(`${own.Y}/dashboard`);
    const activity = res.text.slice(res.text.indexOf('id="dash-activity"'));
    expectInOrder(activity, [
      "13/12/2022 12:00", agency.clerk, "Gửi bảng tự chấm điểm", agency.shortName,
      "13/12/2022 11:00", "Ghi kết quả bỏ phiếu bình xét",
      "13/12/2022 10:00", "Trả lại báo cáo để bổ sung, chỉnh sửa",
      "13/12/2022 09:00", "Gửi báo cáo",
    ]);
  });

  it("when the bloc has fewer agencies, then the dashboard runs the same number of queries (no per-agency queries)", async () => {
    const sec = await loginAs(app, y.secretariat);
    // The first page after login stores the session's form token (one write); later pages write nothing.
    await sec.get("/account/password");
    let count = 0;
    const onQuery = () => count++;
    // A first visit may refresh the session's rolling expiry (at most once a minute): not counted.
    await sec.get(`${BASE}/dashboard`);
    const year = { id: y.yearId };
    const removed = await db("year_agencies").where({ year_id: year.id }).orderBy("sort_order", "desc").limit(3);
    // Both counted visits follow a change of the year (a new revision), so both build the year afresh.
    await db("emulation_years").where({ id: year.id }).update({ theme: db.raw("theme") });
    db.on("query", onQuery);
    try {
      await sec.get(`${BASE}/dashboard`);
      const withAll = count;
      await db("year_agencies").whereIn("id", removed.map((r: { id: number }) => r.id)).del();
      count = 0;
      const res = await sec.get(`${BASE}/dashboard`);
      expect(res.text.match(/data-agency=/g)).toHaveLength(y.agencies.length - 3);
      expect(count).toBe(withAll);
    } finally {
      db.removeListener("query", onQuery);
      await db("year_agencies").insert(removed);
    }
  });

  it("when the secretariat or leader opens the home page, then it is the dashboard; the leader's is read-only", async () => {
    const home = await (await loginAs(app, y.secretariat)).get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain('id="dash-matrix"');
    expect(home.text).toContain("Thường trực Khối");
    const leader = await loginAs(app, y.leader);
    for (const url of ["/", `${BASE}/dashboard`]) {
      const res = await leader.get(url);
      expect(res.status).toBe(200);
      expect(res.text).toContain('id="dash-matrix"');
      expect(res.text).toContain("chỉ xem");
      // The only form is the layout's logout button: nothing to change here.
      expect(res.text.match(/<form/g)).toHaveLength(1);
    }
    expect((await leader.get("/dashboard")).headers.location).toBe(`${BASE}/dashboard`);
  });

  it("when a clerk asks for the dashboard, then it is not found; their home stays their own", async () => {
    const clerk = await loginAs(app, drafting.clerk);
    expect((await clerk.get(`${BASE}/dashboard`)).status).toBe(404);
    const home = await clerk.get("/");
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('id="dash-matrix"');
    expect(home.text).toContain("Việc cần làm");
  });

  it("when the observer opens the home page, then it lists every bloc it may see, each linking to its dashboard", async () => {
    const year = await db("emulation_years").where({ id: y.yearId }).first("rules");
    const [other] = await db("blocs").insert({ code: "cum-tq", name: "Cụm thi đua số 1 tỉnh Tuyên Quang", kind: "cluster", issuing_body: "UBND TỈNH TUYÊN QUANG", short_name: "CTĐ1", place_name: "Tuyên Quang" }).returning("id");
    const [hidden] = await db("blocs").insert({ code: "an-khac", name: "Khối thi đua Văn hóa - Xã hội tỉnh Tuyên Quang", kind: "bloc", issuing_body: "UBND TỈNH TUYÊN QUANG", short_name: "KTĐVX", place_name: "Tuyên Quang" }).returning("id");
    await db("emulation_years").insert({ bloc_id: other.id, year: 2023, rules: JSON.stringify(year.rules) });
    const observer = await addAccount(db, { username: `bantdkt.${y.bloc}`, role: "observer", blocs: [y.bloc] });
    await db("user_blocs").insert({ user_id: observer, bloc_id: other.id });
    const agent = await loginAs(app, `bantdkt.${y.bloc}`);
    const res = await agent.get("/");
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<a href="${BASE}/dashboard">${y.blocName}</a>`);
    expect(res.text).toContain('<a href="/blocs/cum-tq/years/2023/dashboard">Cụm thi đua số 1 tỉnh Tuyên Quang</a>');
    expect(res.text).not.toContain("Văn hóa - Xã hội");
    expect((await agent.get(`${BASE}/dashboard`)).status).toBe(200);
    expect(hidden.id).toBeGreaterThan(0);
    expect((await agent.get("/blocs/an-khac/years/2023/dashboard")).status).toBe(404);
  });
});
