import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, postForm, type Agent } from "./http.js";
import { addMemberAgency, addReport, newYear, type TestAgency, type TestYear } from "./factories.js";
import { addDays } from "../src/lib/dates.js";
import { DEMO_PASSWORD } from "../seeds/demo-data.js";
import type { Database } from "../src/db/database.js";

let database: Database;
let db: Knex;
/** The file's year (2022 from the template): the head's 6-month report accepted, the others' tests add members of their own. */
let y: TestYear;
let head: TestAgency;
let deputy: TestAgency;
/** A member whose 6-month report was sent late (it stays as sent). */
let lateSender: TestAgency;
// A fixed clock inside the 6-month period's window, before its due date (15/06/2022); a test that
// needs another day sets it, and the next test starts from this one again.
const JUNE_10 = new Date("2022-06-10T09:00:00+07:00");
let clock = JUNE_10;
let app: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  app = createTestApp(db, { now: () => clock });
  y = await newYear(db, { year: 2022, agencies: 3 });
  [head, deputy, lateSender] = y.agencies as [TestAgency, TestAgency, TestAgency];
  await addReport(db, y, { agency: head, period: 1, status: "accepted", on: addDays(y.periods[0]!.dueOn, -5) });
  await addReport(db, y, { agency: lateSender, period: 1, status: "submitted", on: addDays(y.periods[0]!.dueOn, 5) });
});
afterAll(() => database.close());
beforeEach(() => {
  clock = JUNE_10;
});

let members = 0;
/**
 * A member agency of the file's year of the test's own (the reports the year starts with stay as
 * built for the tests that read them), with its clerk: no report of it exists yet.
 */
const newMember = async (): Promise<TestAgency> => {
  const n = ++members;
  const name = `Cơ quan mới ${n} tỉnh Tuyên Quang`;
  return { ...(await addMemberAgency(db, { bloc: y.bloc, code: `moi${n}`, name, year: y.year, by: y.secretariat })), shortName: name };
};

const reportUrl = (period: number, agency: string) => `${y.Y}/periods/${period}/reports/${agency}`;
/** A date as the pages write it: 2021-12-01 → 01/12/2021. */
const vnDate = (iso: string) => iso.split("-").reverse().join("/");

async function reportRow(period: number, agency: string) {
  return db("reports as r")
    .join("periods as p", "p.id", "r.period_id")
    .join("agencies as a", "a.id", "r.agency_id")
    .where({ "p.year_id": y.yearId, "p.number": period, "a.code": agency })
    .first("r.*");
}

function formBody(html: string, overrides: Record<string, string>): Record<string, string> {
  const body: Record<string, string> = { _csrf: csrfFrom(html) };
  const version = /name="version" value="(\d*)"/.exec(html)?.[1];
  if (version !== undefined) body.version = version;
  return { ...body, ...overrides };
}

// Each step of the cycle on a report of its own (a new member agency's 6-month report), after the
// steps before it, taken by the same helpers.
describe("the whole cycle: draft, submit, return, resubmit, accept", () => {
  const COMMENT = "Bổ sung số liệu phong trào Covid-19.";
  /** The clerk saves a draft with one movement's work done and no general results. */
  async function saveDraft(clerk: Agent, code: string) {
    const page = await clerk.get(reportUrl(1, code));
    expect((await clerk.post(reportUrl(1, code)).type("form").send(formBody(page.text, { action: "save", "s.PT1.done": "Đã phổ biến kế hoạch", general: "" }))).status).toBe(303);
  }
  /** The clerk sends it, with the general results. */
  async function submit(clerk: Agent, code: string) {
    const page = await clerk.get(reportUrl(1, code));
    expect((await clerk.post(reportUrl(1, code)).type("form").send(formBody(page.text, { action: "submit", confirm: "yes", "s.PT1.done": "Đã phổ biến kế hoạch", general: "Hoàn thành tốt nhiệm vụ." }))).status).toBe(303);
  }
  /** The secretariat returns it with `COMMENT`. */
  async function returnIt(secretariat: Agent, code: string) {
    const page = await secretariat.get(reportUrl(1, code));
    expect((await secretariat.post(`${reportUrl(1, code)}/review`).type("form").send(formBody(page.text, { action: "return", comment: COMMENT }))).status).toBe(303);
  }
  /** A new member's report, drafted, sent and returned by the secretariat, with both signed in. */
  async function returnedReport() {
    const { code, clerk: username } = await newMember();
    const clerk = await loginAs(app, username);
    const secretariat = await loginAs(app, y.secretariat);
    await saveDraft(clerk, code);
    await submit(clerk, code);
    await returnIt(secretariat, code);
    return { code, clerk, secretariat };
  }
  /** The clerk corrects the figures and sends it again. */
  async function resubmit(clerk: Agent, code: string) {
    const page = await clerk.get(reportUrl(1, code));
    expect((await clerk.post(reportUrl(1, code)).type("form").send(formBody(page.text, { action: "submit", confirm: "yes", "s.PT1.done": "Đã phổ biến kế hoạch", "s.PT6.figures": "100% cán bộ tiêm đủ 3 mũi", general: "Hoàn thành tốt nhiệm vụ." }))).status).toBe(303);
  }

  it("a clerk sees the form with the period's data window and saves a draft", async () => {
    const { code, clerk: username } = await newMember();
    const clerk = await loginAs(app, username);
    const page = await clerk.get(reportUrl(1, code));
    expect(page.status).toBe(200);
    expect(page.text).toContain("Số liệu tính từ");
    expect(page.text).toContain(vnDate(y.periods[0]!.dataFrom));
    expect(page.text).toContain(vnDate(y.periods[0]!.dataTo));
    expect(page.text).toContain("Chung sức xây dựng nông thôn mới"); // the movement PT2's title
    const res = await clerk.post(reportUrl(1, code)).type("form").send(formBody(page.text, { action: "save", "s.PT1.done": "Đã phổ biến kế hoạch", general: "" }));
    expect(res.status).toBe(303);
    const row = await reportRow(1, code);
    expect(row.status).toBe("draft");
    expect(row.content.sections.PT1.done).toBe("Đã phổ biến kế hoạch");
  });

  it("submitting without the general results is refused beside the field, typed text kept, nothing saved", async () => {
    const { code, clerk: username } = await newMember();
    const clerk = await loginAs(app, username);
    await saveDraft(clerk, code);
    const page = await clerk.get(reportUrl(1, code));
    const res = await clerk.post(reportUrl(1, code)).type("form").send(formBody(page.text, { action: "submit", "s.PT1.done": "Nội dung mới chưa lưu", general: "" }));
    expect(res.status).toBe(422);
    expect(res.text).toContain("Vui lòng nhập kết quả chung trước khi gửi báo cáo.");
    expect(res.text).toContain("Nội dung mới chưa lưu");
    expect((await reportRow(1, code)).content.sections.PT1.done).toBe("Đã phổ biến kế hoạch");
  });

  it("submits on time, keeps version 1, and a double-clicked submit creates one submission", async () => {
    const { code, clerk: username } = await newMember();
    const clerk = await loginAs(app, username);
    await saveDraft(clerk, code);
    const page = await clerk.get(reportUrl(1, code));
    const body = formBody(page.text, { action: "submit", confirm: "yes", "s.PT1.done": "Đã phổ biến kế hoạch", general: "Hoàn thành tốt nhiệm vụ." });
    const first = await clerk.post(reportUrl(1, code)).type("form").send(body);
    expect(first.status).toBe(303);
    const second = await clerk.post(reportUrl(1, code)).type("form").send(body);
    expect(second.status).toBe(409);
    const row = await reportRow(1, code);
    expect(row.status).toBe("submitted");
    expect(row.late_days).toBe(0);
    expect(row.submitted_on).toBe("2022-06-10");
    expect(await db("report_versions").where({ report_id: row.id }).count("* as n")).toEqual([{ n: 1 }]);
  });

  it("the secretariat cannot return without a comment, then returns with one", async () => {
    const { code, clerk: username } = await newMember();
    const clerk = await loginAs(app, username);
    await saveDraft(clerk, code);
    await submit(clerk, code);
    const secretariat = await loginAs(app, y.secretariat);
    const page = await secretariat.get(reportUrl(1, code));
    expect(page.text).toContain("Xem xét của Thường trực Khối");
    const none = await secretariat.post(`${reportUrl(1, code)}/review`).type("form").send(formBody(page.text, { action: "return", comment: " " }));
    expect(none.status).toBe(422);
    expect(none.text).toContain("Vui lòng ghi rõ nội dung cần bổ sung, chỉnh sửa.");
    const res = await secretariat.post(`${reportUrl(1, code)}/review`).type("form").send(formBody(page.text, { action: "return", comment: COMMENT }));
    expect(res.status).toBe(303);
    expect((await reportRow(1, code)).status).toBe("returned");
  });

  it("the clerk sees the comment, corrects and resubmits; the versions can be compared", async () => {
    const { code, clerk, secretariat } = await returnedReport();
    const page = await clerk.get(reportUrl(1, code));
    expect(page.text).toContain(COMMENT);
    const res = await clerk.post(reportUrl(1, code)).type("form").send(formBody(page.text, { action: "submit", confirm: "yes", "s.PT1.done": "Đã phổ biến kế hoạch", "s.PT6.figures": "100% cán bộ tiêm đủ 3 mũi", general: "Hoàn thành tốt nhiệm vụ." }));
    expect(res.status).toBe(303);
    const row = await reportRow(1, code);
    expect(row.status).toBe("submitted");
    expect(row.submitted_on).toBe("2022-06-10"); // lateness counts from the first submission
    const compare = await secretariat.get(`${reportUrl(1, code)}/versions/2`);
    expect(compare.status).toBe(200);
    expect(compare.text).toContain("100% cán bộ tiêm đủ 3 mũi");
    expect(compare.text).toMatch(/Số liệu cụ thể <span class="badge">đã sửa<\/span>/);
  });

  it("the secretariat accepts; the clerk can no longer change it", async () => {
    const { code, clerk, secretariat } = await returnedReport();
    await resubmit(clerk, code);
    const page = await secretariat.get(reportUrl(1, code));
    expect((await secretariat.post(`${reportUrl(1, code)}/review`).type("form").send(formBody(page.text, { action: "accept" }))).status).toBe(303);
    expect((await reportRow(1, code)).status).toBe("accepted");
    const view = await clerk.get(reportUrl(1, code));
    expect(view.text).toContain("Đã tiếp nhận");
    expect(view.text).not.toContain('name="action" value="submit"');
    const again = await postForm(clerk, reportUrl(1, code), reportUrl(1, code), { action: "save", general: "x" });
    expect(again.status).toBe(409);
    const audit = await db("audit_log").where({ entity: "report", entity_id: String((await reportRow(1, code)).id) }).pluck("action");
    expect(audit).toEqual(expect.arrayContaining(["report.save", "report.submit", "report.return", "report.accept"]));
  });

  it("the period page lists every agency with state, date and lateness, and what is still missing", async () => {
    const drafting = await newMember();
    await addReport(db, y, { agency: drafting, period: 1, status: "draft" });
    const returned = await newMember();
    await addReport(db, y, { agency: returned, period: 1, status: "returned", on: addDays(y.periods[0]!.dueOn, -1) });
    const secretariat = await loginAs(app, y.secretariat);
    const res = await secretariat.get(`${y.Y}/periods/1/reports`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(lateSender.name);
    expect(res.text).toContain("5 ngày"); // lateSender sent 5 days after the due date
    expect(res.text).toContain("Nhắc việc"); // deputy has sent nothing
    expect(res.text).toMatch(new RegExp(`${drafting.name}</a> — Đang soạn`));
    expect(res.text).toMatch(new RegExp(`${returned.name}</a> — Bị trả lại`));
  });
});

describe("deadlines and locking", () => {
  it("with a fixed clock after the due date, a submission is marked late by the number of days", async () => {
    const { code, clerk: username } = await newMember();
    clock = new Date(`${addDays(y.periods[1]!.dueOn, 4)}T10:00:00+07:00`); // four days after the annual report's due date
    const clerk = await loginAs(app, username);
    const page = await clerk.get(reportUrl(2, code));
    const res = await clerk.post(reportUrl(2, code)).type("form").send(formBody(page.text, { action: "submit", confirm: "yes", general: "Năm 2022 hoàn thành." }));
    expect(res.status).toBe(303);
    const row = await reportRow(2, code);
    expect(row.late_days).toBe(4);
    expect((await clerk.get(reportUrl(2, code))).text).toContain("nộp chậm 4 ngày");
  });

  it("an agency's extension moves its due date", async () => {
    const { id, code, clerk: username } = await newMember();
    clock = new Date("2022-06-20T10:00:00+07:00");
    await db("period_extensions").insert({ period_id: y.periods[0]!.id, agency_id: id, due_on: "2022-06-25", reason: "Thay đổi lãnh đạo" });
    const clerk = await loginAs(app, username);
    const page = await clerk.get(reportUrl(1, code));
    expect(page.text).toContain("25/06/2022");
    await clerk.post(reportUrl(1, code)).type("form").send(formBody(page.text, { action: "submit", confirm: "yes", general: "Đã hoàn thành." }));
    expect((await reportRow(1, code)).late_days).toBe(0);
  });

  it("after the period is locked, the clerk cannot submit or change, and the page says why and who to ask", async () => {
    // A report sent back to its clerk, who could otherwise change and send it.
    const member = await newMember();
    const { code, clerk: username } = member;
    await addReport(db, y, { agency: member, period: 1, status: "returned", on: addDays(y.periods[0]!.dueOn, -1) });
    await db("periods").where({ id: y.periods[0]!.id }).update({ locked: true });
    try {
      const clerk = await loginAs(app, username);
      const page = await clerk.get(reportUrl(1, code));
      expect(page.text).toContain("đã khóa sổ");
      expect(page.text).toContain(head.shortName); // the bloc head, whom to ask
      expect(page.text).not.toContain('value="submit"');
      const before = await reportRow(1, code);
      const res = await postForm(clerk, reportUrl(1, code), reportUrl(1, code), { action: "submit", general: "x" });
      expect(res.status).toBe(409);
      expect(res.text).toContain("liên hệ Thường trực Khối");
      expect((await reportRow(1, code)).version).toBe(before.version);
    } finally {
      // The other tests of the period send to it.
      await db("periods").where({ id: y.periods[0]!.id }).update({ locked: false });
    }
  });
});

describe("attachments", () => {
  const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")]);
  const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2a1d1a90000000049454e44ae426082", "hex");

  async function upload(agent: Agent, url: string, file: Buffer, name: string, kind = "signed_scan") {
    const page = await agent.get(url);
    return agent.post(`${url}/attachments`).field("_csrf", csrfFrom(page.text)).field("kind", kind).attach("file", file, name);
  }
  /** A new member's 6-month report, returned to its clerk (who may attach files to it), the clerk signed in. */
  async function returnedToClerk() {
    const member = await newMember();
    await addReport(db, y, { agency: member, period: 1, status: "returned", on: addDays(y.periods[0]!.dueOn, -1) });
    return { code: member.code, clerk: await loginAs(app, member.clerk) };
  }

  it("a signed scan (PDF) is stored with the report and downloadable by those allowed", async () => {
    clock = new Date("2022-06-12T10:00:00+07:00");
    const { code, clerk } = await returnedToClerk();
    const res = await upload(clerk, reportUrl(1, code), PDF, "ban-scan có dấu.pdf");
    expect(res.status).toBe(303);
    const att = await db("report_attachments").orderBy("id", "desc").first("id", "mime_type", "filename");
    expect(att.mime_type).toBe("application/pdf");
    const dl = await clerk.get(`${reportUrl(1, code)}/attachments/${att.id}`);
    expect(dl.status).toBe(200);
    expect(dl.headers["content-type"]).toBe("application/pdf");
    expect(dl.headers["content-disposition"]).toContain(encodeURIComponent("ban-scan có dấu.pdf"));
    const sec = await loginAs(app, y.secretariat);
    expect((await sec.get(`${reportUrl(1, code)}/attachments/${att.id}`)).status).toBe(200);
    // another agency's clerk: not found, whatever the URL says
    const other = await loginAs(app, deputy.clerk);
    expect((await other.get(`${reportUrl(1, code)}/attachments/${att.id}`)).status).toBe(404);
    expect((await other.get(`${reportUrl(1, deputy.code)}/attachments/${att.id}`)).status).toBe(404);
  });

  it("a file of the wrong type (by content, whatever its name) is refused with a clear error, the report intact", async () => {
    const { code, clerk } = await returnedToClerk();
    const before = await reportRow(1, code);
    const count = await db("report_attachments").count("* as n");
    const res = await upload(clerk, reportUrl(1, code), Buffer.from("MZ this is an exe pretending"), "scan.pdf");
    expect(res.status).toBe(422);
    expect(res.text).toContain("Định dạng tệp không được chấp nhận.");
    expect(await db("report_attachments").count("* as n")).toEqual(count);
    expect((await reportRow(1, code)).version).toBe(before.version);
    expect((await upload(clerk, reportUrl(1, code), PNG, "anh.png", "other")).status).toBe(303);
  });

  it("a file over 10 MB is refused with a clear error, the report intact", async () => {
    const { code, clerk } = await returnedToClerk();
    const before = await reportRow(1, code);
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 + 1)]);
    const res = await upload(clerk, reportUrl(1, code), big, "lon.pdf");
    expect(res.status).toBe(413);
    expect(res.text).toContain("Tệp vượt quá dung lượng cho phép (tối đa 10 MB)");
    expect((await reportRow(1, code)).version).toBe(before.version);
  });
});

describe("a clerk never reaches another agency's report", () => {
  it("read, edit, submit, review and download answer 404", async () => {
    const clerk = await loginAs(app, deputy.clerk);
    expect((await clerk.get(reportUrl(1, head.code))).status).toBe(404);
    const own = await clerk.get(reportUrl(1, deputy.code));
    const token = csrfFrom(own.text);
    for (const url of [reportUrl(1, head.code), reportUrl(1, lateSender.code), `${reportUrl(1, head.code)}/review`, `${reportUrl(1, head.code)}/attachments/1/delete`]) {
      const res = await clerk.post(url).type("form").send({ _csrf: token, action: "submit", general: "x", comment: "x", version: "1" });
      expect([url, res.status]).toEqual([url, 404]);
    }
    expect((await clerk.get(`${reportUrl(1, head.code)}/versions/1`)).status).toBe(404);
    expect((await clerk.get(`${y.Y}/periods/1/reports`)).status).toBe(404);
    const headReport = await reportRow(1, head.code);
    expect(headReport.status).toBe("accepted");
  });

  it("the leader reads but cannot review (403)", async () => {
    const leader = await loginAs(app, y.leader);
    expect((await leader.get(reportUrl(1, lateSender.code))).status).toBe(200);
    const res = await postForm(leader, reportUrl(1, lateSender.code), `${reportUrl(1, lateSender.code)}/review`, { action: "accept", version: "1" });
    expect(res.status).toBe(403);
  });
});

describe("a draft survives the session expiring mid-typing", () => {
  it("the post after expiry is saved as a draft; after logging in again the form comes back with it", async () => {
    clock = new Date("2022-06-12T10:00:00+07:00");
    // An annual report returned to its clerk, who types a correction.
    const member = await newMember();
    await addReport(db, y, { agency: member, period: 2, status: "returned", on: "2022-06-10", comment: "Bổ sung" });
    const { code } = member;
    const clerk = await loginAs(app, member.clerk);
    const page = await clerk.get(reportUrl(2, code));
    await db("sessions").update({ expired: new Date(Date.now() - 1000) }); // the session times out while typing
    const res = await clerk.post(reportUrl(2, code)).type("form").send(formBody(page.text, { action: "submit", general: "Văn bản đang gõ dở khi hết phiên", "s.PT2.results": "Hỗ trợ 3 xã" }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
    const row = await reportRow(2, code);
    expect(row.content.general).toBe("Văn bản đang gõ dở khi hết phiên");
    expect(row.status).toBe("returned"); // kept as a draft, not submitted behind the user's back
    const login = await clerk.get("/login");
    expect(login.text).toContain("đã được lưu thành bản nháp");
    const back = await clerk.post("/login").type("form").send({ _csrf: csrfFrom(login.text), username: member.clerk, password: DEMO_PASSWORD });
    expect(back.headers.location).toBe(reportUrl(2, code));
    const form = await clerk.get(reportUrl(2, code));
    expect(form.text).toContain("Văn bản đang gõ dở khi hết phiên");
    expect(form.text).toContain("Hỗ trợ 3 xã");
  });

  it("a post with a stale cookie but someone else's token is not rescued", async () => {
    // An annual report the clerk has drafted.
    const member = await newMember();
    await addReport(db, y, { agency: member, period: 2, status: "draft", on: "2022-06-10" });
    const clerk = await loginAs(app, member.clerk);
    await clerk.get(reportUrl(2, member.code));
    await db("sessions").update({ expired: new Date(Date.now() - 1000) });
    const before = await reportRow(2, member.code);
    const res = await clerk.post(reportUrl(2, member.code)).type("form").send({ _csrf: "forged", action: "save", general: "x" });
    expect(res.status).toBe(403);
    expect((await reportRow(2, member.code)).version).toBe(before.version);
  });
});
