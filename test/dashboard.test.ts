import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs } from "./http.js";
import type { Database } from "../src/db/database.js";

const BASE = "/blocs/noichinh-tq/years/2022";
const NOW = new Date("2022-12-14T10:00:00+07:00");

/** The matrix row of one agency, as its cells' HTML (registration, 6-month, annual, score sheet). */
function cells(html: string, agency: string): string[] {
  const start = html.indexOf(`data-agency="${agency}"`);
  expect(start, `row of ${agency}`).toBeGreaterThan(0);
  const row = html.slice(start, html.indexOf("</tr>", start));
  return row.split("<td").slice(1);
}

function expectInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect(at, `"${part}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + part.length;
  }
}

describe("dashboard", () => {
  let database: Database;
  let db: Knex;
  let app: ReturnType<typeof createTestApp>;

  beforeAll(async () => {
    database = await createTestDatabase("demo-2022-open");
    db = database.knex;
    app = createTestApp(db, { now: () => NOW });
  });
  afterAll(() => database.close());

  it("when the secretariat opens the dashboard, then the matrix shows each agency's deliverables as seeded, each cell linking to its record", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const res = await sec.get(`${BASE}/dashboard`);
    expect(res.status).toBe(200);
    const toaan = cells(res.text, "toaan");
    expect(toaan).toHaveLength(4);
    expect(toaan[1]).toContain("Đã tiếp nhận");
    expect(toaan[1]).toContain("20/06/2022");
    expect(toaan[1]).toContain("chậm 5 ngày");
    expect(toaan[1]).toContain(`href="${BASE}/periods/1/reports/toaan"`);
    expect(toaan[0]).toContain(`href="${BASE}/registration/toaan"`);
    expect(toaan[3]).toContain(`href="${BASE}/sheets/toaan"`);
    expect(cells(res.text, "vks")[1]).toContain("Bị trả lại");
    const stp = cells(res.text, "stp")[1]!;
    expect(stp).toContain("Đang soạn (nháp)");
    expect(stp).toContain("quá hạn 182 ngày");
    const thads = cells(res.text, "thads");
    expect(thads[1]).toContain("Chưa gửi");
    expect(thads[1]).toContain("quá hạn 182 ngày");
    expect(thads[3]).toContain("Đang soạn (nháp)");
    expect(cells(res.text, "bchqs")[3]).toContain("Đã thẩm định");
    // What is overdue, listed on its own.
    const overdue = res.text.slice(res.text.indexOf('id="dash-overdue"'), res.text.indexOf('id="dash-ranking"'));
    expect(overdue).toContain("Sở Tư pháp tỉnh Tuyên Quang — Báo cáo sơ kết 6 tháng");
    expect(overdue).toContain("Cục Thi hành án dân sự tỉnh Tuyên Quang — Báo cáo sơ kết 6 tháng");
    expect(overdue).not.toContain("Tòa án nhân dân");
  });

  it("when the clock is fixed, then the deadlines show the days left or overdue", async () => {
    const res = await (await loginAs(app, "thuongtruc")).get(`${BASE}/dashboard`);
    const deadlines = res.text.slice(res.text.indexOf('id="dash-deadlines"'), res.text.indexOf('id="dash-matrix"'));
    expectInOrder(deadlines, ["Đăng ký thi đua", "hạn 28/02/2022", "đã quá hạn 289 ngày", "7/7 cơ quan đã gửi"]);
    expectInOrder(deadlines, ["Báo cáo sơ kết 6 tháng", "hạn 15/06/2022", "đã quá hạn 182 ngày", "4/7 cơ quan đã gửi"]);
    expectInOrder(deadlines, ["Báo cáo tổng kết năm và bảng chấm điểm", "hạn 15/12/2022", "còn 1 ngày"]);
    const later = await (await loginAs(createTestApp(db, { now: () => new Date("2022-12-15T08:00:00+07:00") }), "thuongtruc")).get(`${BASE}/dashboard`);
    expect(later.text).toContain("hạn là hôm nay");
  });

  it("when a new day begins or a report is sent after the dashboard was shown, then the next dashboard shows it (the year's part is kept only for its revision and day)", async () => {
    let clock = new Date("2022-12-14T10:00:00+07:00");
    const own = createTestApp(db, { now: () => clock });
    const sec = await loginAs(own, "thuongtruc");
    const first = (await sec.get(`${BASE}/dashboard`)).text;
    expect(first).toContain("cập nhật đến ngày 14/12/2022");
    expect(cells(first, "thads")[1]).toContain("quá hạn 182 ngày");
    clock = new Date("2022-12-15T08:00:00+07:00");
    const nextDay = (await sec.get(`${BASE}/dashboard`)).text;
    expect(nextDay).toContain("cập nhật đến ngày 15/12/2022");
    expect(nextDay).toContain("hạn là hôm nay");
    expect(cells(nextDay, "thads")[1]).toContain("quá hạn 183 ngày");
    // The Cục THADS's six-month report arrives (a write to the year: a new revision).
    const report = await db("reports as r").join("periods as p", "p.id", "r.period_id").join("agencies as a", "a.id", "r.agency_id")
      .where({ "a.code": "thads", "p.number": 1 }).first("r.id", "r.status", "r.submitted_at");
    const period = await db("periods as p").join("emulation_years as y", "y.id", "p.year_id").where({ "y.year": 2022, "p.number": 1 }).first("p.id");
    const agency = await db("agencies").where({ code: "thads" }).first("id");
    try {
      if (report) await db("reports").where({ id: report.id }).update({ status: "submitted", submitted_at: clock });
      else await db("reports").insert({ period_id: period.id, agency_id: agency.id, status: "submitted", submitted_at: clock });
      const sent = (await sec.get(`${BASE}/dashboard`)).text;
      expect(cells(sent, "thads")[1]).not.toContain("Chưa gửi");
      expect(cells(sent, "thads")[1]).not.toContain("quá hạn");
    } finally {
      if (report) await db("reports").where({ id: report.id }).update({ status: report.status, submitted_at: report.submitted_at });
      else await db("reports").where({ period_id: period.id, agency_id: agency.id }).del();
    }
  });

  it("when the ranking so far is drawn, then it is a server-side SVG with an accessible name, one bar per agency", async () => {
    const res = await (await loginAs(app, "thuongtruc")).get(`${BASE}/dashboard`);
    const svg = res.text.slice(res.text.indexOf("<svg"), res.text.indexOf("</svg>"));
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="dash-chart-title dash-chart-desc"');
    expect(svg).toMatch(/<title id="dash-chart-title">Tổng điểm thi đua năm 2022/);
    expect(svg).toContain("Công an tỉnh Tuyên Quang: 97,00 điểm, hạng 1");
    expect(svg.match(/<rect /g)).toHaveLength(7);
    expectInOrder(svg, ["1. Công an tỉnh", "97,00", "2. Bộ CHQS tỉnh", "95,00", "3. VKSND tỉnh", "4. TAND tỉnh", "5. Sở Tư pháp"]);
    expect(res.text).not.toMatch(/<script>|style="/);
  });

  it("when actions are audited, then the latest activity shows them newest first with Vietnamese labels", async () => {
    const bloc = await db("blocs").where({ code: "noichinh-tq" }).first("id");
    const vks = await db("agencies").where({ code: "vks" }).first("id");
    await db("audit_log").insert([
      { at: new Date("2022-12-13T09:00:00+07:00"), username: "canbo.vks", action: "report.submit", entity: "report", bloc_id: bloc.id, agency_id: vks.id },
      { at: new Date("2022-12-13T10:00:00+07:00"), username: "thuongtruc", action: "report.return", entity: "report", bloc_id: bloc.id, agency_id: vks.id },
      { at: new Date("2022-12-13T11:00:00+07:00"), username: "thuongtruc", action: "ballots.save", entity: "emulation_year", bloc_id: bloc.id },
      { at: new Date("2022-12-13T12:00:00+07:00"), username: "canbo.vks", action: "score_sheet.submit", entity: "score_sheet", bloc_id: bloc.id, agency_id: vks.id },
    ]);
    const res = await (await loginAs(app, "thuongtruc")).get(`${BASE}/dashboard`);
    const activity = res.text.slice(res.text.indexOf('id="dash-activity"'));
    expectInOrder(activity, [
      "13/12/2022 12:00", "canbo.vks", "Gửi bảng tự chấm điểm", "VKSND tỉnh",
      "13/12/2022 11:00", "Ghi kết quả bỏ phiếu bình xét",
      "13/12/2022 10:00", "Trả lại báo cáo để bổ sung, chỉnh sửa",
      "13/12/2022 09:00", "Gửi báo cáo",
    ]);
  });

  it("when the bloc has fewer agencies, then the dashboard runs the same number of queries (no per-agency queries)", async () => {
    const sec = await loginAs(app, "thuongtruc");
    // The first page after login stores the session's form token (one write); later pages write nothing.
    await sec.get("/account/password");
    let count = 0;
    const onQuery = () => count++;
    // A first visit may refresh the session's rolling expiry (at most once a minute): not counted.
    await sec.get(`${BASE}/dashboard`);
    const year = await db("emulation_years").first("id");
    const removed = await db("year_agencies").where({ year_id: year.id }).orderBy("sort_order", "desc").limit(3);
    // Both counted visits follow a change of the year (a new revision), so both build the year afresh.
    await db("emulation_years").where({ id: year.id }).update({ theme: db.raw("theme") });
    db.on("query", onQuery);
    try {
      await sec.get(`${BASE}/dashboard`);
      const withSeven = count;
      await db("year_agencies").whereIn("id", removed.map((r: { id: number }) => r.id)).del();
      count = 0;
      const res = await sec.get(`${BASE}/dashboard`);
      expect(res.text.match(/data-agency=/g)).toHaveLength(4);
      expect(count).toBe(withSeven);
    } finally {
      db.removeListener("query", onQuery);
      await db("year_agencies").insert(removed);
    }
  });

  it("when the secretariat or leader opens the home page, then it is the dashboard; the leader's is read-only", async () => {
    const home = await (await loginAs(app, "thuongtruc")).get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain('id="dash-matrix"');
    expect(home.text).toContain("Thường trực Khối");
    const leader = await loginAs(app, "lanhdao");
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
    const clerk = await loginAs(app, "canbo.stp");
    expect((await clerk.get(`${BASE}/dashboard`)).status).toBe(404);
    const home = await clerk.get("/");
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('id="dash-matrix"');
    expect(home.text).toContain("Việc cần làm");
  });

  it("when the observer opens the home page, then it lists every bloc it may see, each linking to its dashboard", async () => {
    const year = await db("emulation_years").first("rules");
    const [other] = await db("blocs").insert({ code: "cum-tq", name: "Cụm thi đua số 1 tỉnh Tuyên Quang", kind: "cluster", issuing_body: "UBND TỈNH TUYÊN QUANG", short_name: "CTĐ1", place_name: "Tuyên Quang" }).returning("id");
    const [hidden] = await db("blocs").insert({ code: "an-khac", name: "Khối thi đua Văn hóa - Xã hội tỉnh Tuyên Quang", kind: "bloc", issuing_body: "UBND TỈNH TUYÊN QUANG", short_name: "KTĐVX", place_name: "Tuyên Quang" }).returning("id");
    await db("emulation_years").insert({ bloc_id: other.id, year: 2023, rules: JSON.stringify(year.rules) });
    const observer = await db("users").where({ username: "bantdkt" }).first("id");
    await db("user_blocs").insert({ user_id: observer.id, bloc_id: other.id });
    const agent = await loginAs(app, "bantdkt");
    const res = await agent.get("/");
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<a href="${BASE}/dashboard">Khối thi đua Nội chính tỉnh Tuyên Quang</a>`);
    expect(res.text).toContain('<a href="/blocs/cum-tq/years/2023/dashboard">Cụm thi đua số 1 tỉnh Tuyên Quang</a>');
    expect(res.text).not.toContain("Văn hóa - Xã hội");
    expect((await agent.get(`${BASE}/dashboard`)).status).toBe(200);
    expect(hidden.id).toBeGreaterThan(0);
    expect((await agent.get("/blocs/an-khac/years/2023/dashboard")).status).toBe(404);
  });
});
