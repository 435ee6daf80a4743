import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, postForm } from "./http.js";
import type { Database } from "../src/db/database.js";

const BASE = "/blocs/noichinh-tq/years/2022";
const sheetUrl = (agency: string) => `${BASE}/sheets/${agency}`;
const NOW = new Date("2022-12-14T10:00:00+07:00");

/** Criterion id by code ("1.1" → 2). */
async function criterionIds(db: Knex): Promise<Record<string, number>> {
  const rows: { id: number; code: string }[] = await db("criteria").select("id", "code");
  return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

/** A complete clerk form: every item at its maximum, no bonus, no deductions. */
function fullForm(ids: Record<string, number>, overrides: Record<string, string> = {}): Record<string, string> {
  const max: Record<string, string> = {
    "1.1": "40", "1.2": "10", "1.3": "10", "2.1": "5", "2.2": "5", "2.3": "5", "3.1": "5", "3.2": "3", "3.3": "3", "3.4": "4",
    "4.1": "3", "4.2": "4", "4.3": "3", "5.1": "0", "5.2": "0", "6.2": "0", "6.3": "0",
  };
  const body: Record<string, string> = {};
  for (const [code, value] of Object.entries({ ...max, ...overrides })) body[`p_${ids[code]}`] = value;
  return body;
}

async function entryOf(db: Knex, agency: string, criterionId: number) {
  return db("score_entries as e")
    .join("score_sheets as s", "s.id", "e.sheet_id")
    .join("agencies as a", "a.id", "s.agency_id")
    .where({ "a.code": agency, "e.criterion_id": criterionId })
    .first("e.self_points", "e.bloc_points", "e.bloc_reason", "e.self_count", "s.status");
}

const sheetStatus = async (db: Knex, agency: string) =>
  (await db("score_sheets as s").join("agencies as a", "a.id", "s.agency_id").where("a.code", agency).first("s.status"))?.status;

describe("score sheets", () => {
  let database: Database;
  let db: Knex;
  let app: ReturnType<typeof createTestApp>;
  let ids: Record<string, number>;

  beforeAll(async () => {
    database = await createTestDatabase("demo-2022-open");
    db = database.knex;
    app = createTestApp(db, { now: () => NOW });
    ids = await criterionIds(db);
  });
  afterAll(() => database.close());

  it("when a clerk opens their draft sheet, then every criterion, the server totals and the automatic late-report count show, with no bloc inputs", async () => {
    const clerk = await loginAs(app, "canbo.thads");
    const res = await clerk.get(sheetUrl("thads"));
    expect(res.status).toBe(200);
    expect(res.text).toContain("Cục Thi hành án dân sự tỉnh Tuyên Quang");
    expect(res.text).toContain("Hoàn thành các chỉ tiêu, nhiệm vụ trọng tâm năm được giao");
    expect(res.text).toContain(`name="p_${ids["1.1"]}" value="35"`);
    expect(res.text).not.toContain(`name="p_${ids["6.1"]}"`); // automatic: read-only
    expect(res.text).toContain("1 lần"); // registration sent late (04/03 > 28/02)
    expect(res.text).toContain("91,00"); // 92 − 1
    expect(res.text).toContain("Lưu nháp");
    expect(res.text).toContain("Gửi bảng điểm");
    expect(res.text).not.toMatch(/name="b_\d+"/);
    expect(res.text).toContain('src="/js/score-sheet.js"');
  });

  it("when a clerk opens the sheets list or /sheets, then they are sent to their own sheet", async () => {
    const clerk = await loginAs(app, "canbo.thads");
    const list = await clerk.get(`${BASE}/sheets`);
    expect(list.status).toBe(303);
    expect(list.headers.location).toBe(sheetUrl("thads"));
    const menu = await clerk.get("/sheets");
    expect(menu.status).toBe(303);
    expect(menu.headers.location).toBe(`${BASE}/sheets`);
  });

  it.each([
    ["41", "Điểm không được vượt quá điểm tối đa 40,00."],
    ["-1", "Điểm không được nhỏ hơn 0."],
    ["abc", "Điểm phải là một số, tối đa hai chữ số thập phân (ví dụ 7,5)."],
    ["7,555", "Điểm phải là một số, tối đa hai chữ số thập phân (ví dụ 7,5)."],
  ])("when a clerk types %s for item 1.1, then 422 with the message beside it, typed values kept, nothing saved", async (typed, message) => {
    const clerk = await loginAs(app, "canbo.thads");
    const res = await postForm(clerk, sheetUrl("thads"), sheetUrl("thads"), {
      action: "save",
      ...fullForm(ids, { "1.1": typed, "1.2": "9,5" }),
      [`e_${ids["1.2"]}`]: "Minh chứng đã gõ",
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<p class="field-error" id="p_${ids["1.1"]}-error">${message}</p>`);
    expect(res.text).toMatch(new RegExp(`name="p_${ids["1.1"]}" value="${typed.replace("-", "\\-")}"`));
    expect(res.text).toContain(`name="p_${ids["1.2"]}" value="9,5"`);
    expect(res.text).toContain("Minh chứng đã gõ");
    const entry = await entryOf(db, "thads", ids["1.2"]!);
    expect(Number(entry.self_points)).toBe(7); // unchanged
  });

  it("when a clerk submits with an item left empty, then 422 asks for it and the sheet stays a draft", async () => {
    const clerk = await loginAs(app, "canbo.thads");
    const body = fullForm(ids);
    body[`p_${ids["2.1"]}`] = "";
    const res = await postForm(clerk, sheetUrl("thads"), sheetUrl("thads"), { action: "submit", ...body });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Vui lòng nhập điểm tự chấm (nhập 0 nếu không đạt).");
    expect(await sheetStatus(db, "thads")).toBe("draft");
  });

  it("when a clerk of another agency asks for a foreign sheet, then 404 on GET and on POST", async () => {
    const other = await loginAs(app, "canbo.congan");
    expect((await other.get(sheetUrl("thads"))).status).toBe(404);
    const res = await postForm(other, "/", sheetUrl("thads"), { action: "submit", ...fullForm(ids) });
    expect(res.status).toBe(404);
    const review = await postForm(other, "/", sheetUrl("thanhtra"), { action: "reviewed" });
    expect(review.status).toBe(404);
    expect(await sheetStatus(db, "thads")).toBe("draft");
  });

  it("when a POST comes without the CSRF token, then 403", async () => {
    const clerk = await loginAs(app, "canbo.thads");
    const res = await clerk.post(sheetUrl("thads")).type("form").send({ action: "save" });
    expect(res.status).toBe(403);
  });

  it("when anonymous, then the sheet sends to the login page", async () => {
    const res = await request(app).get(sheetUrl("thads"));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
  });

  it("when a clerk opens their submitted sheet, then it is read-only, with no review form, and a POST is refused", async () => {
    const clerk = await loginAs(app, "canbo.thanhtra");
    const res = await clerk.get(sheetUrl("thanhtra"));
    expect(res.status).toBe(200);
    expect(res.text).toContain("Đã gửi, chờ thẩm định");
    expect(res.text).not.toMatch(/name="[pb]_\d+"/);
    expect(res.text).not.toContain("Đã thẩm định</button>");
    const post = await postForm(clerk, sheetUrl("thanhtra"), sheetUrl("thanhtra"), { action: "save", ...fullForm(ids) });
    expect(post.status).toBe(409);
  });

  it("when the leader opens a submitted sheet, then it is read-only, and a POST by the leader is 403", async () => {
    const leader = await loginAs(app, "lanhdao");
    const res = await leader.get(sheetUrl("thanhtra"));
    expect(res.status).toBe(200);
    expect(res.text).toContain("Điểm Khối chấm");
    expect(res.text).not.toContain(`action="${sheetUrl("thanhtra")}"`);
    const post = await postForm(leader, sheetUrl("thanhtra"), sheetUrl("thanhtra"), { action: "reviewed" });
    expect(post.status).toBe(403);
    expect(await sheetStatus(db, "thanhtra")).toBe("submitted");
  });

  it("when the secretariat gives a bloc point that differs without a reason, then 422 beside the reason, nothing saved", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const page = await sec.get(sheetUrl("thanhtra"));
    expect(page.status).toBe(200);
    expect(page.text).toMatch(new RegExp(`name="b_${ids["1.1"]}"`));
    const res = await postForm(sec, sheetUrl("thanhtra"), sheetUrl("thanhtra"), {
      action: "reviewed",
      [`b_${ids["1.1"]}`]: "35",
      [`r_${ids["1.1"]}`]: "",
      [`b_${ids["1.2"]}`]: "9", // equal to the agency's own: no reason needed
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<p class="field-error" id="r_${ids["1.1"]}-error">Điểm Khối chấm khác điểm tự chấm: vui lòng ghi lý do.</p>`);
    expect(res.text).toContain(`name="b_${ids["1.1"]}" value="35"`);
    const entry = await entryOf(db, "thanhtra", ids["1.1"]!);
    expect(entry.bloc_points).toBeNull();
    expect(entry.status).toBe("submitted");
  });

  it("when the secretariat sets the disciplinary flag without a reason or bloc points over the max, then 422", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const res = await postForm(sec, sheetUrl("thanhtra"), sheetUrl("thanhtra"), {
      action: "save",
      discipline_flag: "1",
      discipline_reason: "",
      [`b_${ids["1.3"]}`]: "11",
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Vui lòng ghi lý do vi phạm kỷ luật.");
    expect(res.text).toContain("Điểm không được vượt quá điểm tối đa 10,00.");
  });

  it("when the head agency's sheet is opened, then the conflict-of-interest notice shows", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const res = await sec.get(sheetUrl("bchqs"));
    expect(res.text).toContain("Bảng điểm của đơn vị Trưởng khối do đơn vị Phó Trưởng khối thẩm định");
  });

  it("when the secretariat opens the sheets list, then every agency shows with its status and totals", async () => {
    const sec = await loginAs(app, "thuongtruc");
    // A returned sheet to list: toaan's (thanhtra's stays submitted for the tests above).
    expect((await postForm(sec, sheetUrl("toaan"), sheetUrl("toaan"), { action: "return", return_comment: "Bổ sung minh chứng mục 2.1." })).status).toBe(303);
    const res = await sec.get(`${BASE}/sheets`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Công an tỉnh Tuyên Quang");
    expect(res.text).toContain("Đã thẩm định");
    expect(res.text).toContain("Bị trả lại");
    expect(res.text).toContain("97,00");
    expect(res.text).toContain("14/12/2022");
  });

  // They change thads's draft and thanhtra's submitted sheet, which the tests above read as seeded:
  // on a demo of their own.
  describe("a draft saved, a sheet returned", () => {
    let own: Database;
    let db: Knex;
    let app: ReturnType<typeof createTestApp>;
    beforeAll(async () => {
      own = await createTestDatabase("demo-2022-open");
      db = own.knex;
      app = createTestApp(db, { now: () => NOW });
    });
    afterAll(() => own?.close());

    it("when a clerk saves a draft with \"7,5\", then it is stored as 7.5 and the server totals follow", async () => {
      const clerk = await loginAs(app, "canbo.thads");
      const res = await postForm(clerk, sheetUrl("thads"), sheetUrl("thads"), { action: "save", ...fullForm(ids, { "1.2": "7,5" }) });
      expect(res.status).toBe(303);
      expect(Number((await entryOf(db, "thads", ids["1.2"]!)).self_points)).toBe(7.5);
      const page = await clerk.get(sheetUrl("thads"));
      expect(page.text).toContain("Đã lưu bản nháp bảng điểm.");
      expect(page.text).toContain("96,50"); // 97,5 − 1 late registration
      expect(await sheetStatus(db, "thads")).toBe("draft");
    });

    it("when the secretariat returns a sheet with a comment, then the clerk can edit it again and sees the comment", async () => {
      const sec = await loginAs(app, "thuongtruc");
      const missing = await postForm(sec, sheetUrl("thanhtra"), sheetUrl("thanhtra"), { action: "return" });
      expect(missing.status).toBe(422);
      expect(missing.text).toContain("Vui lòng ghi ý kiến khi trả lại bảng điểm.");
      const res = await postForm(sec, sheetUrl("thanhtra"), sheetUrl("thanhtra"), { action: "return", return_comment: "Bổ sung minh chứng mục 1.1." });
      expect(res.status).toBe(303);
      expect(await sheetStatus(db, "thanhtra")).toBe("returned");
      const clerk = await loginAs(app, "canbo.thanhtra");
      const page = await clerk.get(sheetUrl("thanhtra"));
      expect(page.text).toContain("Bổ sung minh chứng mục 1.1.");
      expect(page.text).toMatch(new RegExp(`name="p_${ids["1.1"]}"`));
      const audit = await db("audit_log").where({ action: "score_sheet.return" }).first();
      expect(audit.username).toBe("thuongtruc");
    });
  });
});
