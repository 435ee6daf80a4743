import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, postForm, type Agent } from "./http.js";
import { addMemberAgency, addSheet, newYear, type TestYear } from "./factories.js";
import type { Database } from "../src/db/database.js";

let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;
let sec: Agent;
let leader: Agent;
let clerk: Agent;
let other: Agent;
/**
 * The file's bloc and its 2022 (from the template), in progress: one member's score sheet is
 * submitted, so the year's criteria and rules may no longer change. Its 2023 is made by `nextYear`.
 */
let y: TestYear;

const Y22 = () => y.Y;
const Y23 = () => `${y.B}/years/2023`;

const yearRow = (year: number, bloc = y.bloc) => db("emulation_years as y").join("blocs as b", "b.id", "y.bloc_id").where({ "b.code": bloc, "y.year": year }).first("y.*");

/** The secretariat creates 2023 from 2022 with the "next year" form. */
const createNextYear = (secretariat: Agent, year: TestYear) => postForm(secretariat, `${year.Y}/setup`, `${year.Y}/next-year`, {});

/**
 * The file's 2023, created from 2022 by the secretariat if no test has yet: the tests that set up a
 * fresh year work on it (each on its own movement, period, criterion or rules; the creation itself
 * is checked on a year of its own).
 */
async function nextYear() {
  if (await yearRow(2023)) return;
  expect((await createNextYear(sec, y)).status).toBe(303);
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  y = await newYear(db, { year: 2022, agencies: 4 });
  await addSheet(db, y, { agency: y.agencies[2]!, status: "submitted" });
  // Another bloc, whose secretariat has no right over the file's.
  const elsewhere = await newYear(db, { year: 2022, agencies: 2 });
  app = createTestApp(db);
  sec = await loginAs(app, y.secretariat);
  leader = await loginAs(app, y.leader);
  clerk = await loginAs(app, y.agencies[1]!.clerk);
  other = await loginAs(app, elsewhere.secretariat);
});
afterAll(() => database.close());

describe("year setup: access", () => {
  const pages = () => ["/setup", "/agencies", `${Y22()}/campaigns`, `${Y22()}/periods/1`, `${Y22()}/criteria`, `${Y22()}/rules`, `${y.B}/agencies`];
  it("leader reads every page (200) but may not post (403)", async () => {
    const before = (await yearRow(2022)).plan_number;
    expect((await leader.get(`${Y22()}/setup`)).status).toBe(200);
    for (const url of pages().slice(2)) expect([url, (await leader.get(url)).status]).toEqual([url, 200]);
    for (const url of [`${Y22()}/setup`, `${Y22()}/rules`, `${Y22()}/periods/1/lock`, `${Y22()}/campaigns`, `${y.B}/agencies/${y.agencies[1]!.code}`, `${Y22()}/next-year`]) {
      expect([url, (await postForm(leader, "/", url, { planNumber: "x", name: "x", shortName: "x" })).status]).toEqual([url, 403]);
    }
    expect((await yearRow(2022)).plan_number).toBe(before);
  });
  it("clerk is refused (403); a secretariat of another bloc gets 404", async () => {
    for (const url of [`${Y22()}/setup`, ...pages().slice(2)]) {
      expect([url, (await clerk.get(url)).status]).toEqual([url, 403]);
      expect([url, (await other.get(url)).status]).toEqual([url, 404]);
    }
    expect((await postForm(other, "/", `${Y22()}/setup`, { planNumber: "x" })).status).toBe(404);
  });
  it("menu links redirect to the latest year's setup page and to the bloc's agencies", async () => {
    const page = await sec.get("/");
    expect(page.text).toContain("Thiết lập năm");
    expect(page.text).toContain("Cơ quan, đơn vị");
    expect((await sec.get("/setup")).headers.location).toMatch(new RegExp(`^${y.B}/years/20\\d\\d/setup$`));
    expect((await sec.get("/agencies")).headers.location).toBe(`${y.B}/agencies`);
  });
});

describe("year setup: the year", () => {
  // The year's head and deputy as they are; the plan's fields new.
  const valid = () => ({
    planNumber: "02/KH-KTĐNC",
    planDate: "20/01/2022",
    planSignerName: "Đại tá Hà Đình Khiêm",
    planSignerPosition: "Chính ủy",
    theme: "Chủ đề mới",
    headAgencyId: String(y.agencies[0]!.id),
    deputyAgencyId: String(y.agencies[1]!.id),
    registrationDueOn: "28/02/2022",
  });
  it("saves the year's fields", async () => {
    const res = await postForm(sec, `${Y22()}/setup`, `${Y22()}/setup`, valid());
    expect(res.status).toBe(303);
    const row = await yearRow(2022);
    expect([row.plan_number, row.plan_date, row.theme]).toEqual(["02/KH-KTĐNC", "2022-01-20", "Chủ đề mới"]);
    const page = await sec.get(`${Y22()}/setup`);
    expect(page.text).toContain("20/01/2022");
  });
  it("refuses an impossible date and head = deputy, keeping the typed input and saving nothing", async () => {
    const before = (await yearRow(2022)).plan_number;
    const res = await postForm(sec, `${Y22()}/setup`, `${Y22()}/setup`, { ...valid(), planNumber: "99/KH", planDate: "31/02/2022" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Ngày kế hoạch không phải ngày hợp lệ (dd/mm/yyyy).");
    expect(res.text).toContain('value="31/02/2022"');
    expect(res.text).toContain('value="99/KH"');
    const same = await postForm(sec, `${Y22()}/setup`, `${Y22()}/setup`, { ...valid(), planNumber: "98/KH", deputyAgencyId: String(y.agencies[0]!.id) });
    expect(same.status).toBe(422);
    expect(same.text).toContain("Phó Trưởng khối phải khác cơ quan Trưởng khối.");
    expect((await yearRow(2022)).plan_number).toBe(before);
  });
});

describe("year setup: create the next year", () => {
  it("copies agencies, movements, periods (+1 year), criteria and rules; refuses a second time", async () => {
    // A 2022 of its own (from the template: its first period runs 01/01–31/05/2022, data from 01/12/2021,
    // due 15/06/2022, conference 07/2022; item 1.1 of group I is worth 40), where no test has created 2023 yet.
    const own = await newYear(db, { year: 2022, agencies: 3 });
    const sec = await loginAs(app, own.secretariat);
    expect(await yearRow(2023, own.bloc)).toBeUndefined();
    const res = await createNextYear(sec, own);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${own.B}/years/2023/setup`);
    const [y22, y23] = [await yearRow(2022, own.bloc), await yearRow(2023, own.bloc)];
    expect(y23.rules).toEqual(y22.rules);
    expect(y23.registration_due_on).toBe("2023-02-28");
    const count = async (table: string, id: number) => Number((await db(table).where({ year_id: id }).count({ n: "*" }))[0]!.n);
    for (const t of ["year_agencies", "campaigns", "periods", "criteria"]) expect([t, await count(t, y23.id)]).toEqual([t, await count(t, y22.id)]);
    expect(await count("year_agencies", y23.id)).toBe(own.agencies.length);
    const p1 = await db("periods").where({ year_id: y23.id, number: 1 }).first();
    expect([p1.starts_on, p1.ends_on, p1.data_from, p1.data_to, p1.due_on, p1.conference_month, p1.locked]).toEqual(["2023-01-01", "2023-05-31", "2022-12-01", "2023-05-31", "2023-06-15", "2023-07", false]);
    expect(p1.title).toContain("2023");
    const item = await db("criteria as c").join("criteria as g", "g.id", "c.parent_id").where({ "c.year_id": y23.id, "c.code": "1.1" }).first("g.code as group", "c.max_points");
    expect(item).toEqual({ group: "I", max_points: "40.00" });
    const again = await createNextYear(sec, own);
    expect(again.status).toBe(409);
    expect(again.text).toContain("Năm 2023 đã có");
  });
});

describe("year setup: movements", () => {
  it("adds, edits and deletes a movement; refuses a missing title", async () => {
    await nextYear();
    const list = await sec.get(`${Y23()}/campaigns`);
    expect(list.status).toBe(200);
    expect(list.text).toContain("Chung sức xây dựng nông thôn mới"); // 2022's movement PT2, copied
    const bad = await postForm(sec, `${Y23()}/campaigns/new`, `${Y23()}/campaigns`, { kind: "other", code: "PT9", title: "", startsOn: "01/03/2023", sortOrder: "9" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Vui lòng nhập tên phong trào.");
    expect(bad.text).toContain('value="01/03/2023"');
    const ok = await postForm(sec, `${Y23()}/campaigns/new`, `${Y23()}/campaigns`, { kind: "other", code: "PT9", title: "Phong trào mới", startsOn: "01/03/2023", endsOn: "30/06/2023", sortOrder: "9" });
    expect(ok.status).toBe(303);
    const y = await yearRow(2023);
    const c = await db("campaigns").where({ year_id: y.id, code: "PT9" }).first();
    expect([c.title, c.starts_on, c.ends_on]).toEqual(["Phong trào mới", "2023-03-01", "2023-06-30"]);
    const edit = await postForm(sec, `${Y23()}/campaigns/${c.id}`, `${Y23()}/campaigns/${c.id}`, { kind: "covid19", code: "PT9", title: "Đổi tên", sortOrder: "9" });
    expect(edit.status).toBe(303);
    expect((await db("campaigns").where({ id: c.id }).first()).kind).toBe("covid19");
    expect((await postForm(sec, `${Y23()}/campaigns`, `${Y23()}/campaigns/${c.id}/delete`, {})).status).toBe(303);
    expect(await db("campaigns").where({ id: c.id }).first()).toBeUndefined();
  });
});

describe("year setup: periods", () => {
  const valid = { kind: "six_month", title: "Đợt 1 năm 2023", startsOn: "01/01/2023", endsOn: "31/05/2023", dataFrom: "01/12/2022", dataTo: "31/05/2023", dueOn: "20/06/2023", conferenceMonth: "07/2023" };
  it("edits a period; refuses a reversed data window; locks and unlocks", async () => {
    await nextYear();
    const bad = await postForm(sec, `${Y23()}/periods/1`, `${Y23()}/periods/1`, { ...valid, dataFrom: "31/05/2023", dataTo: "01/12/2022" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Ngày kết thúc tính số liệu phải sau ngày bắt đầu.");
    expect(bad.text).toContain('value="31/05/2023"');
    const ok = await postForm(sec, `${Y23()}/periods/1`, `${Y23()}/periods/1`, valid);
    expect(ok.status).toBe(303);
    const y = await yearRow(2023);
    const p = await db("periods").where({ year_id: y.id, number: 1 }).first();
    expect([p.due_on, p.conference_month]).toEqual(["2023-06-20", "2023-07"]);
    expect((await postForm(sec, `${Y23()}/periods/1`, `${Y23()}/periods/1/lock`, {})).status).toBe(303);
    expect((await db("periods").where({ id: p.id }).first()).locked).toBe(true);
    expect((await sec.get(`${Y23()}/periods/1`)).text).toContain("Mở khóa đợt");
    expect((await postForm(sec, `${Y23()}/periods/1`, `${Y23()}/periods/1/unlock`, {})).status).toBe(303);
    expect((await db("periods").where({ id: p.id }).first()).locked).toBe(false);
  });
  it("adds an extension only with a reason, and removes it", async () => {
    await nextYear();
    const agency = String(y.agencies[3]!.id);
    const bad = await postForm(sec, `${Y23()}/periods/2`, `${Y23()}/periods/2/extensions`, { agencyId: agency, dueOn: "25/12/2023", reason: "" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Vui lòng nhập lý do gia hạn.");
    expect(bad.text).toContain('value="25/12/2023"');
    const period = (await db("periods").where({ year_id: (await yearRow(2023)).id, number: 2 }).first("id")).id;
    const extensions = () => db("period_extensions").where({ period_id: period });
    expect(await extensions()).toEqual([]);
    const ok = await postForm(sec, `${Y23()}/periods/2`, `${Y23()}/periods/2/extensions`, { agencyId: agency, dueOn: "25/12/2023", reason: "Đơn vị tổ chức đại hội" });
    expect(ok.status).toBe(303);
    const ext = await extensions().first();
    expect([ext.due_on, ext.reason]).toEqual(["2023-12-25", "Đơn vị tổ chức đại hội"]);
    expect((await sec.get(`${Y23()}/periods/2`)).text).toContain("Đơn vị tổ chức đại hội");
    expect((await postForm(sec, `${Y23()}/periods/2`, `${Y23()}/periods/2/extensions/${ext.id}/delete`, {})).status).toBe(303);
    expect(await extensions().first()).toBeUndefined();
  });
});

describe("year setup: criteria", () => {
  it("refuses every change once a score sheet of the year is submitted (the file's 2022)", async () => {
    const page = await sec.get(`${Y22()}/criteria`);
    expect(page.text).toContain("không thể thay đổi bộ tiêu chí");
    const y = await yearRow(2022);
    const item = await db("criteria").where({ year_id: y.id, code: "1.1" }).first();
    const res = await postForm(sec, `${Y22()}/criteria`, `${Y22()}/criteria/${item.id}`, { parentId: String(item.parent_id), code: "1.1", title: "x", kind: "standard", maxPoints: "39", sortOrder: "1" });
    expect(res.status).toBe(409);
    expect(res.text).toContain("không thể thay đổi bộ tiêu chí");
    expect((await postForm(sec, `${Y22()}/criteria`, `${Y22()}/criteria/${item.id}/delete`, {})).status).toBe(409);
    expect((await db("criteria").where({ id: item.id }).first()).max_points).toBe("40.00");
  });
  it("adds, edits and deletes criteria of a fresh year; shows the scale check; refuses max 'abc'", async () => {
    await nextYear();
    const page = await sec.get(`${Y23()}/criteria`);
    expect(page.text).toContain("khớp với thang điểm");
    const y = await yearRow(2023);
    const group = await db("criteria").where({ year_id: y.id, code: "I" }).first();
    const bad = await postForm(sec, `${Y23()}/criteria`, `${Y23()}/criteria`, { parentId: String(group.id), code: "1.4", title: "Tiêu chí mới", kind: "standard", maxPoints: "abc", sortOrder: "4" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Điểm tối đa phải là số");
    expect(bad.text).toContain('value="abc"');
    expect(await db("criteria").where({ year_id: y.id, code: "1.4" }).first()).toBeUndefined();
    const ok = await postForm(sec, `${Y23()}/criteria`, `${Y23()}/criteria`, { parentId: String(group.id), code: "1.4", title: "Tiêu chí mới", kind: "standard", maxPoints: "2,5", sortOrder: "4" });
    expect(ok.status).toBe(303);
    const c = await db("criteria").where({ year_id: y.id, code: "1.4" }).first();
    expect(c.max_points).toBe("2.50");
    expect((await sec.get(`${Y23()}/criteria`)).text).toContain("CHƯA khớp với thang điểm");
    const edit = await postForm(sec, `${Y23()}/criteria/${c.id}`, `${Y23()}/criteria/${c.id}`, { parentId: String(group.id), code: "1.4", title: "Tiêu chí đã sửa", kind: "standard", maxPoints: "3", sortOrder: "4" });
    expect(edit.status).toBe(303);
    expect((await db("criteria").where({ id: c.id }).first()).title).toBe("Tiêu chí đã sửa");
    expect((await postForm(sec, `${Y23()}/criteria`, `${Y23()}/criteria/${c.id}/delete`, {})).status).toBe(303);
    expect(await db("criteria").where({ id: c.id }).first()).toBeUndefined();
  });
});

describe("year setup: rules", () => {
  const form = {
    scale: "100", bonusCap: "6,5", thresholdExcellent: "95", thresholdGood: "80", thresholdPass: "50", disciplineCap: "pass",
    flagQuota: "1", flagMinClassification: "excellent", flagNumerator: "2", flagDenominator: "3", flagInclusive: "1",
    meritQuota: "2", meritMinClassification: "good", meritNumerator: "1", meritDenominator: "2",
    allowSelfVote: "1", lateReportPoints: "1", requiredReviewed: "1",
  };
  it("saves the rules of a fresh year; refuses bad thresholds; refuses once sheets are submitted", async () => {
    await nextYear();
    expect((await sec.get(`${Y23()}/rules`)).status).toBe(200);
    const bad = await postForm(sec, `${Y23()}/rules`, `${Y23()}/rules`, { ...form, thresholdGood: "97" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('value="97"');
    const ok = await postForm(sec, `${Y23()}/rules`, `${Y23()}/rules`, form);
    expect(ok.status).toBe(303);
    const rules = (await yearRow(2023)).rules;
    expect([rules.bonusCap, rules.merit.inclusive, rules.flag.inclusive]).toEqual([6.5, false, true]);
    const locked = await postForm(sec, `${Y22()}/rules`, `${Y22()}/rules`, form);
    expect(locked.status).toBe(409);
    expect((await yearRow(2022)).rules.bonusCap).toBe(5);
  });
});

describe("agencies of the bloc", () => {
  /** Members of the file's bloc from 2022, in an order neither Vietnamese nor the code points' (Đ and Ủ sort after V by code point). */
  const MEMBERS = [
    { code: "vks", name: "Viện kiểm sát nhân dân tỉnh Tuyên Quang" },
    { code: "daipt", name: "Đài Phát thanh và Truyền hình tỉnh" },
    { code: "bchqs", name: "Bộ Chỉ huy Quân sự tỉnh Tuyên Quang" },
    { code: "mttq", name: "Ủy ban Mặt trận Tổ quốc tỉnh" },
    { code: "congan", name: "Công an tỉnh Tuyên Quang" },
    { code: "bandt", name: "Ban Dân tộc tỉnh" },
    { code: "thads", name: "Cục Thi hành án dân sự tỉnh Tuyên Quang" },
  ];
  const VIETNAMESE_ORDER = ["Ban Dân tộc", "Bộ Chỉ huy Quân sự", "Công an tỉnh", "Cục Thi hành án", "Đài Phát thanh", "Ủy ban Mặt trận", "Viện kiểm sát"];

  it("lists in Vietnamese order, adds, renames without changing past years, leaves from a year", async () => {
    for (const m of MEMBERS) await addMemberAgency(db, { bloc: y.bloc, code: m.code, name: m.name, year: 2022, by: y.secretariat });
    const A = `${y.B}/agencies`;
    const list = await sec.get(A);
    expect(list.status).toBe(200);
    const order = VIETNAMESE_ORDER.map((n) => list.text.indexOf(n));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const bad = await postForm(sec, `${A}/new`, A, { code: "congan", name: "Trùng mã", shortName: "X", joinedYear: "2023" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Mã này đã được dùng");
    const add = await postForm(sec, `${A}/new`, A, { code: "bhxh", name: "Bảo hiểm xã hội tỉnh Tuyên Quang", shortName: "BHXH tỉnh", headPosition: "Giám đốc", joinedYear: "2024" });
    expect(add.status).toBe(303);
    expect((await sec.get(A)).text).toContain("Bảo hiểm xã hội tỉnh Tuyên Quang");
    const rename = await postForm(sec, `${A}/congan`, `${A}/congan`, { name: "Công an tỉnh (tên mới)", shortName: "CA tỉnh", headName: "", headPosition: "Giám đốc" });
    expect(rename.status).toBe(303);
    expect((await sec.get(A)).text).toContain("Công an tỉnh (tên mới)");
    const past = await sec.get(`${Y22()}/setup`);
    expect(past.text).toContain("Công an tỉnh Tuyên Quang");
    expect(past.text).not.toContain("Công an tỉnh (tên mới)");
    const leave = await postForm(sec, `${A}/thads`, `${A}/thads/leave`, { year: "2025" });
    expect(leave.status).toBe(303);
    const thads = (await db("agencies").where({ code: "thads" }).first("id")).id;
    const m = await db("bloc_memberships").where({ agency_id: thads }).first();
    expect(m.left_year).toBe(2024);
    const badLeave = await postForm(sec, `${A}/thads`, `${A}/thads/join`, { year: "20x" });
    expect(badLeave.status).toBe(422);
    expect(badLeave.text).toContain("Năm gồm 4 chữ số");
    const congan = (await db("agencies").where({ code: "congan" }).first("id")).id;
    const audit = await db("audit_log").where({ action: "agency.update", entity: "agency", entity_id: String(congan) }).first();
    expect(audit.before.name).toBe("Công an tỉnh Tuyên Quang");
  });
});
