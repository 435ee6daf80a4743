import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, postForm } from "./http.js";
import {
  addAccount,
  addMemberAgency,
  addRankedMembers,
  addRegistration,
  addReport,
  addSheet,
  adminAccount,
  extendDeadline,
  newYear,
  setAgencyLetterhead,
  setPlan,
  type NewMember,
  type TestAgency,
  type TestYear,
} from "./factories.js";
import { createServices } from "../src/services.js";
import { validateBundle } from "../src/bundle/bundle-service.js";
import type { Database } from "../src/db/database.js";

let source: Database;
let db: Knex;
const targets: Database[] = [];
/** An empty database of its own for one test (each stands alone, whatever the order). */
async function emptyTarget(): Promise<Database> {
  const target = await createTestDatabase();
  targets.push(target);
  return target;
}

/**
 * The file's 2022, with a row in every part of a bundle: the plan and its signer; a member whose
 * letterhead has a governing body; `late`, a member that joined after the year was made (last in the
 * year's order, first by code, so the export's sorting shows); five members ranked at the review
 * meeting (registrations, reports accepted, sheets reviewed, the meeting with its chair, secretary
 * and attendees, the votes), one of them disciplined on its reviewed sheet; a member whose
 * registration is sent, first report returned, and sheet sent, with an extension of the annual
 * report's due date; a member with drafts only; the minutes numbered in the register. An observer
 * of the province's board follows the bloc.
 */
let y: TestYear;
let late: NewMember;
let lettered: TestAgency;
let observer: string;

beforeAll(async () => {
  source = await createTestDatabase();
  db = source.knex;
  y = await newYear(db, { year: 2022, agencies: 7 });
  const [head, deputy, third, fourth, fifth, sender, drafting] = y.agencies as [TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency, TestAgency];
  lettered = deputy;
  late = await addMemberAgency(db, { bloc: y.bloc, code: `a.${y.bloc}`, name: "Cơ quan gia nhập sau", year: 2022, by: y.secretariat });
  await setPlan(db, y, { number: "01/KH-KTĐKT", date: "2022-01-14", signerName: "Đại tá Hà Đình Khiêm", signerPosition: `Chính ủy ${head.shortName} — Trưởng Khối thi đua` });
  await setAgencyLetterhead(db, y, lettered, { governingBody: "BỘ CÔNG AN", headName: "Đại tá Nguyễn Văn B", headPosition: "Giám đốc" });
  await addRankedMembers(
    db,
    y,
    [head, deputy, third, fourth, fifth].map((agency, i) => ({ agency, shortfall: [5, 3, 7, 10, 15][i]!, votes: [5, 6, 5, 4, 3][i]! })),
    { heldOn: "2023-01-10", place: "Hội trường Khối", validBallots: 7, chair: "Đại tá Hà Đình Khiêm — Chính ủy, Trưởng Khối", secretary: "Đại diện Cơ quan 2 — Phó Trưởng Khối", attendees: "Đại diện lãnh đạo 9 cơ quan, đơn vị thành viên" },
  );
  await addRegistration(db, y, { agency: sender });
  await addReport(db, y, { agency: sender, period: 1, status: "returned", comment: "Bổ sung số liệu 6 tháng." });
  await extendDeadline(db, y, { agency: sender, period: 2, dueOn: "2022-12-31", reason: "Đơn vị đề nghị gia hạn do thay đổi nhân sự." });
  await addReport(db, y, { agency: sender, period: 2, status: "submitted", on: "2022-12-20" });
  await addSheet(db, y, { agency: sender, status: "submitted" });
  await addReport(db, y, { agency: drafting, period: 1, status: "draft" });
  await addSheet(db, y, { agency: drafting, status: "draft" });
  // On the web, the secretariat flags a disciplinary breach on a reviewed sheet and numbers the minutes in the register.
  const app = createTestApp(db);
  const sec = await loginAs(app, y.secretariat);
  const sheet = `${y.Y}/sheets/${fifth.code}`;
  expect((await postForm(sec, sheet, sheet, { action: "save", discipline_flag: "1", discipline_reason: "Một công chức bị xử lý kỷ luật cảnh cáo." })).status).toBe(303);
  const register = await sec.get(`${y.Y}/documents`);
  expect((await sec.post(`${y.Y}/documents/minutes`).type("form").send({ _csrf: csrfFrom(register.text), number: "7", issued_on: "10/01/2023" })).status).toBe(303);
  observer = `bantdkt.${y.bloc}`;
  await addAccount(db, { username: observer, role: "observer", blocs: [y.bloc] });
});
afterAll(async () => {
  await source.close();
  for (const t of targets) await t.close();
});

const TABLES = ["blocs", "agencies", "bloc_memberships", "emulation_years", "year_agencies", "campaigns", "periods", "period_extensions", "criteria", "registrations", "reports", "score_sheets", "score_entries", "ballot_meetings", "votes"];
async function counts(k: Knex): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await k(t).count({ n: "*" }))[0]!.n);
  return out;
}

describe("year bundle", () => {
  it("when a year with every part is exported, imported into an empty database and exported again, then the documents are equal", async () => {
    const first = await createServices(db).bundle.exportYear(y.bloc, 2022);
    // Every part of the year is in it (so the comparison below covers them all).
    const parts = { campaigns: first.campaigns, periods: first.periods, extensions: first.periods.flatMap((p) => p.extensions), criteria: first.criteria, registrations: first.registrations, reports: first.reports, scoreSheets: first.scoreSheets, votes: first.votes };
    expect(Object.entries(parts).filter(([, rows]) => rows.length === 0).map(([part]) => part)).toEqual([]);
    expect([...new Set(first.reports.map((r) => r.status))].sort()).toEqual(["accepted", "draft", "returned", "submitted"]);
    expect([...new Set(first.scoreSheets.map((r) => r.status))].sort()).toEqual(["draft", "reviewed", "submitted"]);
    expect(first.ballotMeeting).toMatchObject({ heldOn: "2023-01-10", chair: "Đại tá Hà Đình Khiêm — Chính ủy, Trưởng Khối", validBallots: 7 });
    expect(first.scoreSheets.filter((s) => s.disciplineFlag).map((s) => s.disciplineReason)).toEqual(["Một công chức bị xử lý kỷ luật cảnh cáo."]);
    // The register and the agencies' governing bodies travel with the year.
    expect(first.documents).toEqual([{ kind: "minutes", number: "7", issuedOn: "2023-01-10" }]);
    expect(first.agencies.find((a) => a.code === lettered.code)?.governingBody).toBe("BỘ CÔNG AN");
    // By code, not in the year's order (the member that joined late is last there).
    expect(first.agencies.map((a) => a.code)).toEqual([late.code, ...y.agencies.map((a) => a.code)]);
    expect(first.criteria.find((c) => c.code === "1.1")?.maxPoints).toBe("40.00");
    expect(validateBundle(first).ok).toBe(true);
    const target = await emptyTarget();
    const result = await createServices(target.knex).bundle.importYear(JSON.parse(JSON.stringify(first)), { replace: false });
    expect(result.ok).toBe(true);
    const second = await createServices(target.knex).bundle.exportYear(y.bloc, 2022);
    expect(second).toEqual(first);
  });

  it("when a bundle made before the register is imported, then it has no documents and no governing bodies; a kind listed twice is refused with its path", async () => {
    const doc = JSON.parse(JSON.stringify(await createServices(db).bundle.exportYear(y.bloc, 2022)));
    doc.documents = [{ kind: "minutes", number: "7", issuedOn: null }, { kind: "minutes", number: "8", issuedOn: null }];
    const twice = validateBundle(doc);
    expect(twice.ok ? [] : twice.errors.map((e) => e.path)).toEqual(["documents[1].kind"]);
    delete doc.documents;
    for (const a of doc.agencies) delete a.governingBody;
    const old = validateBundle(doc);
    expect(old.ok).toBe(true);
    if (old.ok) {
      expect(old.bundle.documents).toEqual([]);
      expect(old.bundle.agencies.every((a) => a.governingBody === null)).toBe(true);
    }
  });

  it("when a bundle has five mistakes, then all five are reported with their paths and nothing changes", async () => {
    const doc = JSON.parse(JSON.stringify(await createServices(db).bundle.exportYear(y.bloc, 2022)));
    doc.year.year = 2030; // a new year: only the mistakes may stop it
    doc.reports[0].agency = "khongco";
    doc.scoreSheets[2].entries[5].criterion = "9.9";
    doc.year.deputyAgency = doc.year.headAgency;
    doc.periods[0].dueOn = "2022-02-31";
    doc.criteria[1].maxPoints = "-5";
    const before = await counts(db);
    const result = await createServices(db).bundle.importYear(doc, { replace: false });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["reports[0].agency", "scoreSheets[2].entries[5].criterion", "year.deputyAgency", "periods[0].dueOn", "criteria[1].maxPoints"]));
    expect(paths).toHaveLength(5);
    expect(await counts(db)).toEqual(before);
  });

  it("when the year exists, then import is refused without replace and works with it", async () => {
    const doc = await createServices(db).bundle.exportYear(y.bloc, 2022);
    const target = await emptyTarget();
    const services = createServices(target.knex);
    expect((await services.bundle.importYear(JSON.parse(JSON.stringify(doc)), { replace: false })).ok).toBe(true);
    const refused = await services.bundle.importYear(doc, { replace: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors[0]!.message).toContain("đã có năm 2022");
    const changed = { ...doc, year: { ...doc.year, theme: "Chủ đề thay thế" } };
    const replaced = await services.bundle.importYear(changed, { replace: true });
    expect(replaced.ok).toBe(true);
    const again = await services.bundle.exportYear(y.bloc, 2022);
    expect(again.year.theme).toBe("Chủ đề thay thế");
    expect(again.scoreSheets).toEqual(doc.scoreSheets);
    expect(Number((await target.knex("emulation_years").count({ n: "*" }))[0]!.n)).toBe(1);
  });

  it("the year's page offers the download to bloc readers; clerks are refused", async () => {
    const app = createTestApp(db);
    const secretariat = await loginAs(app, y.secretariat);
    const page = await secretariat.get(`${y.Y}/setup`);
    expect(page.text).toContain("Tải xuống gói dữ liệu năm (JSON)");
    const res = await secretariat.get(`${y.Y}/bundle.json`);
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toContain("attachment");
    expect(JSON.parse(res.text).format).toBe("thidua-year-bundle");
    expect((await (await loginAs(app, observer)).get(`${y.Y}/bundle.json`)).status).toBe(200);
    expect((await (await loginAs(app, lettered.clerk)).get(`${y.Y}/bundle.json`)).status).toBe(403);
  });

  it("admin uploads a bundle: errors are listed with their paths; a valid one is imported", async () => {
    const app = createTestApp(db);
    const admin = await loginAs(app, await adminAccount(db));
    const form = await admin.get("/admin/import-year");
    expect(form.status).toBe(200);
    // The token travels in the multipart body, never in the form's URL (issue 15, finding 7).
    expect(form.text).toContain('action="/admin/import-year"');
    expect(form.text).not.toContain("_csrf=");
    const token = csrfFrom(form.text);
    const doc = JSON.parse(JSON.stringify(await createServices(db).bundle.exportYear(y.bloc, 2022)));
    doc.year.year = 2031;
    const original = doc.votes[0].agency;
    doc.votes[0].agency = "khongco";
    const inUrlOnly = await admin.post(`/admin/import-year?_csrf=${encodeURIComponent(token)}`).attach("bundle", Buffer.from(JSON.stringify(doc)), "bundle.json");
    expect(inUrlOnly.status).toBe(403);
    const bad = await admin.post("/admin/import-year").field("_csrf", token).attach("bundle", Buffer.from(JSON.stringify(doc)), "bundle.json");
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("votes[0].agency");
    doc.votes[0].agency = original;
    const good = await admin.post("/admin/import-year").field("_csrf", token).attach("bundle", Buffer.from(JSON.stringify(doc)), "bundle.json");
    expect(good.status).toBe(303);
    expect(good.headers.location).toBe(`${y.B}/years/2031/setup`);
    const secretariat = await loginAs(app, y.secretariat);
    expect((await secretariat.get("/admin/import-year")).status).toBe(403);
  });
});
