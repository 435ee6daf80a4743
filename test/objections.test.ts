import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as cheerio from "cheerio";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, postForm, type Agent } from "./http.js";
import type { Database } from "../src/db/database.js";
import { addAccount, addRankedMembers, newYear, type TestAgency, type TestYear } from "./factories.js";

// Issue 18: objections (kiến nghị) after publication, the window of the year's rules (5 days by
// default), the secretariat's answers, and the ranking's standing (provisional / final).
const PDF = Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

/**
 * A 2022 at its review meeting (10/01/2023), its ranking unpublished: five members ranked by item 1.1's
 * shortfall on their reviewed sheets, the meeting's votes out of 7. `congan` (the deputy, whose
 * secretariat account is the deputy's reviewer) is best and proposed for the flag; `stp` and `vks`
 * are members who object.
 */
interface ObjectionYear {
  y: TestYear;
  Y: string;
  congan: TestAgency;
  vks: TestAgency;
  stp: TestAgency;
  observer: string;
}

async function objectionYear(db: Knex): Promise<ObjectionYear> {
  const y = await newYear(db, { year: 2022, agencies: 5 });
  const [head, congan, vks, stp, last] = y.agencies as [TestAgency, TestAgency, TestAgency, TestAgency, TestAgency];
  await addRankedMembers(db, y, [
    { agency: head, shortfall: 5, votes: 5 },
    { agency: congan, shortfall: 3, votes: 6 },
    { agency: vks, shortfall: 7, votes: 5 },
    { agency: stp, shortfall: 10, votes: 4 },
    { agency: last, shortfall: 15, votes: 3 },
  ], { heldOn: "2023-01-10", place: "Hội trường Khối", validBallots: 7 });
  const observer = `bantdkt.${y.bloc}`;
  await addAccount(db, { username: observer, role: "observer", blocs: [y.bloc] });
  return { y, Y: y.Y, congan, vks, stp, observer };
}

// One database for the file, from the schema alone; each `describe` builds a year of its own (a new
// bloc) and drives it through an app with a clock of its own.
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

/** The database and an app on it with its own clock, as the tests of one `describe` use them. */
interface Portal {
  db: Knex;
  login(username: string): Promise<Agent>;
}

/**
 * A 2022 of its own (`ObjectionYear`), with its own app and clock (the objection window runs by it),
 * from the day after the review meeting's week: the window of a ranking published then ends on
 * 21/01/2023. Built before the tests of the `describe` it is called in.
 */
function useYear() {
  const clock = { now: new Date("2023-01-16T10:00:00+07:00") };
  const portal = {} as Portal;
  const year = {} as ObjectionYear;
  beforeAll(async () => {
    const app = createTestApp(database.knex, { now: () => clock.now });
    Object.assign(portal, { db: database.knex, login: (username: string) => loginAs(app, username) });
    Object.assign(year, await objectionYear(database.knex));
  });
  return { portal, clock, year };
}

const text = (html: string) => cheerio.load(html)("main").text().replace(/\s+/g, " ");
const userId = async (portal: Portal, username: string) => (await portal.db("users").where({ username }).first("id")).id as number;
const idOf = (filed: { headers: Record<string, string> }) => Number(/objections\/(\d+)$/.exec(filed.headers.location!)![1]);
const objectionsOf = async (portal: Portal, y: TestYear) => Number((await portal.db("objections").where({ year_id: y.yearId }).count("* as n").first())!.n);

/** The leader publishes the ranking (its objection window opens). */
async function publish(portal: Portal, { y, Y }: ObjectionYear) {
  const leader = await portal.login(y.leader);
  expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
}

/** `clerk` files an objection on the year's objections page (a multipart form, `attachment` its file). */
async function file(Y: string, clerk: Agent, fields: Record<string, string>, attachment?: { content: Buffer; name: string }) {
  const page = await clerk.get(`${Y}/objections`);
  let req = clerk.post(`${Y}/objections`).field("_csrf", csrfFrom(page.text));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (attachment) req = req.attach("file", attachment.content, attachment.name);
  return req;
}

describe("objections to the published ranking", () => {
  describe("before publication", () => {
    const { portal, year } = useYear();

    it("when the ranking is not published, then a clerk cannot object and the page says why", async () => {
      const { y, Y, stp, congan } = year;
      const clerk = await portal.login(stp.clerk);
      const page = await clerk.get(`${Y}/objections`);
      expect(page.status).toBe(200);
      expect(text(page.text)).toContain("Kết quả xếp hạng năm này chưa được công bố: chưa thể gửi kiến nghị.");
      const res = await file(Y, clerk, { subjectAgencyId: String(congan.id), topic: "proposal", reasons: "Đề nghị xem lại số phiếu của Công an tỉnh." });
      expect(res.status).toBe(409);
      expect(await objectionsOf(portal, y)).toBe(0);
    });
  });

  // Published on 16/01/2023, the window open: each test files the objections it needs.
  describe("published, within the window", () => {
    const { portal, year } = useYear();
    beforeAll(() => publish(portal, year));

    it("when published, then the ranking is provisional until the window's last day", async () => {
      const leader = await portal.login(year.y.leader);
      const page = text((await leader.get(`${year.Y}/ranking`)).text);
      expect(page).toContain("Kết quả tạm thời");
      expect(page).toContain("gửi kiến nghị đến hết ngày 21/01/2023");
    });

    it("a clerk files an objection about another agency with a file; bad input is re-shown with the typed values", async () => {
      const { y, Y, stp, congan } = year;
      const clerk = await portal.login(stp.clerk);
      expect(text((await clerk.get("/")).text)).toContain("gửi kiến nghị đến hết ngày 21/01/2023. Gửi kiến nghị");
      const subject = String(congan.id);
      const bad = await file(Y, clerk, { subjectAgencyId: subject, topic: "proposal", reasons: "ngắn" });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain("Vui lòng ghi nội dung, lý do kiến nghị (ít nhất 10 ký tự).");
      expect(cheerio.load(bad.text)(`#subjectAgencyId option[value="${subject}"]`).attr("selected")).toBeDefined();
      const ok = await file(Y, clerk, { subjectAgencyId: subject, topic: "proposal", reasons: "Đề nghị xem lại số phiếu bình xét Cờ thi đua của Công an tỉnh." }, { content: PDF, name: "kien-nghi.pdf" });
      expect(ok.status).toBe(303);
      const first = idOf(ok);
      const row = await portal.db("objections").where({ id: first }).first();
      expect(row).toMatchObject({ status: "pending", year_id: y.yearId, agency_id: stp.id, subject_agency_id: congan.id, topic: "proposal" });
      const audit = await portal.db("audit_log").where({ action: "objection.file", entity_id: first }).first();
      expect(audit.username).toBe(stp.clerk);
      expect(audit.after).toMatchObject({ file: "kien-nghi.pdf", topic: "Đề nghị khen thưởng", subject: congan.name });
      // The bloc's secretariat, who answer it, are told; nobody else is.
      const told = await portal.db("notifications").where({ kind: "objection_filed", link: `${Y}/objections/${first}` }).orderBy("user_id").select("user_id", "title", "body", "link");
      expect(told.map((n) => n.user_id)).toEqual([await userId(portal, y.secretariat), await userId(portal, y.deputyReviewer)].sort((a, b) => a - b));
      expect(told[0]).toMatchObject({ title: "Kiến nghị mới về kết quả năm 2022", link: `${Y}/objections/${first}` });
      expect(told[0].body).toContain(`${stp.name} gửi kiến nghị về kết quả chấm điểm, xếp hạng năm 2022 của ${congan.name}.`);
      const sec = await portal.login(y.secretariat);
      expect(text((await sec.get("/notifications")).text)).toContain("Kiến nghị mới về kết quả năm 2022");
    });

    it("the bloc's members, the leader and the observer read it and its file; other roles cannot file", async () => {
      const { y, Y, stp, congan, vks, observer } = year;
      const filed = await file(Y, await portal.login(stp.clerk), { subjectAgencyId: String(congan.id), topic: "proposal", reasons: "Đề nghị xem lại số phiếu bình xét Cờ thi đua của Công an tỉnh." }, { content: PDF, name: "kien-nghi.pdf" });
      expect(filed.status).toBe(303);
      const first = idOf(filed);
      for (const who of [vks.clerk, y.leader, observer, y.secretariat]) {
        const agent = await portal.login(who);
        const page = await agent.get(`${Y}/objections/${first}`);
        expect(page.status, who).toBe(200);
        expect(text(page.text)).toContain("Đề nghị xem lại số phiếu bình xét Cờ thi đua của Công an tỉnh.");
        expect(text(page.text)).toContain("Chờ trả lời");
        const href = cheerio.load(page.text)(".attachment-list a").attr("href")!;
        const f = await agent.get(href);
        expect(f.status).toBe(200);
        expect(Buffer.from(f.body as Buffer).subarray(0, 4).toString()).toBe("%PDF");
      }
      const sec = await portal.login(y.secretariat);
      expect((await file(Y, sec, { subjectAgencyId: String(congan.id), topic: "points", reasons: "Thường trực không gửi kiến nghị được." })).status).toBe(403);
      expect((await portal.login(vks.clerk).then((a) => a.get(`${Y}/objections/999999`))).status).toBe(404);
    });

    it("a clerk cannot answer; the secretariat rejects with an answer, the objecting clerk is told, answering twice is refused", async () => {
      const { y, Y, stp, congan } = year;
      const clerk = await portal.login(stp.clerk);
      const filed = await file(Y, clerk, { subjectAgencyId: String(congan.id), topic: "proposal", reasons: "Đề nghị xem lại số phiếu bình xét Cờ thi đua của Công an tỉnh." });
      expect(filed.status).toBe(303);
      const first = idOf(filed);
      expect((await postForm(clerk, `${Y}/objections/${first}`, `${Y}/objections/${first}/answer`, { decision: "reject", answer: "Tự trả lời kiến nghị của mình." })).status).toBe(403);
      // Conflict of interest: the objection disputes the deputy's result, so the deputy's secretariat account may not answer it.
      const deputy = await portal.login(y.deputyReviewer);
      const ownPage = await deputy.get(`${Y}/objections/${first}`);
      expect(ownPage.status).toBe(200);
      expect(ownPage.text).not.toContain(`action="${Y}/objections/${first}/answer"`);
      expect(text(ownPage.text)).toContain(`Không được trả lời: kiến nghị này do ${stp.name} gửi về kết quả của ${congan.name}`);
      const refused = await deputy.post(`${Y}/objections/${first}/answer`).type("form").send({ _csrf: csrfFrom(ownPage.text), decision: "accept", answer: "Chấp nhận kiến nghị về đơn vị mình." });
      expect(refused.status).toBe(403);
      expect(refused.text).toContain("Kiến nghị do tài khoản Thường trực của đơn vị khác hoặc Quản trị hệ thống trả lời.");
      expect(await portal.db("objections").where({ id: first }).first()).toMatchObject({ status: "pending", answered_by: null });
      expect(await portal.db("audit_log").where({ action: "objection.answer_refused", entity_id: String(first) }).first()).toBeDefined();
      const sec = await portal.login(y.secretariat);
      const empty = await postForm(sec, `${Y}/objections/${first}`, `${Y}/objections/${first}/answer`, { decision: "reject", answer: "" });
      expect(empty.status).toBe(422);
      expect(empty.text).toContain("Vui lòng ghi nội dung trả lời");
      const ok = await postForm(sec, `${Y}/objections/${first}`, `${Y}/objections/${first}/answer`, { decision: "reject", answer: "Số phiếu đã được kiểm tại Hội nghị, biên bản có chữ ký của tổ kiểm phiếu." });
      expect(ok.status).toBe(303);
      expect(await portal.db("objections").where({ id: first }).first()).toMatchObject({ status: "rejected", answered_by: await userId(portal, y.secretariat) });
      const told = await portal.db("notifications").where({ user_id: await userId(portal, stp.clerk), kind: "objection_answered", link: `${Y}/objections/${first}` });
      expect(told).toHaveLength(1);
      expect(told[0].link).toBe(`${Y}/objections/${first}`);
      expect(await portal.db("audit_log").where({ action: "objection.reject", entity_id: first }).first()).toBeDefined();
      const page = text((await clerk.get(`${Y}/objections/${first}`)).text);
      expect(page).toContain("Không chấp nhận kiến nghị");
      expect(page).toContain("biên bản có chữ ký của tổ kiểm phiếu");
      const again = await sec.post(`${Y}/objections/${first}/answer`).type("form").send({ _csrf: csrfFrom((await sec.get(`${Y}/objections`)).text), decision: "accept", answer: "Đổi ý sau khi đã trả lời." });
      expect(again.status).toBe(409);
    });
  });

  // The window's end moves the clock: on a year of its own, published on 16/01/2023.
  describe("the window closes", () => {
    const { portal, clock, year } = useYear();
    beforeAll(() => publish(portal, year));

    it("while the window is open or an objection waits, the year cannot be closed; after the window a clerk can no longer object", async () => {
      const { y, Y, vks } = year;
      const clerk = await portal.login(vks.clerk);
      const ok = await file(Y, clerk, { subjectAgencyId: String(vks.id), topic: "points", reasons: "Mục 2.3 của đơn vị đã có minh chứng nhưng Khối chấm 0 điểm." });
      expect(ok.status).toBe(303);
      const sec = await portal.login(y.secretariat);
      const closing = await postForm(sec, `${Y}/setup`, `${Y}/close`, {});
      expect(closing.status).toBe(409);
      expect(closing.text).toContain("còn trong thời hạn nhận kiến nghị (đến hết ngày 21/01/2023)");

      clock.now = new Date("2023-01-22T08:00:00+07:00");
      const late = await file(Y, clerk, { subjectAgencyId: String(vks.id), topic: "points", reasons: "Kiến nghị gửi sau khi đã hết thời hạn." });
      expect(late.status).toBe(409);
      expect(late.text).toContain("Đã hết thời hạn gửi kiến nghị (đến hết ngày 21/01/2023).");
      expect(text((await clerk.get(`${Y}/objections`)).text)).toContain("Đã hết thời hạn gửi kiến nghị");
      // The window has closed but one objection waits for its answer: still provisional, still not closable.
      expect(text((await clerk.get(`${Y}/ranking`)).text)).toContain("1 kiến nghị chờ Thường trực Khối trả lời.");
      const closing2 = await postForm(sec, `${Y}/setup`, `${Y}/close`, {});
      expect(closing2.status).toBe(409);
      expect(closing2.text).toContain("Còn kiến nghị chưa được trả lời");
    });
  });

  // Reopened, published again and closed: on a year of its own, published on 16/01/2023, with vks's
  // objection filed within the window and still waiting after it.
  describe("an objection accepted", () => {
    const { portal, clock, year } = useYear();
    let second: number;
    beforeAll(async () => {
      await publish(portal, year);
      const filed = await file(year.Y, await portal.login(year.vks.clerk), { subjectAgencyId: String(year.vks.id), topic: "points", reasons: "Mục 2.3 của đơn vị đã có minh chứng nhưng Khối chấm 0 điểm." });
      expect(filed.status).toBe(303);
      second = idOf(filed);
      clock.now = new Date("2023-01-22T08:00:00+07:00");
    });

    it("when the secretariat accepts, the leader reopens the ranking with that reason; published again, it becomes final after the new window", async () => {
      const { y, Y, vks, stp } = year;
      const sec = await portal.login(y.secretariat);
      expect((await postForm(sec, `${Y}/objections/${second}`, `${Y}/objections/${second}/answer`, { decision: "accept", answer: "Chấp nhận: Khối chấm lại mục 2.3 theo minh chứng đã gửi." })).status).toBe(303);
      const leader = await portal.login(y.leader);
      expect(text((await leader.get(`${Y}/ranking`)).text)).toContain("1 kiến nghị đã được chấp nhận, chờ Lãnh đạo Khối mở lại kết quả.");
      // The secretariat may not reopen the ranking.
      expect((await postForm(sec, `${Y}/objections/${second}`, `${Y}/objections/${second}/reopen`, {})).status).toBe(403);
      const page = await leader.get(`${Y}/objections/${second}`);
      expect(page.text).toContain("Mở lại kết quả xếp hạng theo kiến nghị này");
      expect((await postForm(leader, `${Y}/objections/${second}`, `${Y}/objections/${second}/reopen`, {})).status).toBe(303);
      expect((await portal.db("emulation_years").where({ id: y.yearId }).first()).ranking_published_at).toBeNull();
      expect((await portal.db("objections").where({ id: second }).first()).reopened_at).not.toBeNull();
      const audit = await portal.db("audit_log").where({ action: "ranking.reopen", entity_id: String(y.yearId) }).orderBy("id", "desc").first();
      expect(audit.after.reason).toContain(`Chấp nhận kiến nghị số ${second}`);
      expect(audit.after.reason).toContain("Khối chấm lại mục 2.3");
      const answered = text((await (await portal.login(vks.clerk)).get(`${Y}/objections/${second}`)).text);
      expect(answered).toContain("Chấp nhận, đã mở lại kết quả");

      clock.now = new Date("2023-01-25T09:00:00+07:00");
      expect((await postForm(leader, `${Y}/ranking/publish`, `${Y}/ranking/publish`, { confirm: "yes" })).status).toBe(303);
      expect(text((await leader.get(`${Y}/ranking`)).text)).toContain("gửi kiến nghị đến hết ngày 30/01/2023");
      clock.now = new Date("2023-01-31T09:00:00+07:00");
      const final = text((await leader.get(`${Y}/ranking`)).text);
      expect(final).toContain("Kết quả chính thức");
      expect(final).not.toContain("Kết quả tạm thời");
      expect((await postForm(sec, `${Y}/setup`, `${Y}/close`, {})).status).toBe(303);
      // A closed year takes no objection.
      const clerk = await portal.login(stp.clerk);
      expect((await file(Y, clerk, { subjectAgencyId: String(stp.id), topic: "points", reasons: "Kiến nghị sau khi năm đã kết thúc." })).status).toBe(409);
    });
  });

  // The counts behind the standing are kept with the year's revision (issue 16): each step below is read
  // by a ranking page that was already read (and kept) in the step before.
  describe("the standing after each step", () => {
    const { portal, year } = useYear();
    beforeAll(() => publish(portal, year));

    it("when an objection is filed, then answered, then the next ranking page counts it at each step", async () => {
      const { y, Y, stp } = year;
      const leader = await portal.login(y.leader);
      const standing = async () => text((await leader.get(`${Y}/ranking`)).text);
      expect(await standing()).not.toContain("kiến nghị chờ");
      const filed = await file(Y, await portal.login(stp.clerk), { subjectAgencyId: String(stp.id), topic: "points", reasons: "Mục 1.2 của đơn vị đã có minh chứng nhưng Khối chấm 0 điểm." });
      expect(filed.status).toBe(303);
      expect(await standing()).toContain("1 kiến nghị chờ Thường trực Khối trả lời.");
      const sec = await portal.login(y.secretariat);
      const id = idOf(filed);
      expect((await postForm(sec, `${Y}/objections/${id}`, `${Y}/objections/${id}/answer`, { decision: "accept", answer: "Chấp nhận: Khối chấm lại mục 1.2." })).status).toBe(303);
      const after = await standing();
      expect(after).not.toContain("kiến nghị chờ Thường trực");
      expect(after).toContain("1 kiến nghị đã được chấp nhận, chờ Lãnh đạo Khối mở lại kết quả.");
    });
  });
});
