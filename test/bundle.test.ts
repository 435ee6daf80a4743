import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs } from "./http.js";
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

beforeAll(async () => {
  source = await createTestDatabase("demo-2022-open");
  db = source.knex;
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
  it("when the demo year is exported, imported into an empty database and exported again, then the documents are equal", async () => {
    const yearId = (await db("emulation_years").where({ year: 2022 }).first("id")).id;
    await db("document_numbers").insert({ year_id: yearId, kind: "minutes", number: "7", issued_on: "2023-01-10" });
    const first = await createServices(db).bundle.exportYear("noichinh-tq", 2022);
    // The register and the agencies' governing bodies travel with the year.
    expect(first.documents).toEqual([{ kind: "minutes", number: "7", issuedOn: "2023-01-10" }]);
    expect(first.agencies.find((a) => a.code === "congan")?.governingBody).toBe("BỘ CÔNG AN");
    expect(first.agencies.map((a) => a.code)).toEqual(["bchqs", "congan", "stp", "thads", "thanhtra", "toaan", "vks"]);
    expect(first.criteria.find((c) => c.code === "1.1")?.maxPoints).toBe("40.00");
    expect(validateBundle(first).ok).toBe(true);
    const target = await emptyTarget();
    const result = await createServices(target.knex).bundle.importYear(JSON.parse(JSON.stringify(first)), { replace: false });
    expect(result.ok).toBe(true);
    const second = await createServices(target.knex).bundle.exportYear("noichinh-tq", 2022);
    expect(second).toEqual(first);
  });

  it("when a bundle made before the register is imported, then it has no documents and no governing bodies; a kind listed twice is refused with its path", async () => {
    const doc = JSON.parse(JSON.stringify(await createServices(db).bundle.exportYear("noichinh-tq", 2022)));
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
    const doc = JSON.parse(JSON.stringify(await createServices(db).bundle.exportYear("noichinh-tq", 2022)));
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
    const doc = await createServices(db).bundle.exportYear("noichinh-tq", 2022);
    const target = await emptyTarget();
    const services = createServices(target.knex);
    expect((await services.bundle.importYear(JSON.parse(JSON.stringify(doc)), { replace: false })).ok).toBe(true);
    const refused = await services.bundle.importYear(doc, { replace: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors[0]!.message).toContain("đã có năm 2022");
    const changed = { ...doc, year: { ...doc.year, theme: "Chủ đề thay thế" } };
    const replaced = await services.bundle.importYear(changed, { replace: true });
    expect(replaced.ok).toBe(true);
    const again = await services.bundle.exportYear("noichinh-tq", 2022);
    expect(again.year.theme).toBe("Chủ đề thay thế");
    expect(again.scoreSheets).toEqual(doc.scoreSheets);
    expect(Number((await target.knex("emulation_years").count({ n: "*" }))[0]!.n)).toBe(1);
  });

  it("the year's page offers the download to bloc readers; clerks are refused", async () => {
    const app = createTestApp(db);
    const secretariat = await loginAs(app, "thuongtruc");
    const page = await secretariat.get("/blocs/noichinh-tq/years/2022/setup");
    expect(page.text).toContain("Tải xuống gói dữ liệu năm (JSON)");
    const res = await secretariat.get("/blocs/noichinh-tq/years/2022/bundle.json");
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toContain("attachment");
    expect(JSON.parse(res.text).format).toBe("thidua-year-bundle");
    expect((await (await loginAs(app, "bantdkt")).get("/blocs/noichinh-tq/years/2022/bundle.json")).status).toBe(200);
    expect((await (await loginAs(app, "canbo.congan")).get("/blocs/noichinh-tq/years/2022/bundle.json")).status).toBe(403);
  });

  it("admin uploads a bundle: errors are listed with their paths; a valid one is imported", async () => {
    const app = createTestApp(db);
    const admin = await loginAs(app, "quantri");
    const form = await admin.get("/admin/import-year");
    expect(form.status).toBe(200);
    // The token travels in the multipart body, never in the form's URL (issue 15, finding 7).
    expect(form.text).toContain('action="/admin/import-year"');
    expect(form.text).not.toContain("_csrf=");
    const token = csrfFrom(form.text);
    const doc = JSON.parse(JSON.stringify(await createServices(db).bundle.exportYear("noichinh-tq", 2022)));
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
    expect(good.headers.location).toBe("/blocs/noichinh-tq/years/2031/setup");
    const secretariat = await loginAs(app, "thuongtruc");
    expect((await secretariat.get("/admin/import-year")).status).toBe(403);
  });
});
