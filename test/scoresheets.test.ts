import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, postForm } from "./http.js";
import { addMemberAgency, addReport, addSheet, newYear, sendEverythingOnTime, sheetValues, type TestAgency, type TestYear } from "./factories.js";
import { addDays } from "../src/lib/dates.js";
import type { Database } from "../src/db/database.js";

const NOW = new Date("2022-12-14T10:00:00+07:00");

/** Points as the pages write them: 91 → "91,00". */
const vnPoints = (n: number) => n.toFixed(2).replace(".", ",");
/** A date as the pages write it: 2022-12-14 → 14/12/2022. */
const vnDate = (iso: string) => iso.split("-").reverse().join("/");

describe("score sheets", () => {
  let database: Database;
  let db: Knex;
  let app: ReturnType<typeof createTestApp>;
  let ids: Record<string, number>;
  /** The file's 2022 (from the template, 100 points of standard items). */
  let y: TestYear;
  let head: TestAgency;
  /** Everything sent on time; its sheet reviewed, sent on REVIEWED_ON with REVIEWED_11 for item 1.1. */
  let deputy: TestAgency;
  /** A draft: 1.1 at 35 of 40, 1.2 at 7 of 10; and one report sent late (the automatic deduction). */
  let drafter: TestAgency;
  /** Its sheet sent, every item at its maximum but 1.2 at 9. */
  let sender: TestAgency;
  /** The maximum of the standard items (what a sheet at every maximum scores). */
  let standardMax: number;
  const REVIEWED_ON = "2022-12-14";
  const REVIEWED_11 = "37";

  const sheetUrl = (agency: string) => `${y.Y}/sheets/${agency}`;
  /** A complete clerk form: every item at its maximum, no bonus, no deductions. */
  const fullForm = (overrides: Record<string, string> = {}) => sheetValues(db, y, overrides);
  async function entryOf(db: Knex, agency: string, criterionId: number) {
    return db("score_entries as e")
      .join("score_sheets as s", "s.id", "e.sheet_id")
      .join("agencies as a", "a.id", "s.agency_id")
      .where({ "a.code": agency, "e.criterion_id": criterionId })
      .first("e.self_points", "e.bloc_points", "e.bloc_reason", "e.self_count", "s.status");
  }
  const sheetStatus = async (db: Knex, agency: string) =>
    (await db("score_sheets as s").join("agencies as a", "a.id", "s.agency_id").where("a.code", agency).first("s.status"))?.status;
  let members = 0;
  /** A member of the year of the test's own, with its clerk: no sheet of it exists yet. */
  const newMember = async (): Promise<TestAgency> => {
    const n = ++members;
    const name = `Cơ quan mới ${n} tỉnh Tuyên Quang`;
    return { ...(await addMemberAgency(db, { bloc: y.bloc, code: `moi${n}`, name, year: y.year, by: y.secretariat })), shortName: name };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.knex;
    app = createTestApp(db, { now: () => NOW });
    y = await newYear(db, { year: 2022, agencies: 4 });
    ids = y.criteria;
    [head, deputy, drafter, sender] = y.agencies as [TestAgency, TestAgency, TestAgency, TestAgency];
    standardMax = Number((await db("criteria").where({ year_id: y.yearId, kind: "standard" }).whereNotNull("parent_id").sum("max_points as n").first())!.n);
    await addReport(db, y, { agency: drafter, period: 1, status: "submitted", on: addDays(y.periods[0]!.dueOn, 3) });
    await addSheet(db, y, { agency: drafter, status: "draft", self: { "1.1": "35", "1.2": "7" } });
    await addSheet(db, y, { agency: sender, status: "submitted", on: "2022-12-13", self: { "1.2": "9" } });
    await sendEverythingOnTime(db, y, deputy);
    await addSheet(db, y, { agency: deputy, status: "reviewed", on: REVIEWED_ON, self: { "1.1": REVIEWED_11 } });
  });
  afterAll(() => database.close());

  it("when a clerk opens their draft sheet, then every criterion, the server totals and the automatic late-report count show, with no bloc inputs", async () => {
    const clerk = await loginAs(app, drafter.clerk);
    const res = await clerk.get(sheetUrl(drafter.code));
    expect(res.status).toBe(200);
    expect(res.text).toContain(drafter.name);
    expect(res.text).toContain("Hoàn thành các chỉ tiêu, nhiệm vụ trọng tâm năm được giao");
    expect(res.text).toContain(`name="p_${ids["1.1"]}" value="35"`);
    expect(res.text).not.toContain(`name="p_${ids["6.1"]}"`); // automatic: read-only
    expect(res.text).toContain("1 lần"); // its 6-month report sent 3 days late
    expect(res.text).toContain(vnPoints(standardMax - (40 - 35) - (10 - 7) - 1)); // 1.1 and 1.2 short of their maximum, 1 point per late report
    expect(res.text).toContain("Lưu nháp");
    expect(res.text).toContain("Gửi bảng điểm");
    expect(res.text).not.toMatch(/name="b_\d+"/);
    expect(res.text).toContain('src="/js/score-sheet.js"');
  });

  it("when a clerk opens the sheets list or /sheets, then they are sent to their own sheet", async () => {
    const clerk = await loginAs(app, drafter.clerk);
    const list = await clerk.get(`${y.Y}/sheets`);
    expect(list.status).toBe(303);
    expect(list.headers.location).toBe(sheetUrl(drafter.code));
    const menu = await clerk.get("/sheets");
    expect(menu.status).toBe(303);
    expect(menu.headers.location).toBe(`${y.Y}/sheets`);
  });

  it.each([
    ["41", "Điểm không được vượt quá điểm tối đa 40,00."],
    ["-1", "Điểm không được nhỏ hơn 0."],
    ["abc", "Điểm phải là một số, tối đa hai chữ số thập phân (ví dụ 7,5)."],
    ["7,555", "Điểm phải là một số, tối đa hai chữ số thập phân (ví dụ 7,5)."],
  ])("when a clerk types %s for item 1.1, then 422 with the message beside it, typed values kept, nothing saved", async (typed, message) => {
    const clerk = await loginAs(app, drafter.clerk);
    const res = await postForm(clerk, sheetUrl(drafter.code), sheetUrl(drafter.code), {
      action: "save",
      ...(await fullForm({ "1.1": typed, "1.2": "9,5" })),
      [`e_${ids["1.2"]}`]: "Minh chứng đã gõ",
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<p class="field-error" id="p_${ids["1.1"]}-error">${message}</p>`);
    expect(res.text).toMatch(new RegExp(`name="p_${ids["1.1"]}" value="${typed.replace("-", "\\-")}"`));
    expect(res.text).toContain(`name="p_${ids["1.2"]}" value="9,5"`);
    expect(res.text).toContain("Minh chứng đã gõ");
    const entry = await entryOf(db, drafter.code, ids["1.2"]!);
    expect(Number(entry.self_points)).toBe(7); // unchanged
  });

  it("when a clerk submits with an item left empty, then 422 asks for it and the sheet stays a draft", async () => {
    const clerk = await loginAs(app, drafter.clerk);
    const body = await fullForm();
    body[`p_${ids["2.1"]}`] = "";
    const res = await postForm(clerk, sheetUrl(drafter.code), sheetUrl(drafter.code), { action: "submit", ...body });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Vui lòng nhập điểm tự chấm (nhập 0 nếu không đạt).");
    expect(await sheetStatus(db, drafter.code)).toBe("draft");
  });

  it("when a clerk of another agency asks for a foreign sheet, then 404 on GET and on POST", async () => {
    const other = await loginAs(app, deputy.clerk);
    expect((await other.get(sheetUrl(drafter.code))).status).toBe(404);
    const res = await postForm(other, "/", sheetUrl(drafter.code), { action: "submit", ...(await fullForm()) });
    expect(res.status).toBe(404);
    const review = await postForm(other, "/", sheetUrl(sender.code), { action: "reviewed" });
    expect(review.status).toBe(404);
    expect(await sheetStatus(db, drafter.code)).toBe("draft");
  });

  it("when a POST comes without the CSRF token, then 403", async () => {
    const clerk = await loginAs(app, drafter.clerk);
    const res = await clerk.post(sheetUrl(drafter.code)).type("form").send({ action: "save" });
    expect(res.status).toBe(403);
  });

  it("when anonymous, then the sheet sends to the login page", async () => {
    const res = await request(app).get(sheetUrl(drafter.code));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
  });

  it("when a clerk opens their submitted sheet, then it is read-only, with no review form, and a POST is refused", async () => {
    const clerk = await loginAs(app, sender.clerk);
    const res = await clerk.get(sheetUrl(sender.code));
    expect(res.status).toBe(200);
    expect(res.text).toContain("Đã gửi, chờ thẩm định");
    expect(res.text).not.toMatch(/name="[pb]_\d+"/);
    expect(res.text).not.toContain("Đã thẩm định</button>");
    const post = await postForm(clerk, sheetUrl(sender.code), sheetUrl(sender.code), { action: "save", ...(await fullForm()) });
    expect(post.status).toBe(409);
  });

  it("when the leader opens a submitted sheet, then it is read-only, and a POST by the leader is 403", async () => {
    const leader = await loginAs(app, y.leader);
    const res = await leader.get(sheetUrl(sender.code));
    expect(res.status).toBe(200);
    expect(res.text).toContain("Điểm Khối chấm");
    expect(res.text).not.toContain(`action="${sheetUrl(sender.code)}"`);
    const post = await postForm(leader, sheetUrl(sender.code), sheetUrl(sender.code), { action: "reviewed" });
    expect(post.status).toBe(403);
    expect(await sheetStatus(db, sender.code)).toBe("submitted");
  });

  it("when the secretariat gives a bloc point that differs without a reason, then 422 beside the reason, nothing saved", async () => {
    const sec = await loginAs(app, y.secretariat);
    const page = await sec.get(sheetUrl(sender.code));
    expect(page.status).toBe(200);
    expect(page.text).toMatch(new RegExp(`name="b_${ids["1.1"]}"`));
    const res = await postForm(sec, sheetUrl(sender.code), sheetUrl(sender.code), {
      action: "reviewed",
      [`b_${ids["1.1"]}`]: "35",
      [`r_${ids["1.1"]}`]: "",
      [`b_${ids["1.2"]}`]: "9", // equal to the agency's own: no reason needed
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<p class="field-error" id="r_${ids["1.1"]}-error">Điểm Khối chấm khác điểm tự chấm: vui lòng ghi lý do.</p>`);
    expect(res.text).toContain(`name="b_${ids["1.1"]}" value="35"`);
    const entry = await entryOf(db, sender.code, ids["1.1"]!);
    expect(entry.bloc_points).toBeNull();
    expect(entry.status).toBe("submitted");
  });

  it("when the secretariat sets the disciplinary flag without a reason or bloc points over the max, then 422", async () => {
    const sec = await loginAs(app, y.secretariat);
    const res = await postForm(sec, sheetUrl(sender.code), sheetUrl(sender.code), {
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
    const sec = await loginAs(app, y.secretariat);
    const res = await sec.get(sheetUrl(head.code));
    expect(res.text).toContain("Bảng điểm của đơn vị Trưởng khối do đơn vị Phó Trưởng khối thẩm định");
  });

  it("when the secretariat opens the sheets list, then every agency shows with its status and totals", async () => {
    const sec = await loginAs(app, y.secretariat);
    // A returned sheet to list: a new member's, sent then returned here (sender's stays submitted for the tests above).
    const returning = await newMember();
    await addSheet(db, y, { agency: returning, status: "submitted", on: "2022-12-12" });
    expect((await postForm(sec, sheetUrl(returning.code), sheetUrl(returning.code), { action: "return", return_comment: "Bổ sung minh chứng mục 2.1." })).status).toBe(303);
    const res = await sec.get(`${y.Y}/sheets`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(deputy.name);
    expect(res.text).toContain("Đã thẩm định"); // deputy's
    expect(res.text).toContain("Bị trả lại");
    expect(res.text).toContain(vnPoints(standardMax - (40 - Number(REVIEWED_11)))); // deputy's total
    expect(res.text).toContain(vnDate(REVIEWED_ON)); // the day deputy sent it
  });

  // They change a draft and a submitted sheet, which the tests above read as built: on members of their own.
  describe("a draft saved, a sheet returned", () => {
    it("when a clerk saves a draft with \"7,5\", then it is stored as 7.5 and the server totals follow", async () => {
      const member = await newMember();
      await addReport(db, y, { agency: member, period: 1, status: "submitted", on: addDays(y.periods[0]!.dueOn, 2) }); // one late report
      await addSheet(db, y, { agency: member, status: "draft", self: { "1.1": "35" } });
      const clerk = await loginAs(app, member.clerk);
      const res = await postForm(clerk, sheetUrl(member.code), sheetUrl(member.code), { action: "save", ...(await fullForm({ "1.2": "7,5" })) });
      expect(res.status).toBe(303);
      expect(Number((await entryOf(db, member.code, ids["1.2"]!)).self_points)).toBe(7.5);
      const page = await clerk.get(sheetUrl(member.code));
      expect(page.text).toContain("Đã lưu bản nháp bảng điểm.");
      expect(page.text).toContain(vnPoints(standardMax - (10 - 7.5) - 1)); // every other item at its maximum (the form sent them), 1 late report
      expect(await sheetStatus(db, member.code)).toBe("draft");
    });

    it("when the secretariat returns a sheet with a comment, then the clerk can edit it again and sees the comment", async () => {
      const member = await newMember();
      const sheetId = await addSheet(db, y, { agency: member, status: "submitted", on: "2022-12-13" });
      const sec = await loginAs(app, y.secretariat);
      const missing = await postForm(sec, sheetUrl(member.code), sheetUrl(member.code), { action: "return" });
      expect(missing.status).toBe(422);
      expect(missing.text).toContain("Vui lòng ghi ý kiến khi trả lại bảng điểm.");
      const res = await postForm(sec, sheetUrl(member.code), sheetUrl(member.code), { action: "return", return_comment: "Bổ sung minh chứng mục 1.1." });
      expect(res.status).toBe(303);
      expect(await sheetStatus(db, member.code)).toBe("returned");
      const clerk = await loginAs(app, member.clerk);
      const page = await clerk.get(sheetUrl(member.code));
      expect(page.text).toContain("Bổ sung minh chứng mục 1.1.");
      expect(page.text).toMatch(new RegExp(`name="p_${ids["1.1"]}"`));
      const audit = await db("audit_log").where({ action: "score_sheet.return", entity_id: String(sheetId) }).first();
      expect(audit.username).toBe(y.secretariat);
    });
  });
});
