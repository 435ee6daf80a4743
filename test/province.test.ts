// Issue 20: the province's view (every bloc given to the observer, side by side), its consolidated
// proposals and their exports, and the year-over-year pages with the self-scoring gap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import * as cheerio from "cheerio";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { createTestDatabase } from "./db.js";
import { binary, createTestApp, loginAs, postForm, type Agent } from "./http.js";
import { writeSynthetic } from "../src/synthetic/writer.js";
import { rankingResultRows } from "../src/ranking/ranking-results.js";
import * as backfill from "../migrations/20261129_261_ranking_results_backfill.js";
import type { Database } from "../src/db/database.js";
import type { RankingExportRow, RankingState } from "../src/ranking/ranking-service.js";

const OPTS = { blocs: 3, agencies: 5, criteria: 12, years: 3, seed: 20, prefix: "pv", lastYear: 2024 };
const PUBLISHED = 2023;

/** The consolidated list as the page shows it: one array of cell texts per row. */
function pageRows(html: string): string[][] {
  const $ = cheerio.load(html);
  return $("table.province-proposals tbody tr")
    .toArray()
    .map((tr) => $(tr).find("td").toArray().map((td) => $(td).text().trim()));
}

const proposalKeys = (html: string) => cheerio.load(html)("table.province-proposals tbody tr").toArray().map((tr) => cheerio.load(tr)("tr").attr("data-proposal")!);

/** The synthetic province of these tests: the board's observer is given pv01 and pv03, not pv02; an admin sees every bloc. */
async function openProvince() {
  const database = await createTestDatabase();
  const db = database.knex;
  await writeSynthetic(db, OPTS);
  const hash = (await db("users").where({ username: "thuongtruc.pv01" }).first("password_hash")).password_hash;
  const [{ id: obs }] = await db("users").insert({ username: "quansat.pv", full_name: "Ban Thi đua – Khen thưởng tỉnh", role: "observer", password_hash: hash }).returning("id");
  await db("users").insert({ username: "quantri.pv", full_name: "Quản trị", role: "admin", password_hash: hash });
  const blocIds = await db("blocs").whereIn("code", ["pv01", "pv03"]).pluck("id");
  await db("user_blocs").insert(blocIds.map((bloc_id: number) => ({ user_id: obs, bloc_id })));
  const app = createTestApp(db, { now: () => new Date("2025-03-10T09:00:00+07:00") });
  return { database, db, app, observer: await loginAs(app, "quansat.pv"), admin: await loginAs(app, "quantri.pv") };
}

describe("province: /province/<year>, its exports, year over year", () => {
  let database: Database;
  let db: Knex;
  let app: ReturnType<typeof createTestApp>;
  let observer: Agent;
  let admin: Agent;

  beforeAll(async () => {
    ({ database, db, app, observer, admin } = await openProvince());
  });
  afterAll(() => database.close());

  it("when the observer opens /province/<year>, then it sees exactly the blocs given to it, each with its state, and no other bloc's proposals", async () => {
    const res = await observer.get(`/province/${PUBLISHED}`);
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($("table.province-blocs tbody tr").toArray().map((tr) => $(tr).attr("data-bloc"))).toEqual(["pv01", "pv03"]);
    const names = await db("blocs").orderBy("code").pluck("name");
    expect(res.text).not.toContain(`>${names[1]}<`);
    const keys = proposalKeys(res.text);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith("pv01/") || k.startsWith("pv03/"))).toBe(true);
    // Each bloc: its periods' completeness, its sheets reviewed, its ranking published.
    const row = $("tr[data-bloc=pv01]").text();
    expect(row).toMatch(/Sơ kết 6 tháng|6 tháng/);
    expect(row).toMatch(/\d+\/5 \(\d+%\)/);
    // published long before today, its objection window closed with nothing waiting: final
    expect(row).toContain("Kết quả chính thức");
    // The menu link for the observer.
    expect($("nav.site-nav a[href='/province']").text()).toBe("Toàn tỉnh");
    // Its unpublished year shows state only.
    const open = await observer.get(`/province/${OPTS.lastYear}`);
    expect(cheerio.load(open.text)("tr[data-bloc=pv01]").text()).toContain("Chưa công bố");
    expect(pageRows(open.text)).toEqual([]);
  });

  it("when others ask: a clerk or a secretariat gets 403, an anonymous visitor is sent to log in, and the admin sees every bloc", async () => {
    expect((await (await loginAs(app, "canbo.pv01-a01")).get(`/province/${PUBLISHED}`)).status).toBe(403);
    const sec = await loginAs(app, "thuongtruc.pv01");
    expect((await sec.get(`/province/${PUBLISHED}`)).status).toBe(403);
    expect((await sec.get(`/province/${PUBLISHED}/proposals.xlsx`)).status).toBe(403);
    expect(cheerio.load((await sec.get("/")).text)("nav.site-nav a[href='/province']").length).toBe(0);
    const { agent } = { agent: (await import("supertest")).default.agent(app) };
    expect((await agent.get(`/province/${PUBLISHED}`)).status).toBe(303);
    const all = cheerio.load((await admin.get(`/province/${PUBLISHED}`)).text);
    expect(all("table.province-blocs tbody tr").toArray().map((tr) => all(tr).attr("data-bloc"))).toEqual(["pv01", "pv02", "pv03"]);
  });

  it("when the observer, the admin and the observer again read one year's page in turn, then each sees its own blocs (the page is kept per reader's blocs)", async () => {
    const blocsOf = async (agent: Agent) => {
      const $ = cheerio.load((await agent.get(`/province/${PUBLISHED}`)).text);
      return { blocs: $("table.province-blocs tbody tr").toArray().map((tr) => $(tr).attr("data-bloc")), proposals: proposalKeys($.html()).map((k) => k.split("/")[0]) };
    };
    const first = await blocsOf(observer);
    const all = await blocsOf(admin);
    const again = await blocsOf(observer);
    expect(first.blocs).toEqual(["pv01", "pv03"]);
    expect(all.blocs).toEqual(["pv01", "pv02", "pv03"]);
    expect(all.proposals).toContain("pv02");
    expect(again).toEqual(first);
    expect(again.proposals).not.toContain("pv02");
  });

  it("when a bloc is renamed or a day passes after the page was read, then the next page shows it", async () => {
    const day = new Date("2025-03-10T09:00:00+07:00");
    const clock = { now: day };
    const own = createTestApp(db, { now: () => clock.now });
    const reader = await loginAs(own, "quansat.pv");
    const before = await reader.get(`/province/${OPTS.lastYear}`);
    const { name } = await db("blocs").where({ code: "pv03" }).first("name");
    await db("blocs").where({ code: "pv03" }).update({ name: `${name} (đổi tên)` });
    try {
      const renamed = await reader.get(`/province/${OPTS.lastYear}`);
      expect(before.text).not.toContain(`${name} (đổi tên)`);
      expect(renamed.text).toContain(`${name} (đổi tên)`);
    } finally {
      await db("blocs").where({ code: "pv03" }).update({ name });
    }
    // Overdue reports are counted by the day: none on the first day of the year, some once its periods are due.
    const overdue = async () => cheerio.load((await reader.get(`/province/${OPTS.lastYear}`)).text)("table.province-blocs").text().match(/quá hạn chưa gửi \d+/g) ?? [];
    clock.now = new Date(`${OPTS.lastYear}-01-02T09:00:00+07:00`);
    expect(await overdue()).toEqual([]);
    clock.now = day;
    expect((await overdue()).length).toBeGreaterThan(0);
  });

  it("when the consolidated list is compared with each bloc's published ranking, then it is exactly the union of their proposals", async () => {
    const page = await observer.get(`/province/${PUBLISHED}`);
    const expected: string[] = [];
    for (const bloc of ["pv01", "pv03"]) {
      const rows = (await observer.get(`/blocs/${bloc}/years/${PUBLISHED}/ranking.json`)).body as RankingExportRow[];
      for (const r of rows) if (r.proposal) expected.push(`${bloc}/${r.agency}/${r.proposal.startsWith("Cờ") ? "flag" : "merit"}`);
    }
    expect(expected.length).toBeGreaterThan(0);
    expect([...proposalKeys(page.text)].sort()).toEqual(expected.sort());
    // Totals, classification and votes as the bloc's ranking shows them.
    const rows = (await observer.get(`/blocs/pv01/years/${PUBLISHED}/ranking.json`)).body as RankingExportRow[];
    const first = pageRows(page.text).find((r) => rows.some((x) => x.name === r[2] && x.proposal === r[1]))!;
    const same = rows.find((x) => x.name === first[2])!;
    expect(first[6]).toBe(same.classification);
    expect(first[5]).toBe(same.total!.toFixed(2).replace(".", ","));
  });

  it("when filtered by award, then only that award's proposals show; an unknown award answers 422 with a message by the field", async () => {
    const all = pageRows((await observer.get(`/province/${PUBLISHED}`)).text);
    const flags = await observer.get(`/province/${PUBLISHED}?award=flag`);
    expect(flags.status).toBe(200);
    const rows = pageRows(flags.text);
    expect(rows.length).toBe(all.filter((r) => r[1] === "Cờ thi đua của UBND tỉnh").length);
    expect(rows.every((r) => r[1] === "Cờ thi đua của UBND tỉnh")).toBe(true);
    const bad = await observer.get(`/province/${PUBLISHED}?award=huan-chuong`);
    expect(bad.status).toBe(422);
    expect(cheerio.load(bad.text)("#award-error").text()).toContain("Chọn một hình thức khen thưởng");
  });

  it("when the proposals are exported as .xlsx and .docx, then their rows equal the page's, filter included", async () => {
    for (const query of ["", "?award=merit"]) {
      const page = pageRows((await observer.get(`/province/${PUBLISHED}${query}`)).text);
      const xlsx = await observer.get(`/province/${PUBLISHED}/proposals.xlsx${query}`).buffer(true).parse(binary);
      expect(xlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body as Parameters<typeof book.xlsx.load>[0]);
      const sheet = book.worksheets[0]!;
      const fromXlsx: string[][] = [];
      for (let r = 5; r <= sheet.rowCount; r++) {
        const v = (c: number) => sheet.getCell(r, c).value;
        const total = v(6);
        fromXlsx.push([String(v(1)), String(v(2)), String(v(3)), String(v(4)), v(5) === null ? "—" : String(v(5)), total === null ? "—" : Number(total).toFixed(2).replace(".", ","), String(v(7)), String(v(8))]);
      }
      expect(fromXlsx).toEqual(page);

      const docx = await observer.get(`/province/${PUBLISHED}/proposals.docx${query}`).buffer(true).parse(binary);
      expect(docx.status).toBe(200);
      const xml = await (await JSZip.loadAsync(docx.body as Buffer)).file("word/document.xml")!.async("string");
      const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((t) => t[0]).slice(1, -1); // header and signature tables aside
      const cells = (row: string) => [...row.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => [...c[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(""));
      const fromDocx = tables.flatMap((t) => [...t.matchAll(/<w:tr>[\s\S]*?<\/w:tr>|<w:tr [\s\S]*?<\/w:tr>/g)].slice(1).map((r) => cells(r[0])));
      // Word: STT, agency, bloc, rank, total, classification, votes (one table per award, numbered afresh).
      expect(fromDocx.map((r) => r.slice(1))).toEqual(page.map((r) => [r[2], r[3], r[4], r[5], r[6], r[7]]));
      expect(xml).toContain("Hội đồng Thi đua – Khen thưởng tỉnh");
    }
  });

  it("when the backfill migration rebuilds ranking_results from the stored snapshots, then it gives the rows the publication wrote", async () => {
    const before = await db("ranking_results").orderBy(["year_id", "agency_id"]);
    expect(before.length).toBeGreaterThan(0);
    await db("ranking_results").del();
    await backfill.up(db);
    expect(await db("ranking_results").orderBy(["year_id", "agency_id"])).toEqual(before);
    // And both come from the snapshot: the pure function over the stored state gives the same totals.
    const snap = await db("ranking_snapshots").where({ kind: "published" }).first("year_id", "payload");
    const rows = rankingResultRows({ ...(snap.payload as Omit<RankingState, "source" | "takenAt">), source: "published", takenAt: null });
    const stored = before.filter((r: { year_id: number }) => r.year_id === snap.year_id);
    expect(stored.map((r: { total: string | null }) => (r.total === null ? null : Number(r.total)))).toEqual(
      [...rows].sort((a, b) => a.agencyId - b.agencyId).map((r) => (r.total === null ? null : Math.round(r.total * 100) / 100)),
    );
  });

  it("when the secretariat opens an agency's history, then each published year shows its rank, total and classification as published, the self-scoring gap, and one bar per year", async () => {
    const sec = await loginAs(app, "thuongtruc.pv01");
    // An agency of pv01 whose sheet the bloc reviewed in both published years.
    const code: string = (
      await db("ranking_results as r").join("emulation_years as y", "y.id", "r.year_id").join("blocs as b", "b.id", "y.bloc_id")
        .where({ "b.code": "pv01", "r.sheet_status": "reviewed" }).groupBy("r.code").havingRaw("count(*) = 2").orderBy("r.code").first("r.code")
    ).code;
    const res = await sec.get(`/agencies/${code}/history`);
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($("tr[data-year]").toArray().map((tr) => $(tr).attr("data-year"))).toEqual(["2022", "2023"]);
    for (const year of [2022, 2023]) {
      const row = ((await sec.get(`/blocs/pv01/years/${year}/ranking.json`)).body as RankingExportRow[]).find((r) => r.agency === code)!;
      const cells = $(`tr[data-year=${year}] td`).toArray().map((td) => $(td).text().trim());
      expect(cells[1]).toBe(row.rank === null ? "Không xếp hạng" : `${row.rank}/${((await sec.get(`/blocs/pv01/years/${year}/ranking.json`)).body as RankingExportRow[]).filter((r) => r.rank !== null).length}`);
      expect(cells[2]).toBe(row.total === null ? "—" : row.total.toFixed(2).replace(".", ","));
      const stored = await db("ranking_results as r").join("emulation_years as y", "y.id", "r.year_id").join("blocs as b", "b.id", "y.bloc_id").where({ "b.code": "pv01", "y.year": year, "r.code": code }).first("r.self_total", "r.total");
      expect(cells[3]).toBe(Number(stored.self_total).toFixed(2).replace(".", ","));
      const gap = Math.round((Number(stored.self_total) - Number(stored.total)) * 100) / 100;
      expect(cells[4]).toBe(`${gap > 0 ? "+" : ""}${gap.toFixed(2).replace(".", ",")}`);
    }
    expect($("thead").text()).toContain("Điểm tự chấm");
    expect($("h2#gap-title").text()).toContain("Chênh lệch giữa điểm tự chấm và điểm Khối chấm");
    expect($("figure.dash-chart svg g.dash-bar").length).toBe(2);
    // The ranking page and the agency's page link here.
    expect((await sec.get("/blocs/pv01/years/2023/ranking")).text).toContain(`href="/agencies/${code}/history"`);
    expect((await sec.get(`/blocs/pv01/agencies/${code}`)).text).toContain(`href="/agencies/${code}/history"`);
  });

  it("when a clerk opens its own agency's history, then it sees its results without the gap; another agency's answers 404, as does a bloc not given to the observer", async () => {
    const clerk = await loginAs(app, "canbo.pv01-a01");
    const own = await clerk.get("/agencies/pv01-a01/history");
    expect(own.status).toBe(200);
    expect(cheerio.load(own.text)("tr[data-year]").length).toBe(2);
    expect(own.text).not.toContain("Điểm tự chấm");
    expect(own.text).not.toContain("gap-title");
    expect((await clerk.get("/agencies/pv01-a02/history")).status).toBe(404);
    expect((await observer.get("/agencies/pv02-a01/history")).status).toBe(404);
    expect((await observer.get("/blocs/pv02/history")).status).toBe(404);
    const seen = await observer.get("/agencies/pv01-a02/history");
    expect(seen.status).toBe(200);
    expect(seen.text).toContain("Điểm tự chấm");
  });

  it("when a year's sheet was not reviewed by the bloc, then its gap is not counted (its total is the agency's own points)", async () => {
    const row = await db("ranking_results as r").join("emulation_years as y", "y.id", "r.year_id").join("blocs as b", "b.id", "y.bloc_id")
      .whereIn("b.code", ["pv01", "pv03"]).whereNot("r.sheet_status", "reviewed").whereNotNull("r.total").orderBy("r.code").first("r.code", "y.year");
    expect(row).toBeDefined();
    const res = await observer.get(`/agencies/${row.code}/history`);
    const $ = cheerio.load(res.text);
    expect($(`tr[data-year=${row.year}] td`).eq(4).text().trim()).toBe("chưa thẩm định");
  });

  it("when an objection to a published ranking waits for its answer, then the province and the bloc's history say published, not final, until it is answered", async () => {
    const year = await db("emulation_years as y").join("blocs as b", "b.id", "y.bloc_id").where({ "b.code": "pv01", "y.year": PUBLISHED }).first("y.id", "y.ranking_published_at");
    const clerk = await db("users").where({ username: "canbo.pv01-a01" }).first("id", "agency_id");
    const [{ id }] = await db("objections")
      .insert({ year_id: year.id, agency_id: clerk.agency_id, subject_agency_id: clerk.agency_id, topic: "points", reasons: "Điểm mục 2.1 chưa tính đủ minh chứng đã gửi.", filed_by: clerk.id, filed_at: new Date(year.ranking_published_at.getTime() + 3600_000) })
      .returning("id");
    try {
      const stageOf = async (code: string) => cheerio.load((await observer.get(`/province/${PUBLISHED}`)).text)(`tr[data-bloc=${code}]`).text();
      expect(await stageOf("pv01")).toContain("Đã công bố");
      expect(await stageOf("pv01")).not.toContain("Kết quả chính thức");
      expect(await stageOf("pv03")).toContain("Kết quả chính thức");
      expect((await observer.get("/blocs/pv01/history")).text).toMatch(new RegExp(`Năm ${PUBLISHED}</a>: Đã công bố`));
      await db("objections").where({ id }).update({ status: "rejected", answer: "Minh chứng không thuộc kỳ đánh giá.", answered_at: new Date() });
      expect(await stageOf("pv01")).toContain("Kết quả chính thức");
    } finally {
      await db("objections").where({ id }).delete();
    }
  });

  it("when a bloc's history is opened, then every agency has its rank per published year, the unpublished year says so, and the chart has one bar per published year", async () => {
    const res = await observer.get("/blocs/pv01/history");
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($("table.bloc-history thead th").toArray().map((th) => $(th).text().trim())).toEqual(["Cơ quan, đơn vị", "2022", "2023", "2024", "Tự chấm so với Khối chấm"]);
    expect($("table.bloc-history tbody tr").length).toBe(OPTS.agencies);
    expect(res.text).toMatch(/Năm 2024<\/a>: Chưa công bố/);
    expect(res.text).toMatch(/Năm 2023<\/a>: Kết quả chính thức/);
    expect($("figure.dash-chart svg g.dash-bar").length).toBe(2);
    const rows = (await observer.get("/blocs/pv01/years/2023/ranking.json")).body as RankingExportRow[];
    const top = rows.find((r) => r.rank === 1)!;
    expect($(`tr[data-agency=${top.agency}] td`).eq(1).text()).toContain("Hạng 1");
    // A clerk of the bloc reads the published results, not the self-scoring gap.
    const clerk = await (await loginAs(app, "canbo.pv01-a01")).get("/blocs/pv01/history");
    expect(clerk.status).toBe(200);
    expect(clerk.text).not.toContain("Tự chấm so với Khối chấm");
  });

});

// Reopening changes pv03's published year for good: on a province of its own, so the tests above may run
// in any order.
describe("province: a ranking reopened", () => {
  let database: Database;
  let db: Knex;
  let observer: Agent;
  let admin: Agent;
  beforeAll(async () => {
    ({ database, db, observer, admin } = await openProvince());
  });
  afterAll(() => database.close());

  it("when the leader (here the admin) reopens a bloc's published ranking, then its proposals leave the province's list and the bloc shows its state only", async () => {
    const before = proposalKeys((await observer.get(`/province/${PUBLISHED}`)).text);
    expect(before.some((k) => k.startsWith("pv03/"))).toBe(true);
    const res = await postForm(admin, `/blocs/pv03/years/${PUBLISHED}/ranking`, `/blocs/pv03/years/${PUBLISHED}/ranking/reopen`, { reason: "Sửa điểm sau khiếu nại của đơn vị" });
    expect(res.status).toBe(303);
    const after = await observer.get(`/province/${PUBLISHED}`);
    expect(proposalKeys(after.text)).toEqual(before.filter((k) => !k.startsWith("pv03/")));
    expect(cheerio.load(after.text)("tr[data-bloc=pv03]").text()).toContain("Chưa công bố");
    const yearId = (await db("emulation_years as y").join("blocs as b", "b.id", "y.bloc_id").where({ "b.code": "pv03", "y.year": PUBLISHED }).first("y.id")).id;
    expect(Number((await db("ranking_results").where({ year_id: yearId }).count({ n: "*" }))[0]!.n)).toBe(0);
  });
});
