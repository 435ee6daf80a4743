import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import * as cheerio from "cheerio";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, postForm } from "./http.js";
import { seedDemo } from "../seeds/demo.js";
import type { Database } from "../src/db/database.js";

// Issue 18: the province's decisions on the proposals (months later, on the closed year), their
// revocation (never deleted), awards entered afterwards for past years, and the agency's history.
const NOW = new Date("2026-11-29T03:00:00Z");
const Y = "/blocs/noichinh-tq/years/2022";
const A = "/blocs/noichinh-tq/agencies";

interface Demo {
  database: Database;
  db: Knex;
  app: ReturnType<typeof createTestApp>;
}

/** The demo as seeded (2022 published and closed, with three proposals), on a database of its own. */
async function openDemo(): Promise<Demo> {
  const database = await createTestDatabase();
  await seedDemo(database.knex, { now: NOW });
  return { database, db: database.knex, app: createTestApp(database.knex, { now: () => NOW }) };
}

// The demo has three proposals (congan, bchqs, vks): the file's demo gives each to one test; the
// revocations (of bchqs's award, of congan's) happen on a second demo, so that no test finds a
// proposal another has decided or revoked.
let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;
let revocations: Demo;

beforeAll(async () => {
  ({ database, db, app } = await openDemo());
  revocations = await openDemo();
});
afterAll(async () => {
  await database.close();
  await revocations?.database.close();
});

const text = (html: string) => cheerio.load(html)("main").text().replace(/\s+/g, " ");
const proposalOf = async (code: string, on: Knex = db) => on("proposals as p").join("agencies as a", "a.id", "p.agency_id").where("a.code", code).first("p.*");
const decision = { outcome: "awarded", award: "flag", decisionNumber: "245/QĐ-UBND", decidedOn: "20/03/2023", authority: "Chủ tịch UBND tỉnh Tuyên Quang", note: "" };

/** The secretariat records that the province awarded `code`'s proposal. */
async function recordAward(on: Demo, code: string, fields: Record<string, string> = {}) {
  const sec = await loginAs(on.app, "thuongtruc");
  const p = await proposalOf(code, on.db);
  expect((await postForm(sec, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(p.id), ...decision, ...fields })).status).toBe(303);
  return on.db("awards").where({ proposal_id: p.id }).first();
}

describe("the province's decisions on the proposals", () => {
  it("the leader and the observer read the decisions page; a clerk may not", async () => {
    for (const who of ["lanhdao", "bantdkt"]) {
      const page = await (await loginAs(app, who)).get(`${Y}/decisions`);
      expect(page.status, who).toBe(200);
      expect(text(page.text)).toContain("Công an tỉnh Tuyên Quang — đề nghị Cờ thi đua của UBND tỉnh");
      expect(page.text).not.toContain("Ghi quyết định của tỉnh");
    }
    expect((await (await loginAs(app, "canbo.stp")).get(`${Y}/decisions`)).status).toBe(403);
    const leader = await loginAs(app, "lanhdao");
    const p = await proposalOf("congan");
    expect((await postForm(leader, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(p.id), ...decision })).status).toBe(403);
  });

  it("the secretariat records an award on the closed year: incomplete decisions are re-shown, a second decision is refused", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const p = await proposalOf("congan");
    const bad = await postForm(sec, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(p.id), ...decision, decisionNumber: "", decidedOn: "31/02/2023" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Vui lòng ghi số quyết định.");
    expect(bad.text).toContain("Ngày không hợp lệ");
    expect(cheerio.load(bad.text)(`#p${p.id}-authority`).attr("value")).toBe("Chủ tịch UBND tỉnh Tuyên Quang");
    const ok = await postForm(sec, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(p.id), ...decision });
    expect(ok.status).toBe(303);
    const row = await db("awards").where({ proposal_id: p.id }).first();
    expect(row).toMatchObject({ outcome: "awarded", award: "flag", decision_number: "245/QĐ-UBND", decided_on: "2023-03-20", authority: "Chủ tịch UBND tỉnh Tuyên Quang", year: 2022, revoked_at: null });
    expect((await proposalOf("congan")).status).toBe("awarded");
    expect(await db("audit_log").where({ action: "award.decide", entity_id: row.id }).first()).toBeDefined();
    const again = await postForm(sec, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(p.id), ...decision });
    expect(again.status).toBe(409);
    const page = text((await sec.get(`${Y}/decisions`)).text);
    expect(page).toContain("Được khen thưởng Cờ thi đua của UBND tỉnh — Quyết định số 245/QĐ-UBND ngày 20/03/2023 của Chủ tịch UBND tỉnh Tuyên Quang");
    // The closed year's banner says this page still takes decisions; elsewhere the year reads as read-only.
    expect(page).toContain("Trang này vẫn ghi được những việc đến sau kết quả xếp hạng");
    expect(page).not.toContain("Mọi dữ liệu của năm 2022 chỉ còn để xem.");
    expect(text((await sec.get(`${Y}/ranking`)).text)).toContain("Mọi dữ liệu của năm 2022 chỉ còn để xem.");
  });

  it("a proposal may be not awarded, or awarded differently from what was proposed", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const vks = await proposalOf("vks");
    expect((await postForm(sec, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(vks.id), outcome: "not_awarded", decisionNumber: "", decidedOn: "", authority: "", note: "Tỉnh hết chỉ tiêu Bằng khen năm 2022." })).status).toBe(303);
    expect(await db("awards").where({ proposal_id: vks.id }).first()).toMatchObject({ outcome: "not_awarded", award: null, note: "Tỉnh hết chỉ tiêu Bằng khen năm 2022." });
    const bchqs = await proposalOf("bchqs");
    expect((await postForm(sec, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(bchqs.id), ...decision, award: "other", awardTitle: "Bằng khen của Bộ Quốc phòng", authority: "Bộ trưởng Bộ Quốc phòng" })).status).toBe(303);
    const page = text((await sec.get(`${Y}/decisions`)).text);
    expect(page).toContain("Không được khen thưởng");
    expect(page).toContain("Bằng khen của Bộ Quốc phòng (khác với đề nghị)");
  });

  it("a revocation needs a reason, keeps the award marked revoked, and cannot be repeated", async () => {
    const { app, db } = revocations;
    const sec = await loginAs(app, "thuongtruc");
    const award = await recordAward(revocations, "bchqs", { award: "merit" });
    const short = await postForm(sec, `${Y}/decisions`, `${Y}/decisions/${award.id}/revoke`, { reason: "sai" });
    expect(short.status).toBe(422);
    expect(short.text).toContain("Vui lòng ghi lý do thu hồi (ít nhất 10 ký tự).");
    const ok = await postForm(sec, `${Y}/decisions`, `${Y}/decisions/${award.id}/revoke`, { reason: "Quyết định 512/QĐ-UBND ngày 01/08/2023 thu hồi do đơn vị có cán bộ vi phạm kỷ luật." });
    expect(ok.status).toBe(303);
    const after = await db("awards").where({ id: award.id }).first();
    expect(after.revoked_at).not.toBeNull();
    expect(after.revoked_reason).toContain("512/QĐ-UBND");
    expect(await proposalOf("bchqs", db)).toMatchObject({ status: "revoked", revoked_reason: after.revoked_reason });
    expect(await db("audit_log").where({ action: "award.revoke", entity_id: award.id }).first()).toBeDefined();
    expect((await postForm(sec, `${Y}/decisions`, `${Y}/decisions/${award.id}/revoke`, { reason: "Thu hồi lần thứ hai, không hợp lệ." })).status).toBe(409);
    expect(text((await sec.get(`${Y}/decisions`)).text)).toContain("Đã thu hồi");
  });

  // It reopens the year, which the other tests find closed: on a demo of its own.
  describe("on a demo of its own", () => {
    let own: Demo;
    beforeAll(async () => {
      own = await openDemo();
    });
    afterAll(() => own?.database.close());

    it("once the province has decided, the ranking is not reopened", async () => {
      await recordAward(own, "congan");
      const admin = await loginAs(own.app, "quantri");
      expect((await postForm(admin, `${Y}/setup`, `${Y}/reopen`, { reason: "Kiểm tra lại số liệu năm 2022" })).status).toBe(303);
      const res = await postForm(admin, `${Y}/ranking`, `${Y}/ranking/reopen`, { reason: "Chấm lại toàn bộ kết quả năm 2022." });
      expect(res.status).toBe(409);
      expect(res.text).toContain("Tỉnh đã có quyết định khen thưởng theo kết quả này");
      expect((await own.db("emulation_years").where({ year: 2022 }).first()).ranking_published_at).not.toBeNull();
    });
  });
});

describe("awards entered afterwards and the agency's history", () => {
  it("the secretariat enters a past year's award for a member agency; bad input is re-shown", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const bad = await postForm(sec, `${A}/stp`, `${A}/stp/awards`, { year: "2019", award: "flag", decisionNumber: "88/QĐ-UBND", decidedOn: "", authority: "Chủ tịch UBND tỉnh Tuyên Quang" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Vui lòng ghi ngày quyết định");
    expect(cheerio.load(bad.text)("#awardYear").attr("value")).toBe("2019");
    const ok = await postForm(sec, `${A}/stp`, `${A}/stp/awards`, { year: "2019", award: "flag", decisionNumber: "88/QĐ-UBND", decidedOn: "15/02/2020", authority: "Chủ tịch UBND tỉnh Tuyên Quang" });
    expect(ok.status).toBe(303);
    const row = await db("awards as w").join("agencies as a", "a.id", "w.agency_id").where({ "a.code": "stp", "w.year": 2019 }).first("w.*");
    expect(row).toMatchObject({ backfilled: true, proposal_id: null, outcome: "awarded", award: "flag", decided_on: "2020-02-15" });
    expect(await db("audit_log").where({ action: "award.backfill", entity_id: row.id }).first()).toBeDefined();
  });

  it("the leader cannot enter awards; the observer reads the history without the forms", async () => {
    // Its own back-filled award, on toaan (the test above enters stp's).
    const sec = await loginAs(app, "thuongtruc");
    expect((await postForm(sec, `${A}/toaan`, `${A}/toaan/awards`, { year: "2019", award: "flag", decisionNumber: "88/QĐ-UBND", decidedOn: "15/02/2020", authority: "Chủ tịch UBND tỉnh Tuyên Quang" })).status).toBe(303);
    const leader = await loginAs(app, "lanhdao");
    expect((await postForm(leader, `${A}/toaan`, `${A}/toaan/awards`, { year: "2018", award: "merit", decisionNumber: "1/QĐ", decidedOn: "01/01/2019", authority: "UBND tỉnh" })).status).toBe(403);
    const page = await (await loginAs(app, "bantdkt")).get(`${A}/toaan`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain("Lịch sử thi đua, khen thưởng");
    expect(text(page.text)).toContain("Quyết định số 88/QĐ-UBND ngày 15/02/2020 của Chủ tịch UBND tỉnh Tuyên Quang; ghi bổ sung");
    expect(page.text).not.toContain("Ghi bổ sung khen thưởng đã có quyết định");
  });

  it("the agency's page shows every year's rank, total, classification and awards, revoked ones marked", async () => {
    // On the second demo: congan's 2022 award recorded and revoked, a back-filled award for stp.
    const { app, db } = revocations;
    const sec = await loginAs(app, "thuongtruc");
    const congan = await recordAward(revocations, "congan");
    expect((await postForm(sec, `${Y}/decisions`, `${Y}/decisions/${congan.id}/revoke`, { reason: "Quyết định 512/QĐ-UBND ngày 01/08/2023 thu hồi do đơn vị có cán bộ vi phạm kỷ luật." })).status).toBe(303);
    expect((await postForm(sec, `${A}/stp`, `${A}/stp/awards`, { year: "2019", award: "flag", decisionNumber: "88/QĐ-UBND", decidedOn: "15/02/2020", authority: "Chủ tịch UBND tỉnh Tuyên Quang" })).status).toBe(303);
    const $ = cheerio.load((await sec.get(`${A}/congan`)).text);
    const row2022 = $(".award-history tbody tr").filter((_i, el) => $(el).find("td").first().text().trim() === "2022");
    const cells = row2022.find("td").map((_i, el) => $(el).text().replace(/\s+/g, " ").trim()).get();
    expect(cells[2]).toBe("1");
    expect(cells[4]).toBe("Hoàn thành xuất sắc nhiệm vụ");
    expect(cells[5]).toContain("Đã thu hồi");
    expect(cells[5]).toContain("Lý do thu hồi: Quyết định 512/QĐ-UBND");
    // A back-filled award is revoked from the agency's page with its reason.
    const stp = await db("awards as w").join("agencies as a", "a.id", "w.agency_id").where({ "a.code": "stp", "w.year": 2019 }).first("w.id");
    expect((await postForm(sec, `${A}/stp`, `${A}/stp/awards/${stp.id}/revoke`, { reason: "Nhập nhầm năm, quyết định là của năm 2018." })).status).toBe(303);
    expect(text((await sec.get(`${A}/stp`)).text)).toContain("Lý do thu hồi: Nhập nhầm năm");
    expect(await db("awards").where({ id: stp.id }).first()).toBeDefined();
  });

  it("the proposal letter names the proposed agencies' earlier awards, leaving revoked ones out", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const award = { award: "flag", decisionNumber: "12/QĐ-UBND", decidedOn: "10/02/2021", authority: "Chủ tịch UBND tỉnh Tuyên Quang" };
    expect((await postForm(sec, `${A}/congan`, `${A}/congan/awards`, { year: "2020", ...award })).status).toBe(303);
    expect((await postForm(sec, `${A}/bchqs`, `${A}/bchqs/awards`, { year: "2021", ...award, award: "merit", decisionNumber: "30/QĐ-UBND" })).status).toBe(303);
    const bchqs = await db("awards").where({ decision_number: "30/QĐ-UBND" }).first("id");
    expect((await postForm(sec, `${A}/bchqs`, `${A}/bchqs/awards/${bchqs.id}/revoke`, { reason: "Quyết định bị hủy do nhầm đối tượng." })).status).toBe(303);
    const letter = text((await sec.get(`${Y}/ranking/proposal-letter`)).text);
    expect(letter).toContain("Thành tích khen thưởng những năm trước của các đơn vị được đề nghị");
    expect(letter).toContain("- Công an tỉnh Tuyên Quang: Cờ thi đua của UBND tỉnh năm 2020 (Quyết định số 12/QĐ-UBND ngày 10/02/2021 của Chủ tịch UBND tỉnh Tuyên Quang).");
    expect(letter).not.toContain("30/QĐ-UBND");
  });
});
