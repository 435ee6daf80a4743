import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, type Agent } from "./http.js";
import { seedDemo } from "../seeds/demo.js";
import type { Database } from "../src/db/database.js";

/**
 * Every route × every role (and anonymous) → the expected status. The clerk is canbo.bchqs:
 * records of another agency (congan, thanhtra, thads) must answer 404 whatever the URL says.
 * POST bodies are ones a permitted role would have refused (422/409), so the walk changes nothing.
 */
const Y = "/blocs/noichinh-tq/years/2022";
const ROLES = ["anonymous", "quantri", "thuongtruc", "lanhdao", "bantdkt", "canbo.bchqs"] as const;
type Role = (typeof ROLES)[number];

//                anon quantri thuongtruc lanhdao bantdkt canbo.bchqs
const GETS: [string, number[]][] = [
  ["/", [303, 200, 200, 200, 200, 200]],
  ["/login", [200, 303, 303, 303, 303, 303]],
  ["/healthz", [200, 200, 200, 200, 200, 200]],
  ["/account/password", [303, 200, 200, 200, 200, 200]],
  ["/dashboard", [303, 303, 303, 303, 303, 303]],
  ["/reports", [303, 303, 303, 303, 303, 303]],
  ["/sheets", [303, 303, 303, 303, 303, 303]],
  ["/ranking", [303, 303, 303, 303, 303, 303]],
  ["/setup", [303, 303, 303, 303, 303, 303]],
  ["/agencies", [303, 303, 303, 303, 303, 303]],
  [`${Y}/dashboard`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/registrations`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/registration/bchqs`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/registration/congan`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/periods/1/reports`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/periods/1/reminder`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/periods/1/reports/bchqs`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/periods/1/reports/congan`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/periods/1/reports/bchqs/attachments/ATT_bchqs`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/periods/1/reports/congan/attachments/ATT_congan`, [303, 200, 200, 200, 200, 404]],
  // another agency's attachment id under one's own report: still not found
  [`${Y}/periods/1/reports/bchqs/attachments/ATT_congan`, [303, 404, 404, 404, 404, 404]],
  [`${Y}/periods/1/reports/bchqs/versions/1`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/periods/1/reports/congan/versions/1`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/sheets`, [303, 200, 200, 200, 200, 303]],
  [`${Y}/sheets/bchqs`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/sheets/congan`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/sheets/bchqs.xlsx`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/sheets/congan.xlsx`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/periods/1/reports/bchqs/print`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/periods/1/reports/bchqs/report.pdf`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/periods/1/reports/bchqs/report.docx`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/periods/1/reports/congan/print`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/periods/1/reports/congan/report.docx`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ballots`, [303, 200, 200, 200, 200, 404]],
  // the ranking and its documents: clerks only after the leader publishes it
  // a clerk of the bloc: the page says the ranking is not yet published; its documents stay 404
  [`${Y}/ranking`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/ranking.json`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ranking.csv`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ranking.xlsx`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ranking.pdf`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ranking/print`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ranking/proposal-letter`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ranking/proposal-letter.pdf`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ballots/minutes`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ballots/minutes.pdf`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ranking.docx`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ranking/proposal-letter.docx`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/ballots/minutes.docx`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/documents`, [303, 200, 200, 200, 200, 404]],
  [`${Y}/setup`, [303, 200, 200, 200, 200, 403]],
  [`${Y}/campaigns`, [303, 200, 200, 200, 200, 403]],
  [`${Y}/campaigns/new`, [303, 200, 200, 403, 403, 403]],
  [`${Y}/periods/1`, [303, 200, 200, 200, 200, 403]],
  [`${Y}/criteria`, [303, 200, 200, 200, 200, 403]],
  [`${Y}/rules`, [303, 200, 200, 200, 200, 403]],
  [`${Y}/bundle.json`, [303, 200, 200, 200, 200, 403]],
  // issue 18: objections (every member reads them), the province's decisions and the conference (S L O A)
  [`${Y}/objections`, [303, 200, 200, 200, 200, 200]],
  [`${Y}/decisions`, [303, 200, 200, 200, 200, 403]],
  [`${Y}/conference`, [303, 200, 200, 200, 200, 403]],
  ["/blocs/noichinh-tq/agencies", [303, 200, 200, 200, 200, 403]],
  ["/blocs/noichinh-tq/agencies/new", [303, 200, 200, 403, 403, 403]],
  ["/blocs/noichinh-tq/agencies/congan", [303, 200, 200, 200, 200, 403]],
  ["/admin/users", [303, 200, 200, 403, 403, 403]],
  ["/admin/users/new", [303, 200, 200, 403, 403, 403]],
  ["/admin/import-year", [303, 200, 403, 403, 403, 403]],
  // leader and observer: the point changes of their blocs, read-only
  ["/audit", [303, 200, 200, 200, 200, 403]],
];

const POSTS: [string, Record<string, string>, number[]][] = [
  [`${Y}/periods/1/reports/congan`, { action: "submit", general: "" }, [303, 404, 404, 404, 404, 404]],
  [`${Y}/periods/1/reports/thanhtra/review`, { action: "return", comment: "", version: "1" }, [303, 422, 422, 403, 403, 404]],
  [`${Y}/periods/1/reports/congan/attachments/ATT_congan/delete`, {}, [303, 404, 404, 404, 404, 404]],
  [`${Y}/registration/congan`, { action: "submit" }, [303, 404, 404, 404, 404, 404]],
  [`${Y}/registration/thads/review`, { action: "return", comment: "", version: "1" }, [303, 422, 422, 403, 403, 404]],
  [`${Y}/sheets/congan`, { action: "save", version: "1" }, [303, 422, 422, 403, 403, 404]],
  // the draft is the agency's own: nobody else imports a workbook into it
  [`${Y}/sheets/congan/import`, {}, [303, 404, 404, 403, 403, 404]],
  [`${Y}/ballots`, { valid_ballots: "abc", held_on: "x", place: "" }, [303, 409, 409, 403, 403, 403]],
  [`${Y}/documents/ranking_summary`, { number: "abc", issued_on: "" }, [303, 422, 422, 403, 403, 404]],
  // the year is not published: reopening is refused for the leader and admin, forbidden for the rest
  [`${Y}/ranking/reopen`, { reason: "x" }, [303, 409, 403, 409, 403, 403]],
  [`${Y}/setup`, { planDate: "31/02/2022" }, [303, 422, 422, 403, 403, 403]],
  [`${Y}/campaigns`, { kind: "", title: "" }, [303, 422, 422, 403, 403, 403]],
  [`${Y}/periods/1`, { startsOn: "abc" }, [303, 422, 422, 403, 403, 403]],
  [`${Y}/criteria`, { code: "", title: "", maxPoints: "abc" }, [303, 422, 422, 403, 403, 403]],
  [`${Y}/rules`, { scale: "abc" }, [303, 422, 422, 403, 403, 403]],
  ["/blocs/noichinh-tq/agencies", { code: "", name: "" }, [303, 422, 422, 403, 403, 403]],
  // issue 18: only a clerk files an objection; only S A record decisions, the conference, awards entered afterwards
  [`${Y}/objections`, { reasons: "" }, [303, 403, 403, 403, 403, 422]],
  [`${Y}/decisions`, { proposalId: "1" }, [303, 422, 422, 403, 403, 403]],
  [`${Y}/conference`, { nextHeadAgencyId: "" }, [303, 422, 422, 403, 403, 403]],
  ["/blocs/noichinh-tq/agencies/congan/awards", { year: "" }, [303, 422, 422, 403, 403, 403]],
  ["/admin/users", { username: "x" }, [303, 422, 422, 403, 403, 403]],
  ["/admin/import-year", {}, [303, 422, 403, 403, 403, 403]],
  ["/account/password", { currentPassword: "", newPassword: "", confirmPassword: "" }, [303, 422, 422, 422, 422, 422]],
];

const DATA_TABLES = ["document_numbers", "reports", "report_attachments", "registrations", "score_sheets", "score_entries", "ballot_meetings", "votes", "emulation_years", "campaigns", "periods", "criteria", "agencies", "users"];

let database: Database;
let db: Knex;
const agents = {} as Record<Role, Agent>;
const tokens = {} as Record<Role, string>;
const attachmentOf: Record<string, number> = {};
const url = (p: string) => p.replace(/ATT_(\w+)/, (_m, code: string) => String(attachmentOf[code]));

async function snapshot(): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const t of DATA_TABLES) out[t] = await db(t).select("*").orderBy("id");
  return JSON.stringify(out);
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  await seedDemo(db, { keep2022InProgress: true });
  const app = createTestApp(db);
  for (const r of ROLES) {
    agents[r] = r === "anonymous" ? request.agent(app) : await loginAs(app, r);
    const page = await agents[r].get(r === "anonymous" ? "/login" : "/account/password");
    tokens[r] = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  }
  const pdf = Buffer.from("%PDF-1.4\n%%EOF\n");
  for (const code of ["bchqs", "congan"]) {
    const report = await db("reports as r").join("agencies as a", "a.id", "r.agency_id").join("periods as p", "p.id", "r.period_id").where({ "a.code": code, "p.number": 1 }).first("r.id");
    const [{ id }] = await db("report_attachments")
      .insert({ report_id: report.id, kind: "signed_scan", filename: "scan.pdf", mime_type: "application/pdf", size_bytes: pdf.length, sha256: "0".repeat(64), content: pdf })
      .returning("id");
    attachmentOf[code] = id;
  }
});
afterAll(() => database.close());

describe("access matrix: GET, every route × every role", () => {
  for (const [path, expected] of GETS) {
    it(`GET ${path}`, async () => {
      const got: number[] = [];
      for (const r of ROLES) got.push((await agents[r].get(url(path))).status);
      expect(got).toEqual(expected);
    });
  }
});

describe("access matrix: POST, every state-changing route × every role", () => {
  it("answers the expected status for each role and changes no data", async () => {
    const before = await snapshot();
    for (const [path, body, expected] of POSTS) {
      const got: number[] = [];
      for (const r of ROLES) got.push((await agents[r].post(url(path)).type("form").send({ ...body, _csrf: tokens[r] })).status);
      expect([path, got]).toEqual([path, expected]);
    }
    expect(await snapshot()).toBe(before);
  }, 120_000);
});
