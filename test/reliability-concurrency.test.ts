import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { browserFormFields, createTestApp, csrfFrom, loginAs, type Agent } from "./http.js";
import { addMemberAgency } from "./factories.js";
import type { Database } from "../src/db/database.js";

// Optimistic concurrency on the score sheet (clerk and secretariat) and the ballots form.
// Runs on both engines (PGlite and PostgreSQL).

const BASE = "/blocs/noichinh-tq/years/2022";
const sheetUrl = (agency: string) => `${BASE}/sheets/${agency}`;
const NOW = new Date("2022-12-14T10:00:00+07:00");

let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;
let ids: Record<string, number>;

beforeAll(async () => {
  database = await createTestDatabase("demo-2022-open");
  db = database.knex;
  app = createTestApp(db, { now: () => NOW });
  const rows: { id: number; code: string }[] = await db("criteria").select("id", "code");
  ids = Object.fromEntries(rows.map((r) => [r.code, r.id]));
});
afterAll(() => database.close());

/** The page's form fields a browser would send: CSRF token and hidden version. */
function hidden(html: string): Record<string, string> {
  const version = /name="version" value="(\d*)"/.exec(html)?.[1];
  if (version === undefined) throw new Error("no version field on the page");
  return { _csrf: csrfFrom(html), version };
}

function fullForm(overrides: Record<string, string> = {}): Record<string, string> {
  const max: Record<string, string> = {
    "1.1": "40", "1.2": "10", "1.3": "10", "2.1": "5", "2.2": "5", "2.3": "5", "3.1": "5", "3.2": "3", "3.3": "3", "3.4": "4",
    "4.1": "3", "4.2": "4", "4.3": "3", "5.1": "0", "5.2": "0", "6.2": "0", "6.3": "0",
  };
  const body: Record<string, string> = {};
  for (const [code, value] of Object.entries({ ...max, ...overrides })) body[`p_${ids[code]}`] = value;
  return body;
}

const sheetOf = (agency: string) =>
  db("score_sheets as s").join("agencies as a", "a.id", "s.agency_id").where("a.code", agency).first("s.id", "s.status", "s.version", "s.submitted_at");
const entry = async (agency: string, code: string) =>
  db("score_entries as e")
    .join("score_sheets as s", "s.id", "e.sheet_id")
    .join("agencies as a", "a.id", "s.agency_id")
    .where({ "a.code": agency, "e.criterion_id": ids[code] })
    .first("e.self_points", "e.bloc_points", "e.bloc_reason");

let newAgencies = 0;
/** A new member agency of 2022 whose clerk has saved a draft of its score sheet; its code and signed-in clerk. */
async function agencyWithDraft(): Promise<{ code: string; clerk: Agent }> {
  const n = ++newAgencies;
  const agency = await addMemberAgency(db, { bloc: "noichinh-tq", code: `moi${n}`, name: `Cơ quan mới ${n} tỉnh Tuyên Quang`, year: 2022 });
  const clerk = await loginAs(app, agency.clerk);
  const page = await clerk.get(sheetUrl(agency.code));
  const saved = await clerk.post(sheetUrl(agency.code)).type("form").send({ ...hidden(page.text), action: "save", ...fullForm({ "1.1": "31" }) });
  expect(saved.status).toBe(303);
  expect((await sheetOf(agency.code)).status).toBe("draft");
  return { code: agency.code, clerk };
}
const auditCount = (action: string) => db("audit_log").where({ action }).count<{ n: string | number }[]>("* as n").then((r) => Number(r[0]!.n));

describe("score sheet: the clerk's form", () => {
  let clerk: Agent;
  beforeAll(async () => {
    clerk = await loginAs(app, "canbo.thads");
  });

  it("when two windows save the same draft, then the second is refused with who/when and both values, its input kept, nothing saved", async () => {
    const pageA = await clerk.get(sheetUrl("thads"));
    const pageB = await clerk.get(sheetUrl("thads"));
    expect(pageA.text).toContain('name="version"');
    const first = await clerk.post(sheetUrl("thads")).type("form").send({ ...hidden(pageA.text), action: "save", ...fullForm({ "1.1": "31" }) });
    expect(first.status).toBe(303);
    const after = await sheetOf("thads");

    const second = await clerk.post(sheetUrl("thads")).type("form").send({ ...hidden(pageB.text), action: "save", ...fullForm({ "1.1": "22,5" }) });
    expect(second.status).toBe(409);
    expect(second.text).toContain("Chưa lưu được");
    expect(second.text).toMatch(/đã được .+ thay đổi lúc \d{2}\/\d{2}\/\d{4}/);
    // The changed field: the current value beside the typed one, and the typed value kept in the form.
    expect(second.text).toContain("Điểm tự chấm 1.1");
    expect(second.text).toContain("<td>31</td>");
    expect(second.text).toContain("<td>22,5</td>");
    expect(second.text).toContain(`value="22,5"`);
    // Nothing saved.
    expect(Number((await entry("thads", "1.1")).self_points)).toBe(31);
    expect((await sheetOf("thads")).version).toBe(after.version);
  });

  it("when the submit button is double-clicked, then exactly one submission is made", async () => {
    // A draft of the test's own: thads's stays a draft for the test above.
    const { code, clerk } = await agencyWithDraft();
    const page = await clerk.get(sheetUrl(code));
    const body = { ...hidden(page.text), action: "submit", ...fullForm() };
    const before = await auditCount("score_sheet.submit");
    const first = await clerk.post(sheetUrl(code)).type("form").send(body);
    const second = await clerk.post(sheetUrl(code)).type("form").send(body);
    expect(first.status).toBe(303);
    expect(second.status).toBe(409);
    expect(second.text).toContain("Chưa lưu được");
    const sheet = await sheetOf(code);
    expect(sheet.status).toBe("submitted");
    expect(await auditCount("score_sheet.submit")).toBe(before + 1);
  });

  it("when two submits of a new sheet race, then exactly one succeeds", async () => {
    // toaan's sheet is removed so both requests start from "no sheet yet" (empty version).
    const toaanClerk = await loginAs(app, "canbo.toaan");
    await db("score_sheets").whereIn("agency_id", db("agencies").where({ code: "toaan" }).select("id")).del();
    const page = await toaanClerk.get(sheetUrl("toaan"));
    expect(hidden(page.text).version).toBe("");
    const body = { ...hidden(page.text), action: "submit", ...fullForm() };
    const results = await Promise.all([
      toaanClerk.post(sheetUrl("toaan")).type("form").send(body),
      toaanClerk.post(sheetUrl("toaan")).type("form").send(body),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    const sheets = await db("score_sheets as s").join("agencies as a", "a.id", "s.agency_id").where("a.code", "toaan").select("s.status");
    expect(sheets).toEqual([{ status: "submitted" }]);
  });
});

describe("score sheet: the secretariat's review", () => {
  it("when the review form is stale, then it is refused with the current values, nothing saved", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const pageA = await sec.get(sheetUrl("thanhtra"));
    const pageB = await sec.get(sheetUrl("thanhtra"));
    const first = await sec.post(sheetUrl("thanhtra")).type("form").send({
      ...hidden(pageA.text), ...browserFormFields(pageA.text, sheetUrl("thanhtra")), action: "save", [`b_${ids["1.2"]}`]: "8", [`r_${ids["1.2"]}`]: "Chưa đủ hồ sơ.",
    });
    expect(first.status).toBe(303);
    const second = await sec.post(sheetUrl("thanhtra")).type("form").send({
      ...hidden(pageB.text), ...browserFormFields(pageB.text, sheetUrl("thanhtra")), action: "reviewed", [`b_${ids["1.2"]}`]: "7", [`r_${ids["1.2"]}`]: "Thiếu minh chứng 🙂",
    });
    expect(second.status).toBe(409);
    expect(second.text).toMatch(/đã được .+ thay đổi lúc/);
    expect(second.text).toContain("Điểm Khối chấm 1.2");
    expect(second.text).toContain("Thiếu minh chứng 🙂");
    const e = await entry("thanhtra", "1.2");
    expect(Number(e.bloc_points)).toBe(8);
    expect(e.bloc_reason).toBe("Chưa đủ hồ sơ.");
    expect((await sheetOf("thanhtra")).status).toBe("submitted");
  });
});

describe("ballots form", () => {
  it("when two windows record the ballots, then the second is refused with what changed, nothing saved", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const pageA = await sec.get(`${BASE}/ballots`);
    const pageB = await sec.get(`${BASE}/ballots`);
    const first = await sec.post(`${BASE}/ballots`).type("form").send({ ...hidden(pageA.text), held_on: "11/01/2023", place: "Hội trường A", valid_ballots: "7" });
    expect(first.status).toBe(303);
    const second = await sec.post(`${BASE}/ballots`).type("form").send({ ...hidden(pageB.text), held_on: "12/01/2023", place: "Hội trường B", valid_ballots: "7" });
    expect(second.status).toBe(409);
    expect(second.text).toMatch(/kết quả bỏ phiếu đã được .+ thay đổi lúc \d{2}\/\d{2}\/\d{4}/);
    expect(second.text).toContain("<td>Hội trường A</td>");
    expect(second.text).toContain("<td>Hội trường B</td>");
    expect(second.text).toContain('value="Hội trường B"');
    const meeting = await db("ballot_meetings").first("place", "held_on", "version");
    expect(meeting.place).toBe("Hội trường A");
    // A fresh page saves normally.
    const fresh = await sec.get(`${BASE}/ballots`);
    const third = await sec.post(`${BASE}/ballots`).type("form").send({ ...hidden(fresh.text), held_on: "12/01/2023", place: "Hội trường B", valid_ballots: "7" });
    expect(third.status).toBe(303);
    expect((await db("ballot_meetings").first("place")).place).toBe("Hội trường B");
  });
});
