import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, postForm } from "./http.js";
import type { Database } from "../src/db/database.js";

// Issue 22: the secretariat's audit log for people, the leader's and observer's point history,
// the score sheet's "agreed" column, and the glossary of words.
let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  database = await createTestDatabase("demo-2022-open");
  db = database.knex;
  app = createTestApp(db);
});
afterAll(() => database.close());

const Y = "/blocs/noichinh-tq/years/2022";

describe("the secretariat reviews a sheet beside the agency's reports", () => {
  it("the sheet page links the reports and their files and shows the real dates beside the on-time criteria; a full self-score despite a late report is flagged", async () => {
    // thanhtra: its 6-month report recorded 2 days late, and full self points on 4.2 (sending on time)
    const p1 = await db("periods").where({ number: 1 }).first("id");
    const agency = await db("agencies").where({ code: "thanhtra" }).first("id");
    await db("reports").where({ period_id: p1.id, agency_id: agency.id }).update({ submitted_on: "2022-06-17", late_days: 2 });
    const item = await db("criteria").where({ code: "4.2" }).first("id", "max_points");
    const sheet = await db("score_sheets").where({ agency_id: agency.id }).first("id");
    await db("score_entries").where({ sheet_id: sheet.id, criterion_id: item.id }).update({ self_points: item.max_points });
    const page = await (await loginAs(app, "thuongtruc")).get(`${Y}/sheets/thanhtra`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Báo cáo của cơ quan, đơn vị (đối chiếu khi thẩm định)");
    expect(page.text).toContain(`href="${Y}/periods/2/reports/thanhtra"`);
    expect(page.text).toContain("gửi ngày 17/06/2022");
    expect(page.text).toContain("Ngày gửi thực tế — Đợt 1: gửi ngày 17/06/2022 (hạn 15/06/2022, chậm 2 ngày); Đợt 2: gửi ngày 10/12/2022 (hạn 15/12/2022, đúng hạn)");
    expect(page.text).toContain("⚠ Tự chấm đủ điểm nhưng có 1 báo cáo gửi chậm hoặc quá hạn: vui lòng đối chiếu ngày gửi.");
    // the clerk's own view stays as it was
    expect((await (await loginAs(app, "canbo.thanhtra")).get(`${Y}/sheets/thanhtra`)).text).not.toContain("⚠ Tự chấm đủ điểm");
  });

  it("a sheet cannot be marked reviewed while the agency's annual report waits for review; the page says so", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const page = await sec.get(`${Y}/sheets/thanhtra`);
    expect(page.text).toContain("Báo cáo tổng kết năm của cơ quan, đơn vị này đang chờ xem xét");
    const before = await db("score_sheets").where({ agency_id: (await db("agencies").where({ code: "thanhtra" }).first("id")).id }).first("status", "version");
    const res = await postForm(sec, `${Y}/sheets/thanhtra`, `${Y}/sheets/thanhtra`, { action: "reviewed" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("vui lòng tiếp nhận hoặc trả lại báo cáo trước khi hoàn tất thẩm định bảng điểm");
    const after = await db("score_sheets").where({ agency_id: (await db("agencies").where({ code: "thanhtra" }).first("id")).id }).first("status", "version");
    expect(after).toEqual(before);
  });
});

describe("the audit page reads like a log for people", () => {
  it("when the secretariat returns a report, then the log says what happened, to which agency and period, old → new by field name, with an IPv4 address", async () => {
    // Its own report: thads's annual report, a draft its clerk sends first (thanhtra's stays waiting for the test above).
    const url = `${Y}/periods/2/reports/thads`;
    expect((await postForm(await loginAs(app, "canbo.thads"), url, url, { action: "submit", confirm: "yes" })).status).toBe(303);
    const sec = await loginAs(app, "thuongtruc");
    const res = await postForm(sec, url, `${url}/review`, { action: "return", comment: "Bổ sung số liệu tiếp công dân" });
    expect(res.status).toBe(303);
    const page = await sec.get("/audit");
    expect(page.status).toBe(200);
    const heading = 'Trả lại báo cáo để bổ sung, chỉnh sửa</strong><br><span class="muted">Báo cáo · Cục THADS tỉnh · Đợt 2';
    expect(page.text).toContain(heading);
    const row = page.text.slice(page.text.indexOf(heading), page.text.indexOf("</tr>", page.text.indexOf(heading)));
    expect(row).toContain('Trạng thái: <span class="changes__before">Đã gửi</span> → <span class="changes__after">Bị trả lại</span>');
    expect(row).toContain('Ý kiến: <span class="changes__before">(trống)</span> → <span class="changes__after">Bổ sung số liệu tiếp công dân</span>');
    // supertest connects over IPv4-mapped IPv6: the page shows the IPv4 address.
    expect(page.text).toContain("<td>127.0.0.1</td>");
    expect(page.text).not.toContain("::ffff:");
    // no raw keys, no JSON dumps
    expect(page.text).not.toMatch(/>(report|ranking|score_sheet|login)\.[a-z_]+</);
    expect(page.text).not.toContain("{&#34;");
  });

  it("when a bloc's score points change, then the log names the criterion and the points old → new", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const item = await db("criteria").where({ code: "1.1" }).first("id");
    const res = await postForm(sec, `${Y}/sheets/thanhtra`, `${Y}/sheets/thanhtra`, { action: "save", [`b_${item.id}`]: "30", [`r_${item.id}`]: "Thiếu minh chứng" });
    expect(res.status).toBe(303);
    const page = await sec.get("/audit");
    expect(page.text).toContain("Khối chấm điểm bảng điểm");
    expect(page.text).toMatch(/Điểm Khối chấm 1\.1: <span class="changes__before">[^<]*<\/span> → <span class="changes__after">30<\/span>/);
    expect(page.text).toContain('Lý do Khối chấm 1.1: <span class="changes__before">(trống)</span> → <span class="changes__after">Thiếu minh chứng</span>');
  });

  it("the user filter offers everyone who acted in the bloc, including the leader and the clerks", async () => {
    await loginAs(app, "lanhdao");
    await loginAs(app, "canbo.stp");
    const page = await (await loginAs(app, "thuongtruc")).get("/audit");
    const select = page.text.slice(page.text.indexOf('id="userId"'), page.text.indexOf("</select>", page.text.indexOf('id="userId"')));
    expect(select).toContain("(lanhdao)");
    expect(select).toContain("(canbo.stp)");
    const leaderId = (await db("users").where({ username: "lanhdao" }).first("id")).id;
    const byLeader = await (await loginAs(app, "thuongtruc")).get(`/audit?userId=${leaderId}`);
    expect(byLeader.text).toContain("<td>lanhdao</td>");
    expect(byLeader.text).not.toContain("<td>thuongtruc</td>");
  });

  it("the leader and the observer read the point changes of their blocs only, read-only; a clerk is refused", async () => {
    // A point change of its own, on vks's reviewed sheet (the test above changes thanhtra's).
    const item = await db("criteria").where({ code: "1.1" }).first("id");
    const sec = await loginAs(app, "thuongtruc");
    expect((await postForm(sec, `${Y}/sheets/vks`, `${Y}/sheets/vks`, { action: "save", [`b_${item.id}`]: "25", [`r_${item.id}`]: "Chưa đủ hồ sơ" })).status).toBe(303);
    for (const username of ["lanhdao", "bantdkt"]) {
      const agent = await loginAs(app, username);
      const home = await agent.get("/");
      expect(home.text).toContain('<a href="/audit"');
      const page = await agent.get("/audit");
      expect([username, page.status]).toEqual([username, 200]);
      expect(page.text).toContain("Lịch sử thay đổi điểm");
      expect(page.text).toContain("Điểm Khối chấm 1.1");
      // only point changes: no logins, no report reviews
      expect(page.text).not.toContain("<strong>Đăng nhập</strong>");
      expect(page.text).not.toContain("Trả lại báo cáo");
      expect(page.text).not.toMatch(/<form method="post"(?! action="\/logout")/);
    }
    expect((await (await loginAs(app, "canbo.stp")).get("/audit")).status).toBe(403);
  });
});

describe("a printable reminder letter (công văn đôn đốc) from the period page", () => {
  it("the period page links it; it is addressed to the agencies behind, lists them with days overdue, and prints as PDF", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const period = await sec.get(`${Y}/periods/1/reports`);
    expect(period.text).toContain(`href="${Y}/periods/1/reminder"`);
    const letter = await sec.get(`${Y}/periods/1/reminder`);
    expect(letter.status).toBe(200);
    expect(letter.text).toContain("V/v đôn đốc gửi báo cáo sơ kết thi đua 6 tháng đầu năm 2022");
    expect(letter.text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(letter.text).toMatch(/Kính gửi: [^<]*Sở Tư pháp tỉnh Tuyên Quang/);
    expect(letter.text).toContain("Thực hiện Kế hoạch số 01/KH-KTĐNC");
    expect(letter.text).toContain("TRƯỞNG KHỐI THI ĐUA");
    // those who sent are not addressed
    expect(letter.text).not.toMatch(/Kính gửi: [^<]*Công an tỉnh/);
    const rows = [...letter.text.matchAll(/<tr><td class="align-center">(\d+)<\/td><td class="align-left">([^<]+)<\/td>/g)].map((m) => m[2]);
    const behind = (await db("reports as r").join("periods as p", "p.id", "r.period_id").join("agencies as a", "a.id", "r.agency_id").where("p.number", 1).whereIn("r.status", ["draft", "returned"]).select("a.name")).map((r) => r.name);
    for (const name of behind) expect(rows).toContain(name);
    const pdf = await sec.get(`${Y}/periods/1/reminder.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect((await (await loginAs(app, "canbo.stp")).get(`${Y}/periods/1/reminder`)).status).toBe(404);
  });
});

describe("a report returned twice keeps both comments in its history", () => {
  it("when the secretariat returns, the clerk resends and it is returned again, then both comments are listed under their submissions", async () => {
    const url = `${Y}/periods/1/reports/toaan`;
    const toaan = await db("agencies").where({ code: "toaan" }).first("id");
    const p1 = await db("periods").where({ number: 1 }).first("id");
    await db("reports").where({ period_id: p1.id, agency_id: toaan.id }).update({ status: "submitted" });
    const sec = await loginAs(app, "thuongtruc");
    const clerk = await loginAs(app, "canbo.toaan");
    expect((await postForm(sec, url, `${url}/review`, { action: "return", comment: "Lần 1: bổ sung số liệu" })).status).toBe(303);
    expect((await postForm(clerk, url, url, { action: "submit", confirm: "yes", general: "Đã bổ sung" })).status).toBe(303);
    expect((await postForm(sec, url, `${url}/review`, { action: "return", comment: "Lần 2: thiếu bản scan" })).status).toBe(303);
    const page = (await clerk.get(url)).text;
    const history = page.slice(page.indexOf("Các lần gửi"));
    const returns = [...history.matchAll(/<p class="version-return">Trả lại ngày (\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}) \(Thường trực Khối[^<]*\): ([^<]*)<\/p>/g)].map((m) => m[2]);
    expect(returns).toEqual(["Lần 1: bổ sung số liệu", "Lần 2: thiếu bản scan"]);
    expect(history.indexOf("Lần 1: bổ sung")).toBeLessThan(history.indexOf("Lần 2: thiếu"));
  });
});

describe("the bloc's column says 'agreed' instead of a bare dash", () => {
  it("when the secretariat leaves an item as self-scored, then the sheet reads 'Đồng ý' and explains it", async () => {
    const clerk = await loginAs(app, "canbo.congan");
    const page = await clerk.get(`${Y}/sheets/congan`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Đồng ý");
    expect(page.text).toContain("“Đồng ý” ở cột Điểm Khối chấm: Khối giữ nguyên điểm tự chấm của cơ quan, đơn vị.");
    const bloc = page.text.slice(page.text.indexOf("<tbody"), page.text.indexOf("</table>"));
    expect(bloc).not.toMatch(/data-label="Điểm Khối chấm">\s*—\s*</);
  });
});

/**
 * One term for one thing. Each old term is refused in every template and message; each term
 * in use is checked on a page where it must appear.
 */
const GLOSSARY: { use: string; not: string[]; page: [user: string, url: string] }[] = [
  { use: "Chưa gửi", not: ["Chưa làm"], page: ["thuongtruc", `${Y}/dashboard`] },
  { use: "Đang soạn (nháp)", not: ["Đang soạn (bản nháp)", "Bản nháp)"], page: ["canbo.thads", "/"] },
  { use: "Tỷ lệ", not: ["Tỉ lệ", "tỉ lệ"], page: ["thuongtruc", `${Y}/rules`] },
  { use: "Hoàn tất thẩm định", not: [">Đã thẩm định</button>"], page: ["thuongtruc", `${Y}/sheets/thanhtra`] },
  { use: "Điểm tạm tính", not: ["Điểm hiện có"], page: ["thuongtruc", `${Y}/ranking`] },
  { use: "cập nhật đến ngày", not: ["số liệu đến ngày"], page: ["thuongtruc", `${Y}/dashboard`] },
  { use: "byte", not: ["0 KB)"], page: ["thuongtruc", "/"] },
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ejs|ts)$/.test(e.name) && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

describe("words: the glossary", () => {
  const files = [...sourceFiles("views"), ...sourceFiles("src")].map((f) => [f, fs.readFileSync(f, "utf8")] as const);

  it.each(GLOSSARY.map((g) => [g.use, g] as const))("'%s' is the term; the old ones appear in no template or message", (_use, g) => {
    const found = files.flatMap(([f, text]) => g.not.filter((old) => text.includes(old)).map((old) => `${f}: ${old}`));
    expect(found).toEqual([]);
  });

  it.each(GLOSSARY.filter((g) => g.use !== "byte").map((g) => [g.use, g] as const))("'%s' appears where it belongs", async (_use, g) => {
    const [user, url] = g.page;
    const page = await (await loginAs(app, user)).get(url);
    expect(page.status).toBe(200);
    expect(page.text).toContain(g.use);
    for (const old of g.not) expect(page.text).not.toContain(old);
  });

  // It publishes the ranking, after which no sheet can be reviewed: on a demo of its own.
  describe("once the ranking is published", () => {
    let published: Database;
    let app: ReturnType<typeof createTestApp>;
    beforeAll(async () => {
      published = await createTestDatabase("demo-2022-open");
      app = createTestApp(published.knex);
    });
    afterAll(() => published.close());

    it("no raw action key in the dashboard's activity list, no '.;' in reasons, no 'Người ký: —'", async () => {
      const sec = await loginAs(app, "thuongtruc");
      // The day's work before publishing, so that the list holds more than the publication: a report
      // returned and sent again, a bloc point changed with its reason.
      const url = `${Y}/periods/2/reports/thanhtra`;
      expect((await postForm(sec, url, `${url}/review`, { action: "return", comment: "Bổ sung số liệu tiếp công dân" })).status).toBe(303);
      expect((await postForm(await loginAs(app, "canbo.thanhtra"), url, url, { action: "submit", confirm: "yes" })).status).toBe(303);
      const item = await published.knex("criteria").where({ code: "1.1" }).first("id");
      expect((await postForm(sec, `${Y}/sheets/thanhtra`, `${Y}/sheets/thanhtra`, { action: "save", [`b_${item.id}`]: "30", [`r_${item.id}`]: "Thiếu minh chứng" })).status).toBe(303);
      expect((await postForm(await loginAs(app, "lanhdao"), `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
      const dashboard = (await sec.get(`${Y}/dashboard`)).text;
      const activity = dashboard.slice(dashboard.indexOf('id="dash-activity"'));
      expect(activity).toContain("Công bố kết quả xếp hạng");
      const actions = [...activity.matchAll(/<tr><td>[^<]*<\/td><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => m[1]!);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => /^[a-z_]+(\.[a-z_]+)?$/.test(a))).toEqual([]);
      const ranking = (await sec.get(`${Y}/ranking`)).text;
      expect(ranking).not.toContain(".;");
      for (const agency of ["bchqs", "congan", "toaan", "vks", "stp", "thanhtra", "thads"]) {
        const reg = (await sec.get(`${Y}/registration/${agency}`)).text;
        expect([agency, reg.includes("Người ký: —") || reg.includes("Người ký: <strong>—")]).toEqual([agency, false]);
      }
    });
  });
});
