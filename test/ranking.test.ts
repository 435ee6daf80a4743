import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, postForm } from "./http.js";
import { rankingCommand } from "../src/ranking/ranking-command.js";
import type { Database } from "../src/db/database.js";

const BASE = "/blocs/noichinh-tq/years/2022";
const NOW = new Date("2022-12-14T10:00:00+07:00");

const NAMES = {
  congan: "Công an tỉnh Tuyên Quang",
  bchqs: "Bộ Chỉ huy Quân sự tỉnh Tuyên Quang",
  vks: "Viện kiểm sát nhân dân tỉnh Tuyên Quang",
  toaan: "Tòa án nhân dân tỉnh Tuyên Quang",
  stp: "Sở Tư pháp tỉnh Tuyên Quang",
  thanhtra: "Thanh tra tỉnh Tuyên Quang",
  thads: "Cục Thi hành án dân sự tỉnh Tuyên Quang",
};

/** Asserts that the strings appear in `text` in this order. */
function expectInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect(at, `"${part}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + part.length;
  }
}

/** The text of the ranked table and of the unranked table. */
function tables(html: string) {
  const ranked = html.slice(html.indexOf('class="data ranking"'), html.indexOf("</table>", html.indexOf('class="data ranking"')));
  const unranked = html.slice(html.indexOf('class="data unranked"'), html.indexOf("</table>", html.indexOf('class="data unranked"')));
  return { ranked, unranked };
}

async function criterionIds(db: Knex): Promise<Record<string, number>> {
  const rows: { id: number; code: string }[] = await db("criteria").select("id", "code");
  return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

/** thads's self points as its clerk types them (98,5 on the standard items, 3 bonus), as form fields. */
function thadsSelfPoints(ids: Record<string, number>): Record<string, string> {
  const values: Record<string, string> = {
    "1.1": "38,5", "1.2": "10", "1.3": "10", "2.1": "5", "2.2": "5", "2.3": "5", "3.1": "5", "3.2": "3", "3.3": "3", "3.4": "4",
    "4.1": "3", "4.2": "4", "4.3": "3", "5.1": "3", "5.2": "0", "6.2": "0", "6.3": "0",
  };
  return Object.fromEntries(Object.entries(values).map(([code, v]) => [`p_${ids[code]}`, v]));
}

/**
 * The demo with 2022 unpublished, on a database of its own, for the tests of the `describe` it is
 * called in; `setUp` runs once it is open.
 */
function useDemo(setUp?: (demo: { db: Knex; app: ReturnType<typeof createTestApp> }) => Promise<void>) {
  const demo = {} as { database: Database; db: Knex; app: ReturnType<typeof createTestApp> };
  beforeAll(async () => {
    demo.database = await createTestDatabase("demo-2022-open");
    demo.db = demo.database.knex;
    demo.app = createTestApp(demo.db, { now: () => NOW });
    await setUp?.(demo);
  });
  afterAll(() => demo.database?.close());
  return demo;
}

const THADS_SHEET = `${BASE}/sheets/thads`;

/** thads's clerk sends its sheet (1.1 at 38,5, with its evidence); the signed-in clerk is returned. */
async function submitThads(app: ReturnType<typeof createTestApp>, ids: Record<string, number>) {
  const clerk = await loginAs(app, "canbo.thads");
  const submitted = await postForm(clerk, THADS_SHEET, THADS_SHEET, { action: "submit", ...thadsSelfPoints(ids), [`e_${ids["1.1"]}`]: "Báo cáo tổng kết 2022" });
  expect(submitted.status).toBe(303);
  return clerk;
}

/** The secretariat marks thads's sent sheet reviewed with 38 on 1.1 and a reason. */
async function markThadsReviewed(app: ReturnType<typeof createTestApp>, ids: Record<string, number>) {
  const sec = await loginAs(app, "thuongtruc");
  const reviewed = await postForm(sec, THADS_SHEET, THADS_SHEET, {
    action: "reviewed",
    [`b_${ids["1.1"]}`]: "38",
    [`r_${ids["1.1"]}`]: "Chỉ tiêu thi hành xong về tiền chưa đạt kế hoạch giao.",
  });
  expect(reviewed.status).toBe(303);
  return sec;
}

/** thads's clerk sends its sheet and the secretariat marks it reviewed (the two steps above). */
async function reviewThads(db: Knex, app: ReturnType<typeof createTestApp>) {
  const ids = await criterionIds(db);
  await submitThads(app, ids);
  await markThadsReviewed(app, ids);
}

describe("ranking", () => {
  // Read-only (or refused) on the demo as seeded: the tests that change the ranking, record votes or
  // publish have demos of their own.
  describe("on the demo as seeded", () => {
    const demo = useDemo();

    it("when the secretariat opens the demo ranking, then the reviewed agencies are ranked in order, the others after with their reason, and the rules in force show", async () => {
      const { app } = demo;
      const sec = await loginAs(app, "thuongtruc");
      const res = await sec.get(`${BASE}/ranking`);
      expect(res.status).toBe(200);
      const { ranked, unranked } = tables(res.text);
      expectInOrder(ranked, [NAMES.congan, "97,00", NAMES.bchqs, "95,00", NAMES.vks, "93,00", NAMES.toaan, "89,00", NAMES.stp, "83,00"]); // stp's 6-month report never sent counts as late (−1)
      expect(ranked).not.toContain(NAMES.thads);
      expect(ranked).not.toContain(NAMES.thanhtra);
      expectInOrder(unranked, [NAMES.thads, "Bảng chấm điểm chưa được gửi", NAMES.thanhtra, "Bảng chấm điểm chưa được Khối thẩm định"]);
      expectInOrder(ranked, [NAMES.congan, "6/7", "Cờ thi đua của UBND tỉnh", NAMES.bchqs, "Bằng khen của Chủ tịch UBND tỉnh", NAMES.vks, "Bằng khen"]);
      expect(res.text).toContain("từ 95,00 điểm: Hoàn thành xuất sắc nhiệm vụ");
      expect(res.text).toContain("điểm thưởng tính tối đa 5,00 điểm");
      expect(res.text).toContain("Cờ thi đua của UBND tỉnh: tối đa 1 đơn vị");
      expect(res.text).toContain("đạt từ 2/3 số phiếu hợp lệ");
      expect(res.text).toContain("đạt trên 1/2 số phiếu hợp lệ");
    });

    it("when ranking.json and the CLI's json are asked for, then the rows have the contract's shape, ranked first", async () => {
      const { db, app } = demo;
      const sec = await loginAs(app, "thuongtruc");
      const res = await sec.get(`${BASE}/ranking.json`);
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/application\/json/);
      const rows = res.body as Record<string, unknown>[];
      expect(rows.map((r) => r.agency)).toEqual(["congan", "bchqs", "vks", "toaan", "stp", "thads", "thanhtra"]);
      expect(rows[0]).toEqual({
        rank: 1, agency: "congan", name: NAMES.congan, total: 97, provisional: false, classification: "Hoàn thành xuất sắc nhiệm vụ",
        proposal: "Cờ thi đua của UBND tỉnh", reason: null,
      });
      expect(rows[5]).toEqual({
        rank: null, agency: "thads", name: NAMES.thads, total: 91, provisional: true, classification: null, proposal: null, reason: "Bảng chấm điểm chưa được gửi",
      });
      for (const row of rows) expect(Object.keys(row).sort()).toEqual(["agency", "classification", "name", "proposal", "provisional", "rank", "reason", "total"]);
      expect(JSON.parse(await rankingCommand(db, ["noichinh-tq", "2022", "--format", "json"]))).toEqual(rows);
    });

    it("when the CLI prints csv or a table, then the header and rows come in rank order; an unknown bloc or year is one clear error", async () => {
      const { db, app } = demo;
      const printed = await rankingCommand(db, ["noichinh-tq", "2022", "--format", "csv"]);
      const csv = printed.replace(/^\uFEFF/, "").split("\r\n");
      expect(printed.startsWith("\uFEFF")).toBe(true);
      expect(csv[0]).toBe("Hạng;Mã;Cơ quan, đơn vị;Tổng điểm;Xếp loại;Đề nghị khen thưởng;Lý do (không xếp hạng / không đề nghị)");
      expect(csv[1]).toBe(`1;congan;${NAMES.congan};97,00;Hoàn thành xuất sắc nhiệm vụ;Cờ thi đua của UBND tỉnh;`);
      expect(csv).toHaveLength(9); // header, 7 agencies, the final line end
      // One read path: the CLI prints the web's ranking.csv byte for byte.
      const web = await (await loginAs(app, "thuongtruc")).get(`${BASE}/ranking.csv`).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => cb(null, Buffer.concat(chunks)));
      });
      expect(web.status).toBe(200);
      expect((web.body as Buffer).toString("utf8")).toBe(printed);
      const table = await rankingCommand(db, ["noichinh-tq", "2022"]);
      expectInOrder(table, ["Hạng", "congan", "97,00", "bchqs", "stp", "thads", "thanhtra"]);
      await expect(rankingCommand(db, ["khong-co", "2022"])).rejects.toThrow('Không có khối thi đua mã "khong-co".');
      await expect(rankingCommand(db, ["noichinh-tq", "2030"])).rejects.toThrow("Khối \"noichinh-tq\" không có năm thi đua 2030.");
      await expect(rankingCommand(db, ["noichinh-tq", "2022", "--format", "xml"])).rejects.toThrow(/Định dạng không hỗ trợ/);
    });

    it("when a clerk asks for the unpublished ranking, then the page says it is not yet published and its data stays 404; the leader and the observer read it", async () => {
      const { app } = demo;
      const clerk = await loginAs(app, "canbo.congan");
      const waiting = await clerk.get(`${BASE}/ranking`);
      expect(waiting.text).toContain("Kết quả xếp hạng chưa được công bố.");
      expect(waiting.text).not.toContain("Điểm tạm tính");
      expect((await clerk.get(`${BASE}/ranking.json`)).status).toBe(404);
      for (const username of ["lanhdao", "bantdkt"]) {
        const agent = await loginAs(app, username);
        expect((await agent.get(`${BASE}/ranking`)).status).toBe(200);
      }
      const menu = await (await loginAs(app, "lanhdao")).get("/ranking");
      expect(menu.status).toBe(303);
      expect(menu.headers.location).toBe(`${BASE}/ranking`);
    });

    it("when the leader opens the ballots, then they read them, and a POST is 403", async () => {
      const { app } = demo;
      const leader = await loginAs(app, "lanhdao");
      const page = await leader.get(`${BASE}/ballots`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('name="valid_ballots"');
      const res = await postForm(leader, `${BASE}/ballots`, `${BASE}/ballots`, { held_on: "10/01/2023", place: "x", valid_ballots: "7" });
      expect(res.status).toBe(403);
    });
  });

  // thads's sheet sent and reviewed: on a demo of its own.
  describe("a sheet reviewed", () => {
    const demo = useDemo();

    it("when the clerk of thads submits and the secretariat adjusts one item with a reason and marks it reviewed, then the ranking and the CLI show thads ranked first", async () => {
      const { db, app } = demo;
      const ids = await criterionIds(db);
      const clerk = await submitThads(app, ids);
      const readOnly = await clerk.get(THADS_SHEET);
      expect(readOnly.text).toContain("Đã gửi, chờ thẩm định");
      expect(readOnly.text).toContain("100,50"); // 98,5 + 3 − 1 late registration
      expect(readOnly.text).not.toMatch(/name="p_\d+"/);

      const sec = await markThadsReviewed(app, ids);
      const sheet = await db("score_sheets as s").join("agencies as a", "a.id", "s.agency_id").where("a.code", "thads").first("s.*");
      expect(sheet.status).toBe("reviewed");
      expect(sheet.reviewed_at).not.toBeNull();
      expect(sheet.reviewed_by).not.toBeNull();
      const review = await sec.get(THADS_SHEET);
      expect(review.text).toContain("Chỉ tiêu thi hành xong về tiền chưa đạt kế hoạch giao.");
      expect(review.text).toContain("-0,50"); // the difference on item 1.1
      expect(review.text).toContain("98,00"); // 98 + 3 − 1 late registration − 2 reports never sent (6-month, annual)

      const page = await sec.get(`${BASE}/ranking`);
      const { ranked, unranked } = tables(page.text);
      expectInOrder(ranked, [NAMES.thads, "98,00", NAMES.congan, "97,00", NAMES.bchqs, NAMES.vks, NAMES.toaan, NAMES.stp]);
      expect(ranked).toContain("Chưa có kết quả bỏ phiếu");
      expect(unranked).not.toContain(NAMES.thads);
      expect(unranked).toContain(NAMES.thanhtra);

      const cli = JSON.parse(await rankingCommand(db, ["noichinh-tq", "2022", "--format", "json"])) as { agency: string; rank: number | null; total: number }[];
      expect(cli.map((r) => r.agency)).toEqual(["thads", "congan", "bchqs", "vks", "toaan", "stp", "thanhtra"]);
      expect(cli[0]).toMatchObject({ rank: 1, total: 98 });
      expect(await db("audit_log").where({ action: "score_sheet.reviewed" }).count({ n: "*" }).first()).toEqual({ n: 1 });
    });
  });

  // The ballot after thads's sheet is reviewed (thads ranked first): on a demo of its own.
  describe("the ballot", () => {
    const demo = useDemo(({ db, app }) => reviewThads(db, app));
    const VOTES = { thads: "6", congan: "4", bchqs: "5", vks: "5", toaan: "4", stp: "3" };
    /** The secretariat records the ballot of 10/01/2023 with `VOTES`. */
    async function recordVotes(db: Knex, sec: Awaited<ReturnType<typeof loginAs>>) {
      const agencies: { id: number; code: string }[] = await db("agencies").select("id", "code");
      const v = (code: string) => `v_${agencies.find((a) => a.code === code)!.id}`;
      return postForm(sec, `${BASE}/ballots`, `${BASE}/ballots`, {
        held_on: "10/01/2023", place: "Hội trường Bộ CHQS tỉnh", valid_ballots: "7",
        ...Object.fromEntries(Object.entries(VOTES).map(([code, n]) => [v(code), n])),
      });
    }

    it("when the secretariat records the votes, then the proposals on the ranking page change", async () => {
      const { db, app } = demo;
      const sec = await loginAs(app, "thuongtruc");
      const form = await sec.get(`${BASE}/ballots`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('value="10/01/2023"');
      const res = await recordVotes(db, sec);
      expect(res.status).toBe(303);
      const { ranked } = tables((await sec.get(`${BASE}/ranking`)).text);
      expectInOrder(ranked, [NAMES.thads, "6/7", "Cờ thi đua của UBND tỉnh", NAMES.congan, "4/7", "Bằng khen", NAMES.bchqs, "5/7", "Bằng khen", NAMES.vks, "Đã đủ số lượng"]);
    });

    it("when the votes for an agency exceed the valid ballots or the date is wrong, then 422 beside the field and nothing changes", async () => {
      const { db, app } = demo;
      const sec = await loginAs(app, "thuongtruc");
      expect((await recordVotes(db, sec)).status).toBe(303); // thads: 6 of 7
      const agencies: { id: number; code: string }[] = await db("agencies").select("id", "code");
      const thads = agencies.find((a) => a.code === "thads")!.id;
      const res = await postForm(sec, `${BASE}/ballots`, `${BASE}/ballots`, {
        held_on: "32/01/2023", place: "Hội trường", valid_ballots: "7", [`v_${thads}`]: "8",
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain(`<p class="field-error" id="v_${thads}-error">Số phiếu đồng ý không được lớn hơn số phiếu hợp lệ (7).</p>`);
      expect(res.text).toContain('<p class="field-error" id="held_on-error">Ngày không hợp lệ (nhập dạng dd/mm/yyyy).</p>');
      expect(res.text).toContain(`name="v_${thads}" type="text" inputmode="numeric" value="8"`);
      expect((await db("votes").where({ agency_id: thads }).first()).votes_for).toBe(6);
    });
  });

  // Published: on a demo of its own.
  describe("published", () => {
    const demo = useDemo();

    it("when the ranking is published, then a clerk of the bloc sees it", async () => {
      const { db, app } = demo;
      await db("emulation_years").update({ ranking_published_at: NOW });
      const clerk = await loginAs(app, "canbo.congan");
      const res = await clerk.get(`${BASE}/ranking`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(NAMES.thads);
    });
  });
});
