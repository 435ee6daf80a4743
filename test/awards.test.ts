import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import * as cheerio from "cheerio";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, postForm } from "./http.js";
import { AWARDS_PLAN, addAccount, addRankedMembers, closeYear, newYear, publishRanking, type RankedMember, type TestYear } from "./factories.js";
import type { Database } from "../src/db/database.js";

// Issue 18: the province's decisions on the proposals (months later, on the closed year), their
// revocation (never deleted), awards entered afterwards for past years, and the agency's history.
const NOW = new Date("2026-11-29T03:00:00Z");

// The members of a closed 2022: `AWARDS_PLAN` (the flag to the best, certificates to the next two, the
// last two proposed for nothing).
const PLAN = AWARDS_PLAN;

interface ClosedYear {
  y: TestYear;
  Y: string;
  /** The bloc's agencies pages. */
  A: string;
  /** Proposed for the flag; for the certificate (two); proposed for nothing (two). */
  flag: RankedMember;
  merit: [RankedMember, RankedMember];
  others: [RankedMember, RankedMember];
  observer: string;
}

let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;

/** A 2022 of its own as the demo's ends: ranked, published by the leader with its three proposals, closed. */
async function closedYear(): Promise<ClosedYear> {
  const y = await newYear(db, { year: 2022, agencies: PLAN.length });
  const ranked = await addRankedMembers(db, y, PLAN.map((p, i) => ({ agency: y.agencies[i]!, ...p })), { heldOn: "2023-01-10", place: "Hội trường Khối", validBallots: 7 });
  await publishRanking(db, y, "2023-01-16");
  await closeYear(db, y, "2023-01-30");
  const observer = `bantdkt.${y.bloc}`;
  await addAccount(db, { username: observer, role: "observer", blocs: [y.bloc] });
  const [flag, merit1, merit2, other1, other2] = ranked as [RankedMember, RankedMember, RankedMember, RankedMember, RankedMember];
  return { y, Y: y.Y, A: `${y.B}/agencies`, flag, merit: [merit1, merit2], others: [other1, other2], observer };
}

// The file's closed year gives each of its three proposals to one test; the revocations (of a
// certificate, of the flag) happen on a second year, so that no test finds a proposal another has
// decided or revoked.
let year: ClosedYear;
let revocations: ClosedYear;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  app = createTestApp(db, { now: () => NOW });
  year = await closedYear();
  revocations = await closedYear();
});
afterAll(() => database.close());

const text = (html: string) => cheerio.load(html)("main").text().replace(/\s+/g, " ");
const proposalOf = async (agency: RankedMember) => db("proposals").where({ agency_id: agency.id }).first();
const decision = { outcome: "awarded", award: "flag", decisionNumber: "245/QĐ-UBND", decidedOn: "20/03/2023", authority: "Chủ tịch UBND tỉnh Tuyên Quang", note: "" };
const backfilled = (agency: RankedMember, year: number) => db("awards").where({ agency_id: agency.id, year }).first();

/** The secretariat records that the province awarded `agency`'s proposal. */
async function recordAward(on: ClosedYear, agency: RankedMember, fields: Record<string, string> = {}) {
  const sec = await loginAs(app, on.y.secretariat);
  const p = await proposalOf(agency);
  expect((await postForm(sec, `${on.Y}/decisions`, `${on.Y}/decisions`, { proposalId: String(p.id), ...decision, ...fields })).status).toBe(303);
  return db("awards").where({ proposal_id: p.id }).first();
}

describe("the province's decisions on the proposals", () => {
  it("the leader and the observer read the decisions page; a clerk may not", async () => {
    const { y, Y, flag, others, observer } = year;
    for (const who of [y.leader, observer]) {
      const page = await (await loginAs(app, who)).get(`${Y}/decisions`);
      expect(page.status, who).toBe(200);
      expect(text(page.text)).toContain(`${flag.name} — đề nghị Cờ thi đua của UBND tỉnh`);
      expect(page.text).not.toContain("Ghi quyết định của tỉnh");
    }
    expect((await (await loginAs(app, others[1].clerk)).get(`${Y}/decisions`)).status).toBe(403);
    const leader = await loginAs(app, y.leader);
    const p = await proposalOf(flag);
    expect((await postForm(leader, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(p.id), ...decision })).status).toBe(403);
  });

  it("the secretariat records an award on the closed year: incomplete decisions are re-shown, a second decision is refused", async () => {
    const { y, Y, flag } = year;
    const sec = await loginAs(app, y.secretariat);
    const p = await proposalOf(flag);
    const bad = await postForm(sec, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(p.id), ...decision, decisionNumber: "", decidedOn: "31/02/2023" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Vui lòng ghi số quyết định.");
    expect(bad.text).toContain("Ngày không hợp lệ");
    expect(cheerio.load(bad.text)(`#p${p.id}-authority`).attr("value")).toBe("Chủ tịch UBND tỉnh Tuyên Quang");
    const ok = await postForm(sec, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(p.id), ...decision });
    expect(ok.status).toBe(303);
    const row = await db("awards").where({ proposal_id: p.id }).first();
    expect(row).toMatchObject({ outcome: "awarded", award: "flag", decision_number: "245/QĐ-UBND", decided_on: "2023-03-20", authority: "Chủ tịch UBND tỉnh Tuyên Quang", year: 2022, revoked_at: null });
    expect((await proposalOf(flag)).status).toBe("awarded");
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
    const { y, Y, merit } = year;
    const sec = await loginAs(app, y.secretariat);
    const second = await proposalOf(merit[1]);
    expect((await postForm(sec, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(second.id), outcome: "not_awarded", decisionNumber: "", decidedOn: "", authority: "", note: "Tỉnh hết chỉ tiêu Bằng khen năm 2022." })).status).toBe(303);
    expect(await db("awards").where({ proposal_id: second.id }).first()).toMatchObject({ outcome: "not_awarded", award: null, note: "Tỉnh hết chỉ tiêu Bằng khen năm 2022." });
    const first = await proposalOf(merit[0]);
    expect((await postForm(sec, `${Y}/decisions`, `${Y}/decisions`, { proposalId: String(first.id), ...decision, award: "other", awardTitle: "Bằng khen của Bộ Quốc phòng", authority: "Bộ trưởng Bộ Quốc phòng" })).status).toBe(303);
    const page = text((await sec.get(`${Y}/decisions`)).text);
    expect(page).toContain("Không được khen thưởng");
    expect(page).toContain("Bằng khen của Bộ Quốc phòng (khác với đề nghị)");
  });

  it("a revocation needs a reason, keeps the award marked revoked, and cannot be repeated", async () => {
    const { y, Y, merit } = revocations;
    const sec = await loginAs(app, y.secretariat);
    const award = await recordAward(revocations, merit[0], { award: "merit" });
    const short = await postForm(sec, `${Y}/decisions`, `${Y}/decisions/${award.id}/revoke`, { reason: "sai" });
    expect(short.status).toBe(422);
    expect(short.text).toContain("Vui lòng ghi lý do thu hồi (ít nhất 10 ký tự).");
    const ok = await postForm(sec, `${Y}/decisions`, `${Y}/decisions/${award.id}/revoke`, { reason: "Quyết định 512/QĐ-UBND ngày 01/08/2023 thu hồi do đơn vị có cán bộ vi phạm kỷ luật." });
    expect(ok.status).toBe(303);
    const after = await db("awards").where({ id: award.id }).first();
    expect(after.revoked_at).not.toBeNull();
    expect(after.revoked_reason).toContain("512/QĐ-UBND");
    expect(await proposalOf(merit[0])).toMatchObject({ status: "revoked", revoked_reason: after.revoked_reason });
    expect(await db("audit_log").where({ action: "award.revoke", entity_id: award.id }).first()).toBeDefined();
    expect((await postForm(sec, `${Y}/decisions`, `${Y}/decisions/${award.id}/revoke`, { reason: "Thu hồi lần thứ hai, không hợp lệ." })).status).toBe(409);
    expect(text((await sec.get(`${Y}/decisions`)).text)).toContain("Đã thu hồi");
  });

  // It reopens the year, which the other tests find closed: on a year of its own.
  describe("on a year of its own", () => {
    let own: ClosedYear;
    beforeAll(async () => {
      own = await closedYear();
    });

    it("once the province has decided, the ranking is not reopened", async () => {
      const { Y, flag, y } = own;
      await recordAward(own, flag);
      // The installation's administrator (the one who created the blocs): only it reopens a closed year.
      const { username } = await db("users").where({ role: "admin" }).first("username");
      const admin = await loginAs(app, username);
      expect((await postForm(admin, `${Y}/setup`, `${Y}/reopen`, { reason: "Kiểm tra lại số liệu năm 2022" })).status).toBe(303);
      const res = await postForm(admin, `${Y}/ranking`, `${Y}/ranking/reopen`, { reason: "Chấm lại toàn bộ kết quả năm 2022." });
      expect(res.status).toBe(409);
      expect(res.text).toContain("Tỉnh đã có quyết định khen thưởng theo kết quả này");
      expect((await db("emulation_years").where({ id: y.yearId }).first()).ranking_published_at).not.toBeNull();
    });
  });
});

describe("awards entered afterwards and the agency's history", () => {
  it("the secretariat enters a past year's award for a member agency; bad input is re-shown", async () => {
    const { y, A, others } = year;
    const agency = others[1];
    const sec = await loginAs(app, y.secretariat);
    const bad = await postForm(sec, `${A}/${agency.code}`, `${A}/${agency.code}/awards`, { year: "2019", award: "flag", decisionNumber: "88/QĐ-UBND", decidedOn: "", authority: "Chủ tịch UBND tỉnh Tuyên Quang" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Vui lòng ghi ngày quyết định");
    expect(cheerio.load(bad.text)("#awardYear").attr("value")).toBe("2019");
    const ok = await postForm(sec, `${A}/${agency.code}`, `${A}/${agency.code}/awards`, { year: "2019", award: "flag", decisionNumber: "88/QĐ-UBND", decidedOn: "15/02/2020", authority: "Chủ tịch UBND tỉnh Tuyên Quang" });
    expect(ok.status).toBe(303);
    const row = await backfilled(agency, 2019);
    expect(row).toMatchObject({ backfilled: true, proposal_id: null, outcome: "awarded", award: "flag", decided_on: "2020-02-15" });
    expect(await db("audit_log").where({ action: "award.backfill", entity_id: row.id }).first()).toBeDefined();
  });

  it("the leader cannot enter awards; the observer reads the history without the forms", async () => {
    // Its own back-filled award, on another member (the test above enters the last one's).
    const { y, A, others, observer } = year;
    const agency = others[0];
    const sec = await loginAs(app, y.secretariat);
    expect((await postForm(sec, `${A}/${agency.code}`, `${A}/${agency.code}/awards`, { year: "2019", award: "flag", decisionNumber: "88/QĐ-UBND", decidedOn: "15/02/2020", authority: "Chủ tịch UBND tỉnh Tuyên Quang" })).status).toBe(303);
    const leader = await loginAs(app, y.leader);
    expect((await postForm(leader, `${A}/${agency.code}`, `${A}/${agency.code}/awards`, { year: "2018", award: "merit", decisionNumber: "1/QĐ", decidedOn: "01/01/2019", authority: "UBND tỉnh" })).status).toBe(403);
    const page = await (await loginAs(app, observer)).get(`${A}/${agency.code}`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain("Lịch sử thi đua, khen thưởng");
    expect(text(page.text)).toContain("Quyết định số 88/QĐ-UBND ngày 15/02/2020 của Chủ tịch UBND tỉnh Tuyên Quang; ghi bổ sung");
    expect(page.text).not.toContain("Ghi bổ sung khen thưởng đã có quyết định");
  });

  it("the agency's page shows every year's rank, total, classification and awards, revoked ones marked", async () => {
    // On the second year: the flag's 2022 award recorded and revoked, a back-filled award for the last member.
    const { y, Y, A, flag, others } = revocations;
    const last = others[1];
    const sec = await loginAs(app, y.secretariat);
    const flagAward = await recordAward(revocations, flag);
    expect((await postForm(sec, `${Y}/decisions`, `${Y}/decisions/${flagAward.id}/revoke`, { reason: "Quyết định 512/QĐ-UBND ngày 01/08/2023 thu hồi do đơn vị có cán bộ vi phạm kỷ luật." })).status).toBe(303);
    expect((await postForm(sec, `${A}/${last.code}`, `${A}/${last.code}/awards`, { year: "2019", award: "flag", decisionNumber: "88/QĐ-UBND", decidedOn: "15/02/2020", authority: "Chủ tịch UBND tỉnh Tuyên Quang" })).status).toBe(303);
    const $ = cheerio.load((await sec.get(`${A}/${flag.code}`)).text);
    const row2022 = $(".award-history tbody tr").filter((_i, el) => $(el).find("td").first().text().trim() === "2022");
    const cells = row2022.find("td").map((_i, el) => $(el).text().replace(/\s+/g, " ").trim()).get();
    expect(cells[2]).toBe("1");
    // Its total is over the template's threshold for "excellent" (95).
    expect(flag.total).toBeGreaterThanOrEqual(95);
    expect(cells[4]).toBe("Hoàn thành xuất sắc nhiệm vụ");
    expect(cells[5]).toContain("Đã thu hồi");
    expect(cells[5]).toContain("Lý do thu hồi: Quyết định 512/QĐ-UBND");
    // A back-filled award is revoked from the agency's page with its reason.
    const award = await backfilled(last, 2019);
    expect((await postForm(sec, `${A}/${last.code}`, `${A}/${last.code}/awards/${award.id}/revoke`, { reason: "Nhập nhầm năm, quyết định là của năm 2018." })).status).toBe(303);
    expect(text((await sec.get(`${A}/${last.code}`)).text)).toContain("Lý do thu hồi: Nhập nhầm năm");
    expect(await db("awards").where({ id: award.id }).first()).toBeDefined();
  });

  it("the proposal letter names the proposed agencies' earlier awards, leaving revoked ones out", async () => {
    const { y, Y, A, flag, merit } = year;
    const sec = await loginAs(app, y.secretariat);
    const award = { award: "flag", decisionNumber: "12/QĐ-UBND", decidedOn: "10/02/2021", authority: "Chủ tịch UBND tỉnh Tuyên Quang" };
    expect((await postForm(sec, `${A}/${flag.code}`, `${A}/${flag.code}/awards`, { year: "2020", ...award })).status).toBe(303);
    expect((await postForm(sec, `${A}/${merit[0].code}`, `${A}/${merit[0].code}/awards`, { year: "2021", ...award, award: "merit", decisionNumber: "30/QĐ-UBND" })).status).toBe(303);
    const revoked = await backfilled(merit[0], 2021);
    expect((await postForm(sec, `${A}/${merit[0].code}`, `${A}/${merit[0].code}/awards/${revoked.id}/revoke`, { reason: "Quyết định bị hủy do nhầm đối tượng." })).status).toBe(303);
    const letter = text((await sec.get(`${Y}/ranking/proposal-letter`)).text);
    expect(letter).toContain("Thành tích khen thưởng những năm trước của các đơn vị được đề nghị");
    expect(letter).toContain(`- ${flag.name}: Cờ thi đua của UBND tỉnh năm 2020 (Quyết định số 12/QĐ-UBND ngày 10/02/2021 của Chủ tịch UBND tỉnh Tuyên Quang).`);
    expect(letter).not.toContain("30/QĐ-UBND");
  });
});
