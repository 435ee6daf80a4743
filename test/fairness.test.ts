// Issue 14 over HTTP: conflicts of interest refused, ties left to the meeting, self-votes, the published
// ranking frozen (and recomputed after reopening), the checklist before publication, the meeting's
// ranking kept for the minutes, and "why this rank".
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { binary, createTestApp, loginAs, postForm } from "./http.js";
import { rankingCommand } from "../src/ranking/ranking-command.js";
import { createUserCommand } from "../src/users/create-user-command.js";
import { createServices } from "../src/services.js";

const stdinWith = (input: string) => Object.assign(Readable.from([input]), { isTTY: false }) as unknown as NodeJS.ReadStream;

const Y = "/blocs/noichinh-tq/years/2022";
const NOW = new Date("2023-01-12T10:00:00+07:00");
const CONGAN = "Công an tỉnh Tuyên Quang";
const BCHQS = "Bộ Chỉ huy Quân sự tỉnh Tuyên Quang";
const VKS = "Viện kiểm sát nhân dân tỉnh Tuyên Quang";

async function fresh() {
  const database = await createTestDatabase("demo-2022-open");
  return { database, db: database.knex, app: createTestApp(database.knex, { now: () => NOW }) };
}

/** The demo as `fresh()` opens it, for one test that publishes (closed after the test). */
async function ownDemo() {
  const env = await fresh();
  onTestFinished(() => env.database.close());
  return env;
}

const agencyId = async (db: Knex, code: string): Promise<number> => (await db("agencies").where({ code }).first("id")).id;
/** A supertest parser that keeps binary bodies as a Buffer. */
/** Every cell of every row of the workbook's first sheet. */
async function xlsxRows(data: Buffer): Promise<string> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as unknown as Parameters<typeof book.xlsx.load>[0]);
  const rows: unknown[] = [];
  book.worksheets[0]!.eachRow((row) => rows.push(row.values));
  return JSON.stringify(rows);
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, " ");

/** Makes `to` score exactly like `from`: same entries, flags, submission instants and report dates. */
async function makeTwin(db: Knex, from: string, to: string) {
  const [a, b] = [await agencyId(db, from), await agencyId(db, to)];
  const sheetA = await db("score_sheets").where({ agency_id: a }).first();
  const sheetB = await db("score_sheets").where({ agency_id: b }).first();
  await db("score_sheets").where({ id: sheetB.id }).update({
    status: sheetA.status, submitted_at: sheetA.submitted_at, submitted_on: sheetA.submitted_on,
    discipline_flag: sheetA.discipline_flag, discipline_reason: sheetA.discipline_reason,
  });
  await db("score_entries").where({ sheet_id: sheetB.id }).del();
  const entries = await db("score_entries").where({ sheet_id: sheetA.id }).select("criterion_id", "self_points", "bloc_points", "self_count", "bloc_count");
  await db("score_entries").insert(entries.map((e) => ({ ...e, sheet_id: sheetB.id })));
  const regA = await db("registrations").where({ agency_id: a }).first("submitted_on");
  await db("registrations").where({ agency_id: b }).update({ submitted_on: regA.submitted_on });
  for (const r of await db("reports").where({ agency_id: a }).select("period_id", "submitted_on", "submitted_at")) {
    await db("reports").where({ agency_id: b, period_id: r.period_id }).update({ submitted_on: r.submitted_on, submitted_at: r.submitted_at });
  }
}

describe("conflict of interest", () => {
  let env: Awaited<ReturnType<typeof fresh>>;
  beforeAll(async () => (env = await fresh()));
  afterAll(() => env.database.close());

  it("the head's secretariat is refused on the head's sheet (403, names who must review, audited); the deputy's reviewer is accepted", async () => {
    const { app, db } = env;
    const sec = await loginAs(app, "thuongtruc");
    const page = await sec.get(`${Y}/sheets/bchqs`);
    expect(text(page.text)).toContain("Người thẩm định: Thường trực của đơn vị Phó Trưởng khối (Công an tỉnh Tuyên Quang)");
    expect(page.text).not.toMatch(/name="b_\d+"/);
    const refused = await postForm(sec, `${Y}/sheets/bchqs`, `${Y}/sheets/bchqs`, { action: "review" });
    expect(refused.status).toBe(403);
    expect(text(refused.text)).toContain("chỉ do tài khoản Thường trực của đơn vị Phó Trưởng khối — Công an tỉnh Tuyên Quang — thẩm định");
    const audit = await db("audit_log").where({ action: "score_sheet.review_refused", username: "thuongtruc" }).first();
    expect(audit.agency_id).toBe(await agencyId(db, "bchqs"));

    const deputy = await loginAs(app, "phokhoi");
    const form = await deputy.get(`${Y}/sheets/bchqs`);
    expect(form.text).toMatch(/name="b_\d+"/);
    const ok = await postForm(deputy, `${Y}/sheets/bchqs`, `${Y}/sheets/bchqs`, { action: "reviewed" });
    expect(ok.status).toBe(303);
    const sheet = await db("score_sheets").where({ agency_id: await agencyId(db, "bchqs") }).first("reviewed_by");
    expect(sheet.reviewed_by).toBe((await db("users").where({ username: "phokhoi" }).first("id")).id);
  });

  it("a reviewer belonging to an agency is refused on that agency's sheet and its reports", async () => {
    const { app, db } = env;
    const deputy = await loginAs(app, "phokhoi");
    const own = await postForm(deputy, `${Y}/sheets/congan`, `${Y}/sheets/congan`, { action: "review" });
    expect(own.status).toBe(403);
    expect(text(own.text)).toContain("tài khoản của bạn thuộc Công an tỉnh Tuyên Quang");
    // thanhtra's 6-month report waits for review: a secretariat account of thanhtra may not accept it.
    const [{ id }] = await db("users").insert({ username: "tt.thanhtra", full_name: "Thường trực — Thanh tra", role: "secretariat", agency_id: await agencyId(db, "thanhtra"), password_hash: (await db("users").where({ username: "phokhoi" }).first("password_hash")).password_hash }).returning("id");
    await db("user_blocs").insert({ user_id: id, bloc_id: (await db("blocs").first("id")).id });
    const clerkAgency = await loginAs(app, "tt.thanhtra");
    const reportUrl = `${Y}/periods/1/reports/thanhtra`;
    const page = await clerkAgency.get(reportUrl);
    expect(page.status).toBe(200);
    const accept = await postForm(clerkAgency, reportUrl, `${reportUrl}/review`, { action: "accept", comment: "", version: "1" });
    expect(accept.status).toBe(403);
    expect(await db("audit_log").where({ action: "report.review_refused", username: "tt.thanhtra" }).count({ n: "*" }).first()).toEqual({ n: 1 });
    expect((await db("reports").where({ agency_id: await agencyId(db, "thanhtra"), period_id: (await db("periods").where({ kind: "six_month" }).first("id")).id }).first("status")).status).toBe("submitted");
  });
});

describe("secretariat accounts of an agency", () => {
  let env: Awaited<ReturnType<typeof fresh>>;
  beforeAll(async () => (env = await fresh()));
  afterAll(() => env.database.close());

  it("the user form and the CLI give a secretariat account an agency; that account may then not review it", async () => {
    const { app, db } = env;
    const admin = await loginAs(app, "quantri");
    const toaan = await agencyId(db, "toaan");
    const bloc = (await db("blocs").first("id")).id;
    const res = await postForm(admin, "/admin/users/new", "/admin/users", {
      username: "tt.toaan", password: "mat-khau-moi-2026", fullName: "Thường trực — Tòa án", role: "secretariat", agencyId: String(toaan), blocIds: String(bloc),
    });
    expect(res.status).toBe(303);
    expect((await db("users").where({ username: "tt.toaan" }).first("agency_id")).agency_id).toBe(toaan);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await createUserCommand(db, ["tt.vks", "--role", "secretariat", "--bloc", "noichinh-tq", "--agency", "vks", "--name", "Thường trực — VKS"], stdinWith("mot-mat-khau-dai\n"));
    log.mockRestore();
    expect((await db("users").where({ username: "tt.vks" }).first("agency_id")).agency_id).toBe(await agencyId(db, "vks"));
    const reviewer = await loginAs(app, "tt.vks", "mot-mat-khau-dai");
    expect((await postForm(reviewer, `${Y}/sheets/vks`, `${Y}/sheets/vks`, { action: "review" })).status).toBe(403);
    expect((await reviewer.get(`${Y}/sheets/toaan`)).text).toMatch(/name="b_\d+"/);
  });

  it("an agency with no score sheet has no total in ranking.json (null, not 0); a sheet not yet ranked gives a provisional one", async () => {
    const { app, db } = env;
    const thads = await agencyId(db, "thads");
    const sheet = await db("score_sheets").where({ agency_id: thads }).first("id");
    await db("score_entries").where({ sheet_id: sheet.id }).del();
    await db("score_sheets").where({ id: sheet.id }).del();
    const sec = await loginAs(app, "thuongtruc");
    const rows = (await sec.get(`${Y}/ranking.json`)).body as { agency: string; total: number | null; provisional: boolean }[];
    expect(rows.find((r) => r.agency === "thads")).toMatchObject({ total: null, provisional: false });
    expect(rows.find((r) => r.agency === "thanhtra")).toMatchObject({ total: 94, provisional: true });
    expect(text((await sec.get(`${Y}/ranking`)).text)).toContain("Điểm tạm tính");
  });
});

describe("the published ranking is frozen", () => {
  let env: Awaited<ReturnType<typeof fresh>>;
  beforeAll(async () => (env = await fresh()));
  afterAll(() => env.database.close());

  const svg = (html: string) => html.slice(html.indexOf("<svg"), html.indexOf("</svg>"));
  async function outputs(agent: Awaited<ReturnType<typeof loginAs>>) {
    const get = async (path: string) => (await agent.get(`${Y}${path}`)).text;
    const page = await get("/ranking");
    return {
      table: page.slice(page.indexOf('class="data ranking"'), page.indexOf("</table>", page.indexOf('class="data ranking"'))),
      rules: page.slice(page.indexOf('class="rules"')),
      json: await get("/ranking.json"),
      csv: await get("/ranking.csv"),
      xlsx: await xlsxRows((await agent.get(`${Y}/ranking.xlsx`).buffer(true).parse(binary)).body as Buffer),
      print: await get("/ranking/print"),
      minutes: await get("/ballots/minutes"),
      letter: await get("/ranking/proposal-letter"),
      explain: text(await get("/ranking/stp")),
      chart: svg(await get("/dashboard")),
      cli: await rankingCommand(env.db, ["noichinh-tq", "2022", "--format", "json"]),
    };
  }

  it("publish, then change a rule, a criterion's title and an agency's name: every published output is unchanged; reopening recomputes", async () => {
    const { app, db } = env;
    const leader = await loginAs(app, "lanhdao");
    const confirm = await leader.get(`${Y}/ranking/publish`);
    expect(text(confirm.text)).toContain("Đơn vị không xếp hạng");
    expect(confirm.text).toContain(`<form method="post" action="${Y}/ranking/publish"`); // a plain form: works without scripts
    expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, {})).status).toBe(422);
    expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
    const before = await outputs(leader);
    expect(before.json).toContain(CONGAN);

    const year = await db("emulation_years").first("id", "rules");
    const rules = typeof year.rules === "string" ? JSON.parse(year.rules) : year.rules;
    await db("emulation_years").where({ id: year.id }).update({ rules: JSON.stringify({ ...rules, bonusCap: 1, flag: { ...rules.flag, quota: 0 }, thresholds: { excellent: 99, good: 90, pass: 50 } }) });
    await db("criteria").where({ code: "I" }).update({ title: "Tiêu chí đã đổi tên" });
    await db("criteria").where({ code: "1.1" }).update({ title: "Mục 1.1 đã đổi tên" });
    await db("agencies").where({ code: "congan" }).update({ name: "Công an tỉnh (tên mới)" });
    await db("year_agencies").where({ agency_id: await agencyId(db, "congan") }).update({ name: "Công an tỉnh (tên mới)" });

    const after = await outputs(leader);
    for (const key of Object.keys(before) as (keyof typeof before)[]) expect([key, after[key]]).toEqual([key, before[key]]);

    const reopened = await postForm(leader, `${Y}/ranking`, `${Y}/ranking/reopen`, { reason: "Khối chấm lại theo quy định mới của năm." });
    expect(reopened.status).toBe(303);
    expect(await db("ranking_snapshots").where({ kind: "published" }).count({ n: "*" }).first()).toEqual({ n: 0 });
    const audit = await db("audit_log").where({ action: "ranking.reopen" }).first();
    expect(audit.after.storedResultDiscarded).toBe(true);
    const live = await outputs(leader);
    expect(live.json).toContain("Công an tỉnh (tên mới)");
    expect(live.json).not.toContain("Cờ thi đua");
    expect(live.rules).toContain("điểm thưởng tính tối đa 1,00 điểm");
  });
});

describe("ties, self-votes, the meeting's ranking and why-this-rank", () => {
  // The self-vote and ballot tests share this demo; the tie and why-this-rank tests publish, each on a demo of its own.
  let env: Awaited<ReturnType<typeof fresh>>;
  beforeAll(async () => (env = await fresh()));
  afterAll(() => env.database.close());

  it("two agencies tied for the only flag: marked for the meeting, publication waits, the secretariat records the choice (audited)", async () => {
    const { app, db } = await ownDemo();
    await makeTwin(db, "congan", "vks");
    const sec = await loginAs(app, "thuongtruc");
    const page = text((await sec.get(`${Y}/ranking`)).text);
    expect(page).toContain("Đồng hạng — Hội nghị quyết định");
    expect(page).toContain(`${CONGAN}, ${VKS} đồng hạng 1`);
    const json = (await sec.get(`${Y}/ranking.json`)).body as { agency: string; proposal: string | null; rank: number }[];
    expect(json.filter((r) => r.rank === 1).map((r) => r.proposal)).toEqual([null, null]);

    const leader = await loginAs(app, "lanhdao");
    expect(text((await leader.get(`${Y}/ranking/publish`)).text)).toContain("Đồng hạng chờ Hội nghị quyết định: 1");
    const refused = await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" });
    expect(refused.status).toBe(422);

    const vks = await agencyId(db, "vks");
    const noReason = await postForm(sec, `${Y}/ranking`, `${Y}/ranking/ties`, { award: "flag", chosen: String(vks), reason: "" });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain("Vui lòng ghi rõ căn cứ lựa chọn của Hội nghị");
    const ok = await postForm(sec, `${Y}/ranking`, `${Y}/ranking/ties`, { award: "flag", chosen: String(vks), reason: "Hội nghị biểu quyết 5/7 chọn Viện kiểm sát." });
    expect(ok.status).toBe(303);
    const decided = (await sec.get(`${Y}/ranking.json`)).body as { agency: string; proposal: string | null; reason: string | null }[];
    expect(decided.find((r) => r.agency === "vks")?.proposal).toBe("Cờ thi đua của UBND tỉnh");
    expect(decided.find((r) => r.agency === "congan")?.proposal).toBe("Bằng khen của Chủ tịch UBND tỉnh");
    expect((await db("audit_log").where({ action: "ranking.tie_decision" }).first()).after.chosenAgencyIds).toEqual([vks]);
    // The meeting's choice travels with the year bundle: re-imported, the same proposals.
    const bundle = await createServices(db).bundle.exportYear("noichinh-tq", 2022);
    expect(bundle.tieDecisions).toEqual([{ award: "flag", tied: ["congan", "vks"], chosen: ["vks"], reason: "Hội nghị biểu quyết 5/7 chọn Viện kiểm sát." }]);
    const target = await createTestDatabase();
    try {
      expect((await createServices(target.knex).bundle.importYear(JSON.parse(JSON.stringify(bundle)), { replace: false })).ok).toBe(true);
      const imported = await createServices(target.knex).ranking.rowsForCli("noichinh-tq", 2022);
      expect(imported.map((r) => [r.agency, r.proposal])).toEqual(decided.map((r) => [r.agency, r.proposal]));
    } finally {
      await target.close();
    }
    expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
  });

  it("with self-votes off, the ballot form says so and a count above the other members' ballots is refused", async () => {
    const { app, db } = env;
    const year = await db("emulation_years").first("id", "rules");
    const rules = typeof year.rules === "string" ? JSON.parse(year.rules) : year.rules;
    await db("emulation_years").where({ id: year.id }).update({ rules: JSON.stringify({ ...rules, allowSelfVote: false }) });
    // The rules as they were for the ballot test, which shares this demo, whatever this test finds.
    onTestFinished(async () => {
      await db("emulation_years").where({ id: year.id }).update({ rules: JSON.stringify(rules) });
    });
    const sec = await loginAs(app, "thuongtruc");
    const form = await sec.get(`${Y}/ballots`);
    expect(text(form.text)).toContain("không được tự bỏ phiếu cho mình");
    const stp = await agencyId(db, "stp");
    const res = await postForm(sec, `${Y}/ballots`, `${Y}/ballots`, { valid_ballots: "7", [`v_${stp}`]: "7" });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain("không được lớn hơn 6");
    const json = (await sec.get(`${Y}/ranking.json`)).body as { agency: string; reason: string | null }[];
    expect(json.find((r) => r.agency === "stp")?.reason).toContain("Đạt 3/6 phiếu");
  });

  it("recording the ballot keeps the meeting's ranking: later points change the page's warning, not the minutes", async () => {
    const { app, db } = env;
    const sec = await loginAs(app, "thuongtruc");
    const saved = await postForm(sec, `${Y}/ballots`, `${Y}/ballots`, {});
    expect(saved.status).toBe(303);
    const minutes = text((await sec.get(`${Y}/ballots/minutes`)).text);
    expect(text((await sec.get(`${Y}/ranking`)).text)).not.toContain("khác với kết quả tại cuộc họp");
    // After the meeting, the bloc lowers item 1.1 of the Sở Tư pháp by 10 points.
    const stpSheet = await db("score_sheets").where({ agency_id: await agencyId(db, "stp") }).first("id");
    const item = await db("criteria").where({ code: "1.1" }).first("id");
    await db("score_entries").where({ sheet_id: stpSheet.id, criterion_id: item.id }).update({ bloc_points: "24" });
    const page = text((await sec.get(`${Y}/ranking`)).text);
    expect(page).toContain("Kết quả hiện nay khác với kết quả tại cuộc họp bình xét ngày 10/01/2023");
    expect(text((await sec.get(`${Y}/ballots/minutes`)).text)).toBe(minutes);
    expect(minutes).toContain("Không đề nghị: Có vi phạm kỷ luật");
  });

  it("why this rank: the bloc's readers always, clerks only after publication, and members never see discipline details", async () => {
    const { app } = await ownDemo();
    const sec = await loginAs(app, "thuongtruc");
    const bchqs = text((await sec.get(`${Y}/ranking/bchqs`)).text);
    expect(bchqs).toContain(`Vì sao ${BCHQS} xếp hạng như vậy`);
    expect(bchqs).toMatch(/Tổng điểm [\d,]+ \+ [\d,]+ − [\d,]+ = 95,00/);
    expect(bchqs).toContain("Cờ thi đua của UBND tỉnh: cần từ 2/3");
    const stp = text((await sec.get(`${Y}/ranking/stp`)).text);
    expect(stp).toContain("Báo cáo sơ kết 6 tháng: chưa gửi");
    expect(text((await sec.get(`${Y}/ranking`)).text)).toContain("Điểm trừ gồm 1 báo cáo chưa gửi, tính như gửi chậm: Báo cáo sơ kết 6 tháng");
    expect(stp).toContain("Một công chức bị xử lý kỷ luật cảnh cáo");

    const clerk = await loginAs(app, "canbo.toaan");
    expect((await clerk.get(`${Y}/ranking/toaan`)).status).toBe(404);
    const leader = await loginAs(app, "lanhdao");
    expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
    // The leader reads the published ranking and the minutes first: what is kept for the next reader of the
    // same revision (view models, printed pages) is kept per what each may see.
    expect(text((await leader.get(`${Y}/ranking`)).text)).toContain("Xếp loại bị giới hạn do vi phạm kỷ luật: Một công chức bị xử lý kỷ luật cảnh cáo");
    expect(text((await leader.get(`${Y}/ballots/minutes`)).text)).toContain("Một công chức bị xử lý kỷ luật cảnh cáo");
    const clerkMinutes = await clerk.get(`${Y}/ballots/minutes`);
    if (clerkMinutes.status === 200) expect(text(clerkMinutes.text)).not.toContain("cảnh cáo");
    else expect(clerkMinutes.status).toBe(404);
    const other = await clerk.get(`${Y}/ranking/stp`);
    expect(other.status).toBe(200);
    expect(text(other.text)).toContain("Có vi phạm kỷ luật");
    expect(text(other.text)).not.toContain("Một công chức bị xử lý kỷ luật cảnh cáo");
    const clerkHtml = (await clerk.get(`${Y}/ranking`)).text;
    const page = text(clerkHtml);
    // The link to an agency's years: the leader has one on every ranked row, the clerk only on its own.
    const historyLinks = (html: string) => [...html.matchAll(/href="\/agencies\/([a-z0-9._-]+)\/history">\(qua các năm\)/g)].map((m) => m[1]);
    const leaderLinks = historyLinks((await leader.get(`${Y}/ranking`)).text);
    expect(leaderLinks.length).toBeGreaterThan(1);
    expect(historyLinks(clerkHtml)).toEqual(["toaan"]);
    const otherClerk = await loginAs(app, "canbo.congan");
    expect(historyLinks((await otherClerk.get(`${Y}/ranking`)).text)).toEqual(["congan"]);
    expect(historyLinks((await leader.get(`${Y}/ranking`)).text)).toEqual(leaderLinks);
    expect(page).toContain("Xếp loại bị giới hạn do vi phạm kỷ luật");
    expect(page).not.toContain("Một công chức bị xử lý kỷ luật cảnh cáo");
    expect(JSON.stringify((await clerk.get(`${Y}/ranking.json`)).body)).not.toContain("cảnh cáo");
    expect((await leader.get(`${Y}/ranking/unknown-agency`)).status).toBe(404);
  });
});
