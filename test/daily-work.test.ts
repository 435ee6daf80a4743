import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, postForm } from "./http.js";
import { addAccount, addRankedMembers, addReport, addSheet, newYear, sendEverythingOnTime, setPlan, type TestAgency, type TestYear } from "./factories.js";
import { addDays } from "../src/lib/dates.js";
import type { Database } from "../src/db/database.js";

// Issue 22: the secretariat's audit log for people, the leader's and observer's point history,
// the score sheet's "agreed" column, and the glossary of words.
let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;

/** A date as the pages write it: 2022-06-17 → 17/06/2022. */
const vnDate = (iso: string) => iso.split("-").reverse().join("/");
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The file's 2022 (from the template, its plan numbered PLAN), a member for each test that writes:
 * `head` sent everything on time (its 6-month report accepted); `lateSender` sent its 6-month report
 * 2 days late and its annual report 5 days early, both waiting for review, and its sheet with full
 * self points; `annualDraft` has its annual report as a draft; `resent` its 6-month report sent;
 * `drafting` its 6-month report as a draft, `returned` its 6-month report returned; `rescored` and
 * `agreed` their sheets sent, `reviewed` its sheet reviewed; `idle` did nothing. An observer follows
 * the bloc.
 */
let y: TestYear;
let Y: string;
const PLAN = "01/KH-KTĐKT";
let head: TestAgency, agreed: TestAgency, lateSender: TestAgency, annualDraft: TestAgency, resent: TestAgency, drafting: TestAgency, returned: TestAgency, rescored: TestAgency, reviewed: TestAgency, idle: TestAgency;
let observer: string;
/** The 6-month report's and the annual report's due dates, and when `lateSender` sent them. */
let sixMonthDue: string, annualDue: string, lateSent: string, annualSent: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  app = createTestApp(db);
  y = await newYear(db, { year: 2022, agencies: 10 });
  Y = y.Y;
  [head, agreed, lateSender, annualDraft, resent, drafting, returned, rescored, reviewed, idle] = y.agencies as [TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency];
  [sixMonthDue, annualDue] = [y.periods[0]!.dueOn, y.periods[1]!.dueOn];
  [lateSent, annualSent] = [addDays(sixMonthDue, 2), addDays(annualDue, -5)];
  await setPlan(db, y, { number: PLAN, date: "2022-01-15", signerName: "Nguyễn Văn Trưởng", signerPosition: "Thủ trưởng cơ quan Trưởng khối" });
  observer = `theodoi.${y.bloc}`;
  await addAccount(db, { username: observer, role: "observer", fullName: "Ban Thi đua – Khen thưởng (kiểm thử)", blocs: [y.bloc] });
  await sendEverythingOnTime(db, y, head);
  await addReport(db, y, { agency: lateSender, period: 1, status: "submitted", on: lateSent });
  await addReport(db, y, { agency: lateSender, period: 2, status: "submitted", on: annualSent });
  await addSheet(db, y, { agency: lateSender, status: "submitted" });
  await addReport(db, y, { agency: annualDraft, period: 2, status: "draft" });
  await addReport(db, y, { agency: resent, period: 1, status: "submitted" });
  await addReport(db, y, { agency: drafting, period: 1, status: "draft" });
  await addReport(db, y, { agency: returned, period: 1, status: "returned" });
  await addSheet(db, y, { agency: rescored, status: "submitted" });
  await addSheet(db, y, { agency: agreed, status: "submitted" });
  await addSheet(db, y, { agency: reviewed, status: "reviewed" });
});
afterAll(() => database.close());

describe("the secretariat reviews a sheet beside the agency's reports", () => {
  it("the sheet page links the reports and their files and shows the real dates beside the on-time criteria; a full self-score despite a late report is flagged", async () => {
    // lateSender: its 6-month report sent 2 days late, and full self points on 4.2 (sending on time)
    const item = await db("criteria").where({ id: y.criteria["4.2"] }).first("max_points");
    const entry = await db("score_entries as e").join("score_sheets as s", "s.id", "e.sheet_id").where({ "s.agency_id": lateSender.id, "e.criterion_id": y.criteria["4.2"] }).first("e.self_points");
    expect(Number(entry.self_points)).toBe(Number(item.max_points));
    const page = await (await loginAs(app, y.secretariat)).get(`${Y}/sheets/${lateSender.code}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Báo cáo của cơ quan, đơn vị (đối chiếu khi thẩm định)");
    expect(page.text).toContain(`href="${Y}/periods/2/reports/${lateSender.code}"`);
    expect(page.text).toContain(`gửi ngày ${vnDate(lateSent)}`);
    expect(page.text).toContain(`Ngày gửi thực tế — Đợt 1: gửi ngày ${vnDate(lateSent)} (hạn ${vnDate(sixMonthDue)}, chậm 2 ngày); Đợt 2: gửi ngày ${vnDate(annualSent)} (hạn ${vnDate(annualDue)}, đúng hạn)`);
    expect(page.text).toContain("⚠ Tự chấm đủ điểm nhưng có 1 báo cáo gửi chậm hoặc quá hạn: vui lòng đối chiếu ngày gửi.");
    // the clerk's own view stays as it was
    expect((await (await loginAs(app, lateSender.clerk)).get(`${Y}/sheets/${lateSender.code}`)).text).not.toContain("⚠ Tự chấm đủ điểm");
  });

  it("a sheet cannot be marked reviewed while the agency's annual report waits for review; the page says so", async () => {
    const sec = await loginAs(app, y.secretariat);
    const url = `${Y}/sheets/${lateSender.code}`;
    const page = await sec.get(url);
    expect(page.text).toContain("Báo cáo tổng kết năm của cơ quan, đơn vị này đang chờ xem xét");
    const before = await db("score_sheets").where({ agency_id: lateSender.id }).first("status", "version");
    expect(before.status).toBe("submitted");
    const res = await postForm(sec, url, url, { action: "reviewed" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("vui lòng tiếp nhận hoặc trả lại báo cáo trước khi hoàn tất thẩm định bảng điểm");
    const after = await db("score_sheets").where({ agency_id: lateSender.id }).first("status", "version");
    expect(after).toEqual(before);
  });
});

describe("the audit page reads like a log for people", () => {
  it("when the secretariat returns a report, then the log says what happened, to which agency and period, old → new by field name, with an IPv4 address", async () => {
    // Its own report: annualDraft's annual report, a draft its clerk sends first.
    const url = `${Y}/periods/2/reports/${annualDraft.code}`;
    expect((await postForm(await loginAs(app, annualDraft.clerk), url, url, { action: "submit", confirm: "yes" })).status).toBe(303);
    const sec = await loginAs(app, y.secretariat);
    const res = await postForm(sec, url, `${url}/review`, { action: "return", comment: "Bổ sung số liệu tiếp công dân" });
    expect(res.status).toBe(303);
    const page = await sec.get("/audit");
    expect(page.status).toBe(200);
    const heading = `Trả lại báo cáo để bổ sung, chỉnh sửa</strong><br><span class="muted">Báo cáo · ${annualDraft.shortName} · Đợt 2`;
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
    const sec = await loginAs(app, y.secretariat);
    const item = { id: y.criteria["1.1"]! };
    const url = `${Y}/sheets/${rescored.code}`;
    const res = await postForm(sec, url, url, { action: "save", [`b_${item.id}`]: "30", [`r_${item.id}`]: "Thiếu minh chứng" });
    expect(res.status).toBe(303);
    const page = await sec.get("/audit");
    expect(page.text).toContain("Khối chấm điểm bảng điểm");
    expect(page.text).toMatch(/Điểm Khối chấm 1\.1: <span class="changes__before">[^<]*<\/span> → <span class="changes__after">30<\/span>/);
    expect(page.text).toContain('Lý do Khối chấm 1.1: <span class="changes__before">(trống)</span> → <span class="changes__after">Thiếu minh chứng</span>');
  });

  it("the user filter offers everyone who acted in the bloc, including the leader and the clerks", async () => {
    // The leader and idle's clerk have done nothing but sign in.
    await loginAs(app, y.leader);
    await loginAs(app, idle.clerk);
    const page = await (await loginAs(app, y.secretariat)).get("/audit");
    const select = page.text.slice(page.text.indexOf('id="userId"'), page.text.indexOf("</select>", page.text.indexOf('id="userId"')));
    expect(select).toContain(`(${y.leader})`);
    expect(select).toContain(`(${idle.clerk})`);
    const leaderId = (await db("users").where({ username: y.leader }).first("id")).id;
    const byLeader = await (await loginAs(app, y.secretariat)).get(`/audit?userId=${leaderId}`);
    expect(byLeader.text).toContain(`<td>${y.leader}</td>`);
    expect(byLeader.text).not.toContain(`<td>${y.secretariat}</td>`);
  });

  it("the leader and the observer read the point changes of their blocs only, read-only; a clerk is refused", async () => {
    // A point change of its own, on `reviewed`'s reviewed sheet (the test above changes rescored's);
    // the bloc's log also holds a report returned (`returned`'s) and logins.
    const item = { id: y.criteria["1.1"]! };
    const sec = await loginAs(app, y.secretariat);
    const url = `${Y}/sheets/${reviewed.code}`;
    expect((await postForm(sec, url, url, { action: "save", [`b_${item.id}`]: "25", [`r_${item.id}`]: "Chưa đủ hồ sơ" })).status).toBe(303);
    expect((await sec.get("/audit")).text).toContain("Trả lại báo cáo");
    for (const username of [y.leader, observer]) {
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
    expect((await (await loginAs(app, idle.clerk)).get("/audit")).status).toBe(403);
  });
});

describe("a printable reminder letter (công văn đôn đốc) from the period page", () => {
  it("the period page links it; it is addressed to the agencies behind, lists them with days overdue, and prints as PDF", async () => {
    const sec = await loginAs(app, y.secretariat);
    const period = await sec.get(`${Y}/periods/1/reports`);
    expect(period.text).toContain(`href="${Y}/periods/1/reminder"`);
    const letter = await sec.get(`${Y}/periods/1/reminder`);
    expect(letter.status).toBe(200);
    expect(letter.text).toContain("V/v đôn đốc gửi báo cáo sơ kết thi đua 6 tháng đầu năm 2022");
    expect(letter.text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(letter.text).toMatch(new RegExp(`Kính gửi: [^<]*${escapeRegExp(drafting.name)}`));
    expect(letter.text).toContain(`Thực hiện Kế hoạch số ${PLAN}`);
    expect(letter.text).toContain("TRƯỞNG KHỐI THI ĐUA");
    // those who sent are not addressed
    expect(letter.text).not.toMatch(new RegExp(`Kính gửi: [^<]*${escapeRegExp(head.name)}`));
    const rows = [...letter.text.matchAll(/<tr><td class="align-center">(\d+)<\/td><td class="align-left">([^<]+)<\/td>/g)].map((m) => m[2]);
    const behind = (await db("reports as r").join("periods as p", "p.id", "r.period_id").join("agencies as a", "a.id", "r.agency_id").where({ "p.year_id": y.yearId, "p.number": 1 }).whereIn("r.status", ["draft", "returned"]).select("a.name")).map((r) => r.name);
    expect(behind).toEqual(expect.arrayContaining([drafting.name, returned.name]));
    for (const name of behind) expect(rows).toContain(name);
    const pdf = await sec.get(`${Y}/periods/1/reminder.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect((await (await loginAs(app, idle.clerk)).get(`${Y}/periods/1/reminder`)).status).toBe(404);
  });
});

describe("a report returned twice keeps both comments in its history", () => {
  it("when the secretariat returns, the clerk resends and it is returned again, then both comments are listed under their submissions", async () => {
    const url = `${Y}/periods/1/reports/${resent.code}`;
    const sec = await loginAs(app, y.secretariat);
    const clerk = await loginAs(app, resent.clerk);
    const returner = (await db("users").where({ username: y.secretariat }).first("full_name")).full_name as string;
    expect((await postForm(sec, url, `${url}/review`, { action: "return", comment: "Lần 1: bổ sung số liệu" })).status).toBe(303);
    expect((await postForm(clerk, url, url, { action: "submit", confirm: "yes", general: "Đã bổ sung" })).status).toBe(303);
    expect((await postForm(sec, url, `${url}/review`, { action: "return", comment: "Lần 2: thiếu bản scan" })).status).toBe(303);
    const page = (await clerk.get(url)).text;
    const history = page.slice(page.indexOf("Các lần gửi"));
    const returns = [...history.matchAll(new RegExp(`<p class="version-return">Trả lại ngày (\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}) \\(${escapeRegExp(returner)}\\): ([^<]*)</p>`, "g"))].map((m) => m[2]);
    expect(returns).toEqual(["Lần 1: bổ sung số liệu", "Lần 2: thiếu bản scan"]);
    expect(history.indexOf("Lần 1: bổ sung")).toBeLessThan(history.indexOf("Lần 2: thiếu"));
  });
});

describe("the bloc's column says 'agreed' instead of a bare dash", () => {
  it("when the secretariat leaves an item as self-scored, then the sheet reads 'Đồng ý' and explains it", async () => {
    // The secretariat completes the review as the page's form comes, no bloc point typed.
    const url = `${Y}/sheets/${agreed.code}`;
    expect((await postForm(await loginAs(app, y.secretariat), url, url, { action: "reviewed" })).status).toBe(303);
    expect((await db("score_sheets").where({ agency_id: agreed.id }).first("status")).status).toBe("reviewed");
    const clerk = await loginAs(app, agreed.clerk);
    const page = await clerk.get(url);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Đồng ý");
    expect(page.text).toContain("“Đồng ý” ở cột Điểm Khối chấm: Khối giữ nguyên điểm tự chấm của cơ quan, đơn vị.");
    const bloc = page.text.slice(page.text.indexOf("<tbody"), page.text.indexOf("</table>"));
    expect(bloc).not.toMatch(/data-label="Điểm Khối chấm">\s*—\s*</);
  });
});

/**
 * One term for one thing. Each old term is refused in every template and message; each term
 * in use is checked on a page where it must appear (who reads it and where, once the file's year exists).
 */
const GLOSSARY: { use: string; not: string[]; page: () => [user: string, url: string] }[] = [
  { use: "Chưa gửi", not: ["Chưa làm"], page: () => [y.secretariat, `${Y}/dashboard`] },
  { use: "Đang soạn (nháp)", not: ["Đang soạn (bản nháp)", "Bản nháp)"], page: () => [drafting.clerk, "/"] },
  { use: "Tỷ lệ", not: ["Tỉ lệ", "tỉ lệ"], page: () => [y.secretariat, `${Y}/rules`] },
  { use: "Hoàn tất thẩm định", not: [">Đã thẩm định</button>"], page: () => [y.secretariat, `${Y}/sheets/${lateSender.code}`] },
  { use: "Điểm tạm tính", not: ["Điểm hiện có"], page: () => [y.secretariat, `${Y}/ranking`] },
  { use: "cập nhật đến ngày", not: ["số liệu đến ngày"], page: () => [y.secretariat, `${Y}/dashboard`] },
  { use: "byte", not: ["0 KB)"], page: () => [y.secretariat, "/"] },
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
    const [user, url] = g.page();
    const page = await (await loginAs(app, user)).get(url);
    expect(page.status).toBe(200);
    expect(page.text).toContain(g.use);
    for (const old of g.not) expect(page.text).not.toContain(old);
  });

  // It publishes the ranking, after which no sheet can be reviewed: on a database of its own.
  describe("once the ranking is published", () => {
    let published: Database;
    let app: ReturnType<typeof createTestApp>;
    /**
     * Its 2022 brought to the review meeting for three members, the third below the vote share
     * and with a disciplinary breach whose reason ends with a full stop (so its reasons for no
     * award are several, and joined); `resent`'s annual report sent and its sheet waiting; the
     * registrations signed (the three ranked), unsigned (`unsigned`'s draft, a position but no
     * name) and missing (`resent`'s).
     */
    let y: TestYear;
    let resent: TestAgency, unsigned: TestAgency;
    beforeAll(async () => {
      published = await createTestDatabase();
      const db = published.knex;
      app = createTestApp(db);
      y = await newYear(db, { year: 2022, agencies: 5 });
      const [head, deputy, disciplined] = y.agencies as [TestAgency, TestAgency, TestAgency];
      [resent, unsigned] = y.agencies.slice(3) as [TestAgency, TestAgency];
      await addRankedMembers(db, y, [{ agency: head, shortfall: 0, votes: 7 }, { agency: deputy, shortfall: 1, votes: 6 }, { agency: disciplined, shortfall: 2, votes: 2 }], { heldOn: "2023-01-10", place: "Hội trường Khối", validBallots: 7 });
      const sec = await loginAs(app, y.secretariat);
      const sheet = `${y.Y}/sheets/${disciplined.code}`;
      expect((await postForm(sec, sheet, sheet, { action: "save", discipline_flag: "1", discipline_reason: "Một công chức bị xử lý kỷ luật cảnh cáo." })).status).toBe(303);
      await addReport(db, y, { agency: resent, period: 2, status: "submitted" });
      await addSheet(db, y, { agency: resent, status: "submitted" });
      const reg = `${y.Y}/registration/${unsigned.code}`;
      expect((await postForm(await loginAs(app, unsigned.clerk), reg, reg, { action: "save", titles: "Tập thể lao động xuất sắc", targets: "Hoàn thành 100% chỉ tiêu.", signerName: "", signerPosition: "Thủ trưởng" })).status).toBe(303);
    });
    afterAll(() => published.close());

    it("no raw action key in the dashboard's activity list, no '.;' in reasons, no 'Người ký: —'", async () => {
      const Y = y.Y;
      const sec = await loginAs(app, y.secretariat);
      // The day's work before publishing, so that the list holds more than the publication: a report
      // returned and sent again, a bloc point changed with its reason.
      const url = `${Y}/periods/2/reports/${resent.code}`;
      expect((await postForm(sec, url, `${url}/review`, { action: "return", comment: "Bổ sung số liệu tiếp công dân" })).status).toBe(303);
      expect((await postForm(await loginAs(app, resent.clerk), url, url, { action: "submit", confirm: "yes" })).status).toBe(303);
      const item = { id: y.criteria["1.1"]! };
      expect((await postForm(sec, `${Y}/sheets/${resent.code}`, `${Y}/sheets/${resent.code}`, { action: "save", [`b_${item.id}`]: "30", [`r_${item.id}`]: "Thiếu minh chứng" })).status).toBe(303);
      expect((await postForm(await loginAs(app, y.leader), `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
      const dashboard = (await sec.get(`${Y}/dashboard`)).text;
      const activity = dashboard.slice(dashboard.indexOf('id="dash-activity"'));
      expect(activity).toContain("Công bố kết quả xếp hạng");
      const actions = [...activity.matchAll(/<tr><td>[^<]*<\/td><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => m[1]!);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => /^[a-z_]+(\.[a-z_]+)?$/.test(a))).toEqual([]);
      const ranking = (await sec.get(`${Y}/ranking`)).text;
      // Several reasons, the first (the breach's) typed with a full stop, are joined on the page.
      expect(ranking).toContain("Có vi phạm kỷ luật: Một công chức bị xử lý kỷ luật cảnh cáo; ");
      expect(ranking).not.toContain(".;");
      for (const { code: agency } of y.agencies) {
        const reg = (await sec.get(`${Y}/registration/${agency}`)).text;
        expect([agency, reg.includes("Người ký: —") || reg.includes("Người ký: <strong>—")]).toEqual([agency, false]);
      }
    });
  });
});
