import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import * as cheerio from "cheerio";
import request from "supertest";
import { createTestDatabase } from "./db.js";
import ExcelJS from "exceljs";
import { createTestApp, csrfFrom, loginAs, postForm, type Agent } from "./http.js";
import { addAccount, addSheet, adminAccount, newYear, type TestYear } from "./factories.js";
import { useTestPortal } from "./portal.js";
import { DEMO_CRITERIA } from "../src/scoring/index.js";
import type { Database } from "../src/db/database.js";

// A bloc other than the demo starts on the web: bloc → accounts → agencies → year → periods → clerks.
// Each test works on a bloc of its own, brought by `newBloc` (the same steps on the web) to the
// point the test starts from.
const NOW = new Date("2026-03-02T03:00:00Z");
const SECRETARIAT_PASSWORD = "MatKhau-ThuongTruc-2026";
const AGENCIES = [
  "Văn phòng Tỉnh ủy Tuyên Quang\tVP Tỉnh ủy",
  "Ban Tổ chức Tỉnh ủy; Ban Tổ chức",
  "Ban Tuyên giáo Tỉnh ủy",
  "Ủy ban Kiểm tra Tỉnh ủy",
  "Ban Dân vận Tỉnh ủy",
  "Ban Nội chính Tỉnh ủy",
  "Báo Tuyên Quang",
];
/** The codes the secretariat keeps for AGENCIES: the proposed ones, the first shortened. */
const AGENCY_CODES = ["vp-tu", "ban-to-chuc-tinh-uy", "ban-tuyen-giao-tinh-uy", "uy-ban-kiem-tra-tinh-uy", "ban-dan-van-tinh-uy", "ban-noi-chinh-tinh-uy", "bao-tuyen-quang"];
const BLOC = { code: "dang-tq", name: "Khối thi đua các cơ quan Đảng tỉnh Tuyên Quang", shortName: "KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG", issuingBody: "TỈNH ỦY TUYÊN QUANG", placeName: "Tuyên Quang", level: "province" };

let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;
let admin: Agent;
/**
 * A bloc that is not the test's: 2022 from the template with four members and a submitted sheet
 * (its code, its members' codes and its year are the "already used" and "another bloc's" ones).
 */
let other: TestYear;

const text = (html: string) => cheerio.load(html)("main").text().replace(/\s+/g, " ");
const count = async (table: string, where: Record<string, unknown> = {}) => Number((await db(table).where(where).count("* as n").first())!.n);
const yearOf = async (bloc: string, year: number) => (await db("emulation_years as y").join("blocs as b", "b.id", "y.bloc_id").where({ "b.code": bloc, "y.year": year }).first("y.id"))?.id as number | undefined;
const agencyId = async (code: string) => (await db("agencies").where({ code }).first("id")).id as number;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  app = createTestApp(db, { now: () => NOW });
  other = await newYear(db, { year: 2022 });
  await addSheet(db, other, { agency: other.agencies[2]!, status: "submitted" });
  admin = await loginAs(app, await adminAccount(db));
});
afterAll(() => database.close());

interface TestBloc {
  code: string;
  /** Its pages: `/blocs/<code>`, and its 2026's. */
  B: string;
  Y: string;
  /** Its secretariat, signed in (undefined before the "secretariat" step). */
  sec: Agent;
  /** The code this bloc's copy of one of AGENCY_CODES has ("vp-tu" → "vp-tu-b3"). */
  agency(base: string): string;
  yearId(year: number): Promise<number | undefined>;
}

let blocs = 0;
/**
 * A bloc of the test's own, `dang-tq-<n>`, brought to `upTo`: "bloc" as the admin creates it (test
 * 1); "secretariat" with an account that signs in (the demo password, already changed); "agencies"
 * with AGENCIES pasted (test 2), codes suffixed with the bloc's number, unique in the installation;
 * "year" with 2026 made from the template (test 3), head vp-tu, deputy ban-to-chuc-tinh-uy.
 */
async function newBloc(upTo: "bloc" | "secretariat" | "agencies" | "year"): Promise<TestBloc> {
  const n = ++blocs;
  const code = `dang-tq-${n}`;
  const B = `/blocs/${code}`;
  const bloc: TestBloc = {
    code,
    B,
    Y: `${B}/years/2026`,
    sec: undefined as unknown as Agent,
    agency: (base) => `${base}-b${n}`,
    yearId: (year) => yearOf(code, year),
  };
  const created = await postForm(admin, "/admin/blocs/new", "/admin/blocs", { ...BLOC, code, name: `${BLOC.name} (${n})` });
  expect(created.status).toBe(303);
  if (upTo === "bloc") return bloc;
  await addAccount(db, { username: `thuongtruc.${code}`, role: "secretariat", blocs: [code] });
  bloc.sec = await loginAs(app, `thuongtruc.${code}`);
  if (upTo === "secretariat") return bloc;
  const preview = await postForm(bloc.sec, `${B}/agencies/bulk`, `${B}/agencies/bulk`, { list: AGENCIES.join("\n"), joinedYear: "2026" });
  expect(preview.status).toBe(200);
  const saved = await bloc.sec.post(`${B}/agencies/bulk`).type("form").send({ ...fieldsOf(preview.text), code: AGENCY_CODES.map(bloc.agency) });
  expect(saved.status).toBe(303);
  if (upTo === "agencies") return bloc;
  const year = await postForm(bloc.sec, `${B}/years/new`, `${B}/years/new`, { year: "2026", source: "template", headAgencyId: String(await agencyId(bloc.agency("vp-tu"))), deputyAgencyId: String(await agencyId(bloc.agency("ban-to-chuc-tinh-uy"))) });
  expect(year.status).toBe(303);
  return bloc;
}

/** The secretariat creates the clerk accounts of the bloc's members (test 5); the printable sheet. */
async function createClerkAccounts(bloc: TestBloc): Promise<string> {
  const res = await postForm(bloc.sec, `${bloc.B}/clerk-accounts`, `${bloc.B}/clerk-accounts`, {});
  expect(res.status).toBe(200);
  return res.text;
}

/** The bloc's clerk accounts still to change their one-time password. */
const clerksToChange = async (bloc: TestBloc) =>
  Number(
    (await db("users as u")
      .join("bloc_memberships as m", "m.agency_id", "u.agency_id")
      .join("blocs as b", "b.id", "m.bloc_id")
      .where({ "b.code": bloc.code, "u.role": "clerk", "u.must_change_password": true })
      .count("* as n")
      .first())!.n,
  );

describe("1. the admin creates a bloc and gives it a secretariat account", () => {
  const bloc = BLOC;

  it("only the admin reaches the blocs pages", async () => {
    const sec22 = await loginAs(app, other.secretariat);
    expect((await sec22.get("/admin/blocs")).status).toBe(403);
    expect((await admin.get("/admin/blocs")).text).toContain(other.bloc);
  });

  it("a missing name and a duplicate code are refused beside their fields, keeping what was typed", async () => {
    const before = await count("blocs");
    const noName = await postForm(admin, "/admin/blocs/new", "/admin/blocs", { ...bloc, name: " " });
    expect(noName.status).toBe(422);
    expect(cheerio.load(noName.text)("#name-error").text()).toContain("Vui lòng nhập tên khối thi đua");
    const dup = await postForm(admin, "/admin/blocs/new", "/admin/blocs", { ...bloc, code: other.bloc });
    expect(dup.status).toBe(422);
    const $ = cheerio.load(dup.text);
    expect($("#code-error").text()).toContain("Mã khối này đã được dùng");
    expect($("#name").attr("value")).toBe(bloc.name);
    expect(await count("blocs")).toBe(before);
  });

  it("creates the bloc, and its documents' header fields are edited on its page", async () => {
    const res = await postForm(admin, "/admin/blocs/new", "/admin/blocs", bloc);
    expect([res.status, res.headers.location]).toEqual([303, "/admin/blocs/dang-tq"]);
    const row = await db("blocs").where({ code: "dang-tq" }).first();
    expect([row.name, row.short_name, row.issuing_body, row.place_name, row.level]).toEqual([bloc.name, bloc.shortName, bloc.issuingBody, bloc.placeName, "province"]);
    const edit = await postForm(admin, "/admin/blocs/dang-tq", "/admin/blocs/dang-tq", { ...bloc, level: "district" });
    expect(edit.status).toBe(303);
    expect((await db("blocs").where({ code: "dang-tq" }).first("level")).level).toBe("district");
  });

  it("gives the bloc a secretariat account from the bloc page; the account must change its password first", async () => {
    const { code, B } = await newBloc("bloc");
    const created = await postForm(admin, "/admin/users/new", "/admin/users", { username: "thuongtruc.dang", password: SECRETARIAT_PASSWORD, fullName: "Thường trực Khối các cơ quan Đảng", role: "secretariat", agencyId: "" });
    expect(created.status).toBe(303);
    const id = (await db("users").where({ username: "thuongtruc.dang" }).first("id")).id;
    const res = await postForm(admin, `/admin/blocs/${code}`, `/admin/blocs/${code}/accounts`, { userIds: [String(id)] });
    expect(res.status).toBe(303);
    const blocId = (await db("blocs").where({ code }).first("id")).id;
    expect(await db("user_blocs").where({ user_id: id }).select("bloc_id")).toEqual([{ bloc_id: blocId }]);

    const sec = await loginAs(app, "thuongtruc.dang", SECRETARIAT_PASSWORD);
    expect((await sec.get(`${B}/agencies`)).headers.location).toBe("/account/password");
    expect((await postForm(sec, "/account/password", `${B}/agencies/bulk`, { list: "x", joinedYear: "2026" })).headers.location).toBe("/account/password");
    const changed = await postForm(sec, "/account/password", "/account/password", { currentPassword: SECRETARIAT_PASSWORD, newPassword: "Mat-khau-rieng-cua-toi", confirmPassword: "Mat-khau-rieng-cua-toi" });
    expect(changed.status).toBe(303);
    expect((await sec.get(`${B}/agencies`)).status).toBe(200);
  });
});

describe("2. the secretariat pastes the agencies", () => {
  it("a blank line or a repeated name is refused beside the list, which keeps what was typed", async () => {
    const { B, sec } = await newBloc("secretariat");
    const blank = await postForm(sec, `${B}/agencies/bulk`, `${B}/agencies/bulk`, { list: "Ban Dân vận Tỉnh ủy\n\nBáo Tuyên Quang", joinedYear: "2026" });
    expect(blank.status).toBe(422);
    const $ = cheerio.load(blank.text);
    expect($("#list-error").text()).toContain("Dòng 2 trống");
    expect($("#list").text()).toBe("Ban Dân vận Tỉnh ủy\n\nBáo Tuyên Quang");
    const dup = await postForm(sec, `${B}/agencies/bulk`, `${B}/agencies/bulk`, { list: "Báo Tuyên Quang\nBan Dân vận\nbáo tuyên quang", joinedYear: "2026" });
    expect(dup.status).toBe(422);
    expect(cheerio.load(dup.text)("#list-error").text()).toContain("Dòng 3 trùng với dòng 1");
  });

  it("shows the rows with codes proposed from the names, editable; a code already used is refused and nothing is saved", async () => {
    // The only test that keeps the proposed codes: the other blocs' copies of AGENCIES have their own.
    const { B, sec } = await newBloc("secretariat");
    const preview = await postForm(sec, `${B}/agencies/bulk`, `${B}/agencies/bulk`, { list: AGENCIES.join("\n"), joinedYear: "2026" });
    expect(preview.status).toBe(200);
    const $ = cheerio.load(preview.text);
    const codes = $("input[name=code]").map((_i, el) => $(el).attr("value")).get();
    expect(codes).toEqual(["van-phong-tinh-uy-tuyen-quang", "ban-to-chuc-tinh-uy", "ban-tuyen-giao-tinh-uy", "uy-ban-kiem-tra-tinh-uy", "ban-dan-van-tinh-uy", "ban-noi-chinh-tinh-uy", "bao-tuyen-quang"]);
    expect($("input[name=shortName]").first().attr("value")).toBe("VP Tỉnh ủy");
    const before = await count("agencies");
    const taken = await sec.post(`${B}/agencies/bulk`).type("form").send({ ...fieldsOf(preview.text), code: [other.agencies[0]!.code, ...codes.slice(1)] });
    expect(taken.status).toBe(422);
    expect(cheerio.load(taken.text)("#code-0-error").text()).toContain("Mã này đã được dùng");
    expect(cheerio.load(taken.text)("#code-0").attr("value")).toBe(other.agencies[0]!.code);
    expect(await count("agencies")).toBe(before);
    const saved = await sec.post(`${B}/agencies/bulk`).type("form").send({ ...fieldsOf(preview.text), code: ["vp-tu", ...codes.slice(1)] });
    expect([saved.status, saved.headers.location]).toEqual([303, `${B}/agencies`]);
    expect(await count("agencies")).toBe(before + 7);
    expect(text((await sec.get(`${B}/agencies`)).text)).toContain("Văn phòng Tỉnh ủy Tuyên Quang");
  });
});

/** The named fields of the first POST form of a page, as a browser would send them. */
function fieldsOf(html: string): Record<string, string | string[]> {
  const $ = cheerio.load(html);
  const out: Record<string, string | string[]> = {};
  $("form[method=post]").last().find("input[name]").each((_i, el) => {
    const name = $(el).attr("name")!;
    const value = $(el).attr("value") ?? "";
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  });
  return out;
}

describe("3. the year from the template", () => {
  it("the head equal to the deputy is refused beside the field, keeping the choices", async () => {
    const { B, sec, agency, yearId } = await newBloc("agencies");
    const head = String(await agencyId(agency("vp-tu")));
    const res = await postForm(sec, `${B}/years/new`, `${B}/years/new`, { year: "2026", source: "template", headAgencyId: head, deputyAgencyId: head });
    expect(res.status).toBe(422);
    const $ = cheerio.load(res.text);
    expect($("#deputyAgencyId-error").text()).toContain("Phó Trưởng khối phải khác");
    expect($("#headAgencyId option[selected]").attr("value")).toBe(head);
    expect(await yearId(2026)).toBeUndefined();
  });

  it("a year of a bloc the secretariat may not read cannot be copied", async () => {
    const { B, sec, yearId } = await newBloc("agencies");
    const res = await postForm(sec, `${B}/years/new`, `${B}/years/new`, { year: "2026", source: `copy:${other.bloc}/2022` });
    expect(res.status).toBe(422);
    expect(cheerio.load(res.text)("#source-error").text()).toContain("Không tìm thấy năm thi đua để sao chép");
    expect(await yearId(2026)).toBeUndefined();
  });

  it("creates 2026 from the template: the 100 + 5 sheet, the rules, the movements, two periods dated in 2026, the members", async () => {
    const { B, Y, sec, agency, yearId } = await newBloc("agencies");
    const res = await postForm(sec, `${B}/years/new`, `${B}/years/new`, { year: "2026", source: "template", headAgencyId: String(await agencyId(agency("vp-tu"))), deputyAgencyId: String(await agencyId(agency("ban-to-chuc-tinh-uy"))) });
    expect([res.status, res.headers.location]).toEqual([303, `${Y}/setup`]);
    const id = (await yearId(2026))!;
    expect(await count("criteria", { year_id: id })).toBe(DEMO_CRITERIA.length);
    expect(await count("year_agencies", { year_id: id })).toBe(7);
    expect(await count("campaigns", { year_id: id })).toBeGreaterThan(0);
    const periods = await db("periods").where({ year_id: id }).orderBy("number").select("kind", "starts_on", "due_on");
    expect(periods.map((p) => [p.kind, String(p.starts_on).slice(0, 10), String(p.due_on).slice(0, 10)])).toEqual([
      ["six_month", "2026-01-01", "2026-06-15"],
      ["annual", "2026-06-01", "2026-12-15"],
    ]);
    const again = await postForm(sec, `${B}/years/new`, `${B}/years/new`, { year: "2026", source: "empty" });
    expect(again.status).toBe(422);
    expect(cheerio.load(again.text)("#year-error").text()).toContain("Năm 2026 đã có trong Khối");
  });

  it("an empty year has no periods, movements or criteria; the admin may copy any year", async () => {
    const { B, sec, yearId } = await newBloc("year");
    expect((await postForm(sec, `${B}/years/new`, `${B}/years/new`, { year: "2025", source: "empty" })).status).toBe(303);
    const empty = (await yearId(2025))!;
    expect([await count("periods", { year_id: empty }), await count("criteria", { year_id: empty }), await count("campaigns", { year_id: empty })]).toEqual([0, 0, 0]);
    const copy = await postForm(admin, `${B}/years/new`, `${B}/years/new`, { year: "2027", source: `copy:${other.bloc}/2022` });
    expect(copy.status).toBe(303);
    const id = (await yearId(2027))!;
    const p1 = await db("periods").where({ year_id: id, number: 1 }).first("title", "due_on", "data_from");
    expect([p1.title, String(p1.due_on).slice(0, 10), String(p1.data_from).slice(0, 10)]).toEqual(["Đợt 1 — Sơ kết thi đua 6 tháng đầu năm 2027", "2027-06-15", "2026-12-01"]);
    expect(await count("criteria", { year_id: id })).toBe(DEMO_CRITERIA.length);
    expect(await count("year_agencies", { year_id: id })).toBe(7);
    expect(await count("score_sheets", { year_id: id })).toBe(0);
  });
});

describe("4. periods: add, edit, remove", () => {
  const third = { kind: "other", title: "Đợt 3 — Thi đua cao điểm cuối năm", startsOn: "01/12/2026", endsOn: "31/12/2026", dataFrom: "01/12/2026", dataTo: "31/12/2026", dueOn: "05/01/2027", conferenceMonth: "" };

  it("dates overlapping another period, outside the year, or a data window ending before it starts are refused beside the field", async () => {
    const { Y, sec, yearId } = await newBloc("year");
    const cases: [Record<string, string>, string, string][] = [
      [{ startsOn: "01/05/2026" }, "startsOn", "trùng với"],
      [{ startsOn: "01/12/2025" }, "startsOn", "phải nằm trong năm 2026"],
      [{ dataFrom: "31/12/2026", dataTo: "01/12/2026" }, "dataTo", "Ngày kết thúc tính số liệu phải sau ngày bắt đầu"],
      [{ kind: "annual" }, "kind", "đã có một đợt thuộc loại này"],
    ];
    for (const [change, field, message] of cases) {
      const res = await postForm(sec, `${Y}/periods/new`, `${Y}/periods`, { ...third, ...change });
      expect([field, res.status]).toEqual([field, 422]);
      const $ = cheerio.load(res.text);
      expect($(`#${field}-error`).text()).toContain(message);
      expect($("#title").attr("value")).toBe(third.title);
    }
    expect(await count("periods", { year_id: (await yearId(2026))! })).toBe(2);
  });

  it("adds a third period, edits it, and removes it", async () => {
    const { Y, sec, yearId } = await newBloc("year");
    const res = await postForm(sec, `${Y}/periods/new`, `${Y}/periods`, third);
    expect([res.status, res.headers.location]).toEqual([303, `${Y}/periods/3`]);
    const edit = await postForm(sec, `${Y}/periods/3`, `${Y}/periods/3`, { ...third, kind: "quarter", title: "Quý IV" });
    expect(edit.status).toBe(303);
    expect((await db("periods").where({ year_id: (await yearId(2026))!, number: 3 }).first("kind")).kind).toBe("quarter");
    expect((await postForm(sec, `${Y}/periods/3`, `${Y}/periods/3/delete`, {})).status).toBe(303);
    expect(await count("periods", { year_id: (await yearId(2026))! })).toBe(2);
  });

  it("a period with a submitted report cannot be removed, and its page says why", async () => {
    const { Y, sec, agency, yearId } = await newBloc("year");
    const period = await db("periods").where({ year_id: (await yearId(2026))!, number: 1 }).first("id");
    await db("reports").insert({ period_id: period.id, agency_id: await agencyId(agency("vp-tu")), status: "submitted", submitted_at: "2026-06-10T09:00:00+07:00", submitted_on: "2026-06-10" });
    expect(text((await sec.get(`${Y}/periods/1`)).text)).toContain("Không thể xóa đợt này vì đã có cơ quan, đơn vị gửi báo cáo");
    const res = await postForm(sec, `${Y}/setup`, `${Y}/periods/1/delete`, {});
    expect(res.status).toBe(409);
    expect(await count("periods", { id: period.id })).toBe(1);
  });
});

describe("5. clerk accounts in one step, and the clerk's first login", () => {
  it("creates one clerk account per member agency with a one-time password, shown once on a printable sheet", async () => {
    const bloc = await newBloc("year");
    const { B, sec } = bloc;
    expect(text((await sec.get(`${B}/clerk-accounts`)).text)).toContain("Chưa có");
    const res = await postForm(sec, `${B}/clerk-accounts`, `${B}/clerk-accounts`, {});
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const sheet = res.text;
    const $ = cheerio.load(sheet);
    expect($("code.one-time-password")).toHaveLength(7);
    expect(text(sheet)).toContain("http://127.0.0.1");
    expect(await clerksToChange(bloc)).toBe(7);
    // Nothing in clear in the database or the audit log.
    const password = $("code.one-time-password").first().text();
    expect(JSON.stringify(await db("audit_log").select("after"))).not.toContain(password);
    const again = await postForm(sec, `${B}/clerk-accounts`, `${B}/clerk-accounts`, {});
    expect(cheerio.load(again.text)("code.one-time-password")).toHaveLength(0);
    expect(await clerksToChange(bloc)).toBe(7);
  });

  it("the clerk must change the one-time password before anything else, then submits the registration", async () => {
    const bloc = await newBloc("year");
    const { Y, sec } = bloc;
    const $ = cheerio.load(await createClerkAccounts(bloc));
    const row = $("table.credentials tbody tr").filter((_i, tr) => $(tr).text().includes("Báo Tuyên Quang")).first();
    const [username, password] = row.find("code").map((_i, c) => $(c).text()).get();
    expect(username).toBe(`canbo.${bloc.agency("bao-tuyen-quang")}`);
    const clerk = await loginAs(app, username!, password);
    expect((await clerk.get("/")).headers.location).toBe("/account/password");
    const forced = await clerk.get("/account/password");
    expect(text(forced.text)).toContain("mật khẩu dùng một lần");
    expect((await postForm(clerk, "/account/password", "/account/password", { currentPassword: password!, newPassword: "Bao-TQ-mat-khau-moi", confirmPassword: "Bao-TQ-mat-khau-moi" })).status).toBe(303);
    const home = text((await clerk.get("/")).text);
    expect(home).toContain("Báo Tuyên Quang");
    expect(home).toContain("năm 2026");
    const reg = `${Y}/registration/${bloc.agency("bao-tuyen-quang")}`;
    const res = await postForm(clerk, reg, reg, { action: "submit", titles: "Tập thể lao động xuất sắc", targets: "Hoàn thành 100% chỉ tiêu tuyên truyền.", signerName: "Nguyễn Văn A", signerPosition: "Tổng Biên tập" });
    expect(res.status).toBe(303);
    const dash = cheerio.load((await sec.get(`${Y}/dashboard`)).text);
    expect(dash(`tr[data-agency="${bloc.agency("bao-tuyen-quang")}"] td`).first().text()).toContain("Đã gửi");
  });

  // About the demo's seeded accounts, not a new bloc: on a demo database of its own.
  describe("the demo's accounts", () => {
    const demo = useTestPortal({ data: "demo-2022-open" });

    it("demo accounts are never forced to change their password", async () => {
      const clerk = await demo.login("canbo.congan");
      expect((await clerk.get("/")).status).toBe(200);
    });
  });

  it("another bloc's secretariat cannot reach this bloc's clerks or years (404); anonymous visitors log in first", async () => {
    const { B } = await newBloc("year");
    const otherSec = await loginAs(app, other.secretariat);
    expect((await otherSec.get(`${B}/clerk-accounts`)).status).toBe(404);
    expect((await postForm(otherSec, "/", `${B}/clerk-accounts`, {})).status).toBe(404);
    expect((await postForm(otherSec, "/", `${B}/years/new`, { year: "2030", source: "empty" })).status).toBe(404);
    const anon = request.agent(app);
    expect((await anon.get(`${B}/clerk-accounts`)).status).toBe(303);
  });
});

describe("6. agencies from an .xlsx", () => {
  const upload = async ({ B, sec }: TestBloc, file: Buffer, name: string) => {
    const page = await sec.get(`${B}/agencies/bulk`);
    return sec.post(`${B}/agencies/bulk/upload`).field("_csrf", csrfFrom(page.text)).field("joinedYear", "2026").attach("file", file, name);
  };

  it("reads name, short name and code from the first sheet (header row skipped) into the same preview", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Danh sách");
    sheet.addRows([["Tên cơ quan, đơn vị", "Tên viết tắt", "Mã"], ["Trường Chính trị tỉnh", "Trường Chính trị", ""], ["Đảng ủy Khối cơ quan tỉnh", "ĐUK", "duk"]]);
    const res = await upload(await newBloc("secretariat"), Buffer.from(await book.xlsx.writeBuffer()), "danh-sach.xlsx");
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($("input[name=name]").map((_i, el) => $(el).attr("value")).get()).toEqual(["Trường Chính trị tỉnh", "Đảng ủy Khối cơ quan tỉnh"]);
    expect($("input[name=code]").map((_i, el) => $(el).attr("value")).get()).toEqual(["truong-chinh-tri-tinh", "duk"]);
  });

  it("a file that is not an .xlsx is refused beside the file field, and nothing is saved", async () => {
    const bloc = await newBloc("secretariat");
    const before = await count("agencies");
    const res = await upload(bloc, Buffer.from("Tên;Mã\nSở Nội vụ;snv\n"), "danh-sach.xlsx");
    expect(res.status).toBe(422);
    expect(cheerio.load(res.text)("#file-error").text()).toContain("không phải bảng tính Excel (.xlsx)");
    expect(await count("agencies")).toBe(before);
  });
});

describe("7. picking agencies that already exist, and passwords reset by someone else", () => {
  it("an agency of another bloc joins this one and the open years from the year given", async () => {
    const { B, sec, yearId } = await newBloc("year");
    expect((await postForm(sec, `${B}/years/new`, `${B}/years/new`, { year: "2025", source: "empty" })).status).toBe(303);
    const joining = String(other.agencies[3]!.id);
    const preview = await postForm(sec, `${B}/agencies/bulk`, `${B}/agencies/bulk`, { list: "", existingIds: joining, joinedYear: "2026" });
    expect(preview.status).toBe(200);
    const saved = await sec.post(`${B}/agencies/bulk`).type("form").send(fieldsOf(preview.text));
    expect(saved.status).toBe(303);
    const y26 = (await yearId(2026))!;
    expect(await count("year_agencies", { year_id: y26, agency_id: Number(joining) })).toBe(1);
    expect(await count("year_agencies", { year_id: (await yearId(2025))!, agency_id: Number(joining) })).toBe(0);
    const again = await sec.post(`${B}/agencies/bulk`).type("form").send(fieldsOf(preview.text));
    expect(again.status).toBe(422);
    expect(cheerio.load(again.text)("#existingIds-error").text()).toContain("không còn chọn được");
  });

  it("an account whose password the admin reset must change it at its next login", async () => {
    // A clerk account that signs in freely: the reset, not a one-time password, makes it change.
    const bloc = await newBloc("agencies");
    const username = `canbo.${bloc.agency("vp-tu")}`;
    const id = await addAccount(db, { username, role: "clerk", agency: bloc.agency("vp-tu") });
    expect((await (await loginAs(app, username)).get("/")).status).toBe(200);
    expect((await postForm(admin, `/admin/users/${id}`, `/admin/users/${id}/password`, { password: "Dat-lai-boi-quan-tri" })).status).toBe(303);
    const clerk = await loginAs(app, username, "Dat-lai-boi-quan-tri");
    expect((await clerk.get("/")).headers.location).toBe("/account/password");
  });
});
