import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, type Agent } from "./http.js";
import { addAccount, addReport, newYear, type TestAgency, type TestYear } from "./factories.js";
import { addDays } from "../src/lib/dates.js";
import { createLogger } from "../src/logger.js";
import type { Database } from "../src/db/database.js";

// Attachments and every multipart form: the clerk's upload with the typed text, sending with a
// confirmation, and issue 15's findings 2, 7, 9 and 10.
let database: Database;
let db: Knex;
const JUNE_10 = new Date("2022-06-10T09:00:00+07:00");
let clock = JUNE_10;
let app: ReturnType<typeof createTestApp>;
const logLines: string[] = [];
/** The file's 2022 (from the template): each test uploads to a report of a member of its own (see `of`). */
let y: TestYear;

/**
 * The members of the file's year and the test (or tests) that uses each: its report, as the test
 * finds it, is a draft the clerk wrote the day before (the annual one for the first describe and
 * the quota, the 6-month one for findings 2 and 7), or its 6-month report returned (finding 9).
 */
const MEMBERS = ["page", "attach", "refusedFile", "late", "onTime", "names", "types", "csrf", "malformed", "tenFiles", "fullQuota"] as const;
type Role = (typeof MEMBERS)[number];
const of = (role: Role): TestAgency => y.agencies[MEMBERS.indexOf(role)]!;
/** The day the clerks wrote their drafts (the day before the file's clock). */
const DRAFTED_ON = "2022-06-09";
const ADMIN = "quantri.uploads";

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  app = createTestApp(db, { now: () => clock, logger: createLogger("info", sink) });
  y = await newYear(db, { year: 2022, agencies: MEMBERS.length });
  for (const role of ["page", "attach", "refusedFile", "late", "onTime", "tenFiles", "fullQuota"] as const) await addReport(db, y, { agency: of(role), period: 2, status: "draft", on: DRAFTED_ON });
  for (const role of ["names", "types", "csrf"] as const) await addReport(db, y, { agency: of(role), period: 1, status: "draft", on: DRAFTED_ON });
  await addReport(db, y, { agency: of("malformed"), period: 1, status: "returned", on: addDays(DRAFTED_ON, -1), comment: "Gửi kèm bản scan có chữ ký, đóng dấu." });
  await addAccount(db, { username: ADMIN, role: "admin", fullName: "Quản trị (tệp đính kèm)" });
});
afterAll(() => database.close());

const reportUrl = (period: number, agency: TestAgency) => `${y.Y}/periods/${period}/reports/${agency.code}`;
const PDF = Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2a1d1a90000000049454e44ae426082", "hex");

async function reportRow(period: number, agency: TestAgency) {
  return db("reports as r").join("periods as p", "p.id", "r.period_id").where({ "p.year_id": y.yearId, "p.number": period, "r.agency_id": agency.id }).first("r.*");
}
const attachmentsOf = async (reportId: number) => db("report_attachments").where({ report_id: reportId }).orderBy("id").select("id", "filename", "mime_type", "size_bytes");
const versionIn = (html: string) => /name="version" value="(\d*)"/.exec(html)?.[1] ?? "";

/**
 * The clerk, without scripts ("Lưu nháp và đính kèm"), saves the typed general results of `agency`'s
 * annual report together with a file, in one post.
 */
async function attachWithText(clerk: Agent, agency: TestAgency, general: string, file: { kind: string; content: Buffer; name: string }) {
  const page = await clerk.get(reportUrl(2, agency));
  return clerk
    .post(reportUrl(2, agency))
    .field("_csrf", csrfFrom(page.text))
    .field("version", versionIn(page.text))
    .field("action", "attach")
    .field("kind", file.kind)
    .field("general", general)
    .attach("file", file.content, file.name);
}

/** The clerk saves the typed text "Đang gõ dở khi đính kèm" of `agency`'s annual report with a signed scan (ban-scan.pdf). */
const saveDraftWithScan = (clerk: Agent, agency: TestAgency) => attachWithText(clerk, agency, "Đang gõ dở khi đính kèm", { kind: "signed_scan", content: PDF, name: "ban-scan.pdf" });

/** The script's upload: the file alone, the token in the body. */
async function upload(agent: Agent, url: string, file: Buffer, name: string, kind = "signed_scan") {
  const page = await agent.get(url);
  return agent.post(`${url}/attachments`).field("_csrf", csrfFrom(page.text)).field("kind", kind).attach("file", file, name);
}

describe("a clerk attaches files without losing typed text, and confirms before sending", () => {
  it("the page has the attachments before the Send button, states the quota, and puts no token in any URL", async () => {
    const agency = of("page");
    const clerk = await loginAs(app, agency.clerk);
    const page = await clerk.get(reportUrl(2, agency));
    expect(page.status).toBe(200);
    expect(page.text.indexOf('id="attachments"')).toBeGreaterThan(0);
    expect(page.text.indexOf('id="attachments"')).toBeLessThan(page.text.indexOf('value="submit"'));
    expect(page.text).toContain("Mỗi báo cáo tối đa 10 tệp, mỗi tệp tối đa 10 MB, tổng cộng tối đa 30 MB");
    expect(page.text).not.toContain("_csrf=");
  });

  it("when 'Lưu nháp và đính kèm' is pressed without scripts, then the typed text and the file are saved together", async () => {
    const agency = of("attach");
    const clerk = await loginAs(app, agency.clerk);
    const res = await saveDraftWithScan(clerk, agency);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${reportUrl(2, agency)}#attachments`);
    const row = await reportRow(2, agency);
    expect(row.content.general).toBe("Đang gõ dở khi đính kèm");
    expect((await attachmentsOf(row.id)).map((a) => a.filename)).toContain("ban-scan.pdf");
    const after = await clerk.get(reportUrl(2, agency));
    expect(after.text).toContain("Đang gõ dở khi đính kèm");
    expect(after.text).toContain("Đã lưu bản nháp và đính kèm tệp.");
  });

  it("when the file is refused, then the typed text comes back in the form and nothing is saved", async () => {
    const agency = of("refusedFile");
    const clerk = await loginAs(app, agency.clerk);
    expect((await saveDraftWithScan(clerk, agency)).status).toBe(303);
    const page = await clerk.get(reportUrl(2, agency));
    const before = await reportRow(2, agency);
    const res = await clerk
      .post(reportUrl(2, agency))
      .field("_csrf", csrfFrom(page.text))
      .field("version", versionIn(page.text))
      .field("action", "attach")
      .field("kind", "signed_scan")
      .field("general", "Văn bản mới chưa lưu")
      .attach("file", Buffer.from("MZ not a scan"), "scan.pdf");
    expect(res.status).toBe(422);
    expect(res.text).toContain("Định dạng tệp không được chấp nhận.");
    expect(res.text).toContain("Văn bản mới chưa lưu");
    const row = await reportRow(2, agency);
    expect(row.version).toBe(before.version);
    expect(row.content.general).toBe("Đang gõ dở khi đính kèm");
  });

  it("when Send is pressed late and without a signed scan, then a confirmation page says so and nothing is sent until confirmed", async () => {
    const annual = y.periods.find((p) => p.kind === "annual")!;
    clock = new Date(`${addDays(annual.dueOn, 3)}T10:00:00+07:00`); // 3 days after the annual report's due date
    onTestFinished(() => {
      clock = JUNE_10;
    });
    const agency = of("late");
    const clerk = await loginAs(app, agency.clerk);
    const page = await clerk.get(reportUrl(2, agency));
    const before = await reportRow(2, agency);
    const res = await clerk.post(reportUrl(2, agency)).type("form").send({ _csrf: csrfFrom(page.text), version: versionIn(page.text), action: "submit", general: "Kết quả năm 2022" });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Xác nhận gửi báo cáo");
    expect(res.text).toContain("Báo cáo gửi chậm 3 ngày");
    expect(res.text).toContain("Theo mục 6.1 của bảng điểm, mỗi báo cáo gửi chậm bị trừ 1 điểm.");
    expect(res.text).toContain("Chưa đính kèm bản scan có chữ ký, đóng dấu.");
    // The typed text travels in the confirmation form; nothing was sent yet.
    expect(res.text).toContain('name="general" value="Kết quả năm 2022"');
    const unchanged = await reportRow(2, agency);
    expect(unchanged?.status ?? null).toBe(before?.status ?? null);
    const confirmed = await clerk.post(reportUrl(2, agency)).type("form").send({ _csrf: csrfFrom(res.text), version: versionIn(res.text), action: "submit", confirm: "yes", general: "Kết quả năm 2022" });
    expect(confirmed.status).toBe(303);
    const row = await reportRow(2, agency);
    expect(row.status).toBe("submitted");
    expect(row.late_days).toBe(3);
  });

  it("when Send is pressed on time with a signed scan, then the confirmation says it is on time and the scan is there", async () => {
    const agency = of("onTime");
    const clerk = await loginAs(app, agency.clerk);
    expect((await upload(clerk, reportUrl(2, agency), PDF, "ban-scan.pdf")).status).toBe(303);
    const page = await clerk.get(reportUrl(2, agency));
    const res = await clerk.post(reportUrl(2, agency)).type("form").send({ _csrf: csrfFrom(page.text), version: versionIn(page.text), action: "submit", general: "Đủ nội dung" });
    expect(res.status).toBe(200);
    expect(res.text).toContain("gửi đúng hạn");
    expect(res.text).toContain("Đã đính kèm bản scan có chữ ký, đóng dấu");
    expect(res.text).not.toContain("Chưa đính kèm bản scan");
  });
});

describe("issue 15 finding 2: stored names", () => {
  it("when a PDF is uploaded as .bat, .hta or with a right-to-left override, then it is stored and served as .pdf without the control character", async () => {
    const agency = of("names");
    const clerk = await loginAs(app, agency.clerk);
    for (const name of ["bao-cao.bat", "bao-cao.hta", "bao-cao\u202Efdp.bat"]) {
      expect((await upload(clerk, reportUrl(1, agency), PDF, name)).status).toBe(303);
    }
    const files = await attachmentsOf((await reportRow(1, agency)).id);
    expect(files.map((f) => f.filename)).toEqual(["bao-cao.pdf", "bao-cao.pdf", "bao-caofdp.pdf"]);
    const dl = await clerk.get(`${reportUrl(1, agency)}/attachments/${files[2]!.id}`);
    expect(dl.headers["content-type"]).toBe("application/pdf");
    expect(dl.headers["content-disposition"]).toBe("attachment; filename*=UTF-8''bao-caofdp.pdf");
  });

  it("when a type outside the list is sent (a GIF, a ZIP), then it is refused", async () => {
    const agency = of("types");
    const clerk = await loginAs(app, agency.clerk);
    const gif = Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1");
    const zip = Buffer.from("504b0304140000000000", "hex");
    expect((await upload(clerk, reportUrl(1, agency), gif, "anh.gif", "other")).status).toBe(422);
    expect((await upload(clerk, reportUrl(1, agency), zip, "tai-lieu.zip", "other")).status).toBe(422);
  });
});

describe("issue 15 finding 7: the CSRF token never in a URL", () => {
  it("when the token comes only in the query string, then the upload is refused (403) and the access log hides it", async () => {
    const agency = of("csrf");
    const clerk = await loginAs(app, agency.clerk);
    const page = await clerk.get(reportUrl(1, agency));
    const token = csrfFrom(page.text);
    const res = await clerk.post(`${reportUrl(1, agency)}/attachments?_csrf=${encodeURIComponent(token)}`).field("kind", "other").attach("file", PNG, "anh.png");
    expect(res.status).toBe(403);
    expect(logLines.join("\n")).not.toContain(token);
    expect(logLines.join("\n")).toContain("_csrf=[ẩn]");
  });

  it("every form on the clerk's and the admin's pages posts its token in the body", async () => {
    const agency = of("csrf");
    const clerk = await loginAs(app, agency.clerk);
    const admin = await loginAs(app, ADMIN);
    for (const [agent, url] of [[clerk, reportUrl(1, agency)], [clerk, "/"], [admin, "/admin/import-year"]] as const) {
      const html = (await agent.get(url)).text;
      expect([url, /action="[^"]*_csrf/.test(html)]).toEqual([url, false]);
    }
  });
});

describe("issue 15 finding 9: malformed multipart answers 400/413 in Vietnamese, never 500", () => {
  let clerk: Agent;
  let token: string;
  beforeAll(async () => {
    clerk = await loginAs(app, of("malformed").clerk);
    token = csrfFrom((await clerk.get(reportUrl(1, of("malformed")))).text);
  });
  const url = () => `${reportUrl(1, of("malformed"))}/attachments`;

  function raw(parts: string[], boundary = "xBOUNDARYx") {
    const body = parts.map((p) => `--${boundary}\r\n${p}\r\n`).join("") + `--${boundary}--\r\n`;
    return clerk.post(url()).set("Content-Type", `multipart/form-data; boundary=${boundary}`).send(Buffer.from(body, "utf8"));
  }
  const field = (name: string, value: string) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
  const file = (name: string, filename: string) => `Content-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n${PNG.toString("latin1")}`;

  // The malformed uploads, each sent by its test, and all of them by the last one.
  const twoFiles = () => clerk.post(url()).field("_csrf", token).field("kind", "other").attach("file", PNG, "a.png").attach("file", PNG, "b.png");
  const fileUnderUnexpectedField = () => clerk.post(url()).field("_csrf", token).field("kind", "other").attach("evil", PNG, "a.png");
  const tooManyFields = () => {
    const parts = [field("_csrf", token)];
    for (let i = 0; i < 300; i++) parts.push(field(`f${i}`, "x"));
    return raw(parts);
  };
  const BAD_NAMES = ["a\u0000.png", "a\r\nX-Evil: 1.png", "a\n.png"];
  const fileNamed = (name: string) => raw([field("_csrf", token), field("kind", "other"), file("file", name)]);
  const cutBody = () => clerk.post(url()).set("Content-Type", "multipart/form-data; boundary=zz").send(Buffer.from(`--zz\r\n${field("_csrf", token)}\r\n--zz\r\nContent-Disp`));
  const noBoundary = () => clerk.post(url()).set("Content-Type", "multipart/form-data").send("abc");

  it("two files", async () => {
    const res = await twoFiles();
    expect(res.status).toBe(400);
    expect(res.text).toContain("Mỗi lần chỉ gửi được một tệp.");
  });

  it("a file under an unexpected field", async () => {
    const res = await fileUnderUnexpectedField();
    expect(res.status).toBe(400);
    expect(res.text).toContain("Biểu mẫu có tệp ở vị trí không hợp lệ.");
  });

  it("too many fields", async () => {
    const res = await tooManyFields();
    expect(res.status).toBe(413);
    expect(res.text).toContain("quá nhiều");
  });

  it("NUL, CR or LF in the file name", async () => {
    for (const name of BAD_NAMES) {
      const res = await fileNamed(name);
      // A raw CRLF ends the part's header: the part is then unreadable (400) or has no file (422).
      expect([JSON.stringify(name), [400, 422].includes(res.status)]).toEqual([JSON.stringify(name), true]);
      expect(res.text).toMatch(/Tên tệp chứa ký tự không hợp lệ|Không đọc được biểu mẫu|Vui lòng chọn tệp/);
    }
  });

  it("a body cut in the middle, or without its boundary", async () => {
    const cut = await cutBody();
    expect(cut.status).toBe(400);
    expect(cut.text).toContain("Không đọc được biểu mẫu gửi lên");
    expect((await noBoundary()).status).toBe(400);
  });

  it("no attachment was stored by any of them", async () => {
    for (const send of [twoFiles, fileUnderUnexpectedField, tooManyFields, ...BAD_NAMES.map((name) => () => fileNamed(name)), cutBody, noBoundary]) await send();
    const row = await reportRow(1, of("malformed"));
    expect(row ? (await attachmentsOf(row.id)).length : 0).toBe(0);
  });
});

describe("issue 15 finding 10: a quota per report", () => {
  it("when the report holds 10 files, then an 11th is refused with the limit stated", async () => {
    const agency = of("tenFiles");
    const clerk = await loginAs(app, agency.clerk);
    expect((await upload(clerk, reportUrl(2, agency), PNG, "1.png", "other")).status).toBe(303);
    const report = await reportRow(2, agency);
    const user = await db("users").where({ username: agency.clerk }).first("id");
    for (let i = 2; i <= 10; i++) {
      await db("report_attachments").insert({ report_id: report.id, kind: "other", filename: `${i}.png`, mime_type: "image/png", size_bytes: PNG.length, sha256: "x", content: PNG, uploaded_by: user.id });
    }
    const res = await upload(clerk, reportUrl(2, agency), PNG, "11.png", "other");
    expect(res.status).toBe(422);
    expect(res.text).toContain("Mỗi báo cáo đính kèm tối đa 10 tệp.");
    expect((await attachmentsOf(report.id)).length).toBe(10);
  });

  it("when the files already total 30 MB, then one more is refused, and the draft typed with it is not saved either", async () => {
    const agency = of("fullQuota");
    const clerk = await loginAs(app, agency.clerk);
    expect((await upload(clerk, reportUrl(2, agency), PNG, "1.png", "other")).status).toBe(303);
    const report = await reportRow(2, agency);
    // Sizes recorded as the database holds them; the content itself need not be large for the sum.
    await db("report_attachments").where({ report_id: report.id }).update({ size_bytes: 10 * 1024 * 1024 });
    const user = await db("users").where({ username: agency.clerk }).first("id");
    for (let i = 0; i < 2; i++) {
      await db("report_attachments").insert({ report_id: report.id, kind: "other", filename: `lon${i}.pdf`, mime_type: "application/pdf", size_bytes: 10 * 1024 * 1024, sha256: "x", content: PDF, uploaded_by: user.id });
    }
    const res = await upload(clerk, reportUrl(2, agency), PNG, "them.png", "other");
    expect(res.status).toBe(422);
    expect(res.text).toContain("Tổng dung lượng tệp đính kèm của một báo cáo tối đa 30 MB (đã dùng 30 MB)");
    const before = await reportRow(2, agency);
    const withDraft = await attachWithText(clerk, agency, "Không được lưu vì tệp vượt hạn mức", { kind: "other", content: PNG, name: "them.png" });
    expect(withDraft.status).toBe(422);
    expect(withDraft.text).toContain("Không được lưu vì tệp vượt hạn mức");
    expect((await reportRow(2, agency)).version).toBe(before.version);
  });
});
