import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import request from "supertest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, type Agent } from "./http.js";
import type { Database } from "../src/db/database.js";

// Bad input: every form and query parameter gets fast-check generated values (wrong types,
// ~200 kB strings, lone surrogates, RTL, emoji, NUL, negative/NaN numbers, missing and
// duplicated fields). Never a 500; a refused body (4xx) changes nothing. Both engines.

const Y = "/blocs/noichinh-tq/years/2022";
const NOW = new Date("2022-06-10T09:00:00+07:00");
const RUNS = 30;

let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;
const agents: Record<string, { agent: Agent; token: string }> = {};

beforeAll(async () => {
  database = await createTestDatabase("demo-2022-open");
  db = database.knex;
  app = createTestApp(db, { now: () => NOW });
  for (const name of ["quantri", "thuongtruc", "canbo.thads"]) {
    const agent = await loginAs(app, name);
    agents[name] = { agent, token: csrfFrom((await agent.get("/account/password")).text) };
  }
}, 60_000);
afterAll(() => database.close());

// ---- generated values -------------------------------------------------------------------

const LONE_SURROGATE = "\uD800";
const nasty = fc.constantFrom(
  "", " ", "0", "-1", "-0", "NaN", "Infinity", "1e309", "9".repeat(40), "0x1F", "7,5", "7.555", "-7,5", "1/1/1", "31/02/2022", "00/00/0000",
  "null", "undefined", "true", "[]", "{}", "<script>alert(1)</script>", "' OR 1=1 --", "a\u0000b", "\u0000", LONE_SURROGATE, `x${LONE_SURROGATE}y`, "\uDC00",
  "\u202Eمرحبا\u202C", "שלום", "🙂👍🏽🇻🇳", "Tiếng Việt có dấu", "\r\n\t", "%00", "%", "&=&=", "__proto__", "constructor",
);
const hugeString = fc.constantFrom(200_000, 70_000).map((n) => "Đ".repeat(n / 2));
const value = fc.oneof(
  { weight: 5, arbitrary: nasty },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: hugeString },
);
/** A field: missing, one value, or the field repeated (an array on the server). */
const field = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: value },
  { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) },
);

function bodyOf(fields: string[], extra: string[] = []) {
  return fc.record(Object.fromEntries([...fields, ...extra].map((f) => [f, field])) as Record<string, typeof field>, { requiredKeys: [] });
}

/** Percent-encodes like a (broken) browser: lone surrogates become invalid UTF-8 bytes. */
function enc(s: string): string {
  // No surrogate at all: the loop below would give exactly this (and took most of the file's time on ~200 kB values).
  if (!/[\uD800-\uDFFF]/.test(s)) return encodeURIComponent(s);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += "%ED%A0%80";
    else out += encodeURIComponent(s[i]!);
  }
  return out;
}

function urlencoded(token: string, body: Record<string, string | string[] | undefined>): string {
  const parts = [`_csrf=${enc(token)}`];
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${enc(k)}=${enc(one)}`);
  }
  return parts.join("&");
}

// ---- table snapshots ----------------------------------------------------------------------

async function snapshot(tables: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const r = await db.raw(`SELECT count(*) AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`);
    out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  return out;
}

interface Target {
  name: string;
  as: string;
  url: string | (() => Promise<string>);
  fields: string[] | (() => Promise<string[]>);
  tables: string[];
}

async function fuzzPost(t: Target): Promise<void> {
  const { agent, token } = agents[t.as]!;
  const url = typeof t.url === "string" ? t.url : await t.url();
  const fields = typeof t.fields === "function" ? await t.fields() : t.fields;
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(bodyOf(fields, ["zz_unknown"]), async (body) => {
      const before = await snapshot(t.tables);
      const res = await agent.post(url).set("content-type", "application/x-www-form-urlencoded").send(urlencoded(token, body));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `${t.name}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      if (res.status >= 400) expect(await snapshot(t.tables), `${t.name}: a refused body changed data`).toEqual(before);
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
  // Sanity: the fuzzer reached the handlers (not only CSRF refusals).
  expect([...statuses.keys()].some((s) => s !== 403), `${t.name}: ${JSON.stringify([...statuses])}`).toBe(true);
}

const criterionFields = async () => (await db("criteria").select("id")).flatMap((r: { id: number }) => [`p_${r.id}`, `e_${r.id}`, `b_${r.id}`, `r_${r.id}`]);
const agencyVoteFields = async () => (await db("agencies").select("id")).map((r: { id: number }) => `v_${r.id}`);
const reportFields = ["action", "version", "general", "shortcomings", "proposals", "s.PT1.done", "s.PT1.results", "s.PT1.figures", "s.PT2.done"];
const userFields = ["username", "full_name", "fullName", "role", "agency", "agencyId", "bloc", "blocs", "password", "active", "email"];

const targets: Target[] = [
  { name: "account password", as: "canbo.thads", url: "/account/password", fields: ["current", "currentPassword", "current_password", "password", "newPassword", "new_password", "confirm", "confirmPassword"], tables: ["users"] },
  { name: "new user", as: "quantri", url: "/admin/users", fields: userFields, tables: ["users", "user_blocs"] },
  {
    name: "edit user", as: "quantri",
    url: async () => `/admin/users/${(await db("users").where({ username: "canbo.vks" }).first("id")).id}`,
    fields: userFields, tables: ["users", "user_blocs"],
  },
  { name: "report form", as: "canbo.thads", url: `${Y}/periods/1/reports/thads`, fields: reportFields, tables: ["reports", "report_versions"] },
  { name: "report review", as: "thuongtruc", url: `${Y}/periods/1/reports/thanhtra/review`, fields: ["action", "comment", "version"], tables: ["reports", "report_versions"] },
  { name: "registration form", as: "canbo.thads", url: `${Y}/registration/thads`, fields: ["action", "version", "targets", "titles", "signerName", "signerPosition", "comment"], tables: ["registrations"] },
  {
    name: "score sheet (clerk)", as: "canbo.thads", url: `${Y}/sheets/thads`,
    fields: async () => ["action", "version", ...(await criterionFields())], tables: ["score_sheets", "score_entries"],
  },
  {
    name: "score sheet (review)", as: "thuongtruc", url: `${Y}/sheets/congan`,
    fields: async () => ["action", "version", "discipline_flag", "discipline_reason", "return_comment", ...(await criterionFields()).filter((f) => /^[br]_/.test(f))],
    tables: ["score_sheets", "score_entries"],
  },
  {
    name: "ballots", as: "thuongtruc", url: `${Y}/ballots`,
    fields: async () => ["version", "held_on", "place", "valid_ballots", ...(await agencyVoteFields())], tables: ["ballot_meetings", "votes"],
  },
];

describe("fuzzed form bodies: never a 500, never a partial write", () => {
  for (const t of targets) {
    it(`${t.name}`, () => fuzzPost(t), 60_000);
  }

  // Last: failed logins trip the per-address throttle, which would stop the logins above.
  it("login", async () => {
    const anon = request.agent(app);
    agents.anon = { agent: anon, token: csrfFrom((await anon.get("/login")).text) };
    // sessions and login attempts legitimately change on a refused login; the users must not.
    await fuzzPost({ name: "login", as: "anon", url: "/login", fields: ["username", "password"], tables: ["users"] });
  }, 60_000);
});

/**
 * GETs `url` and returns its status, or "refused" when the server closed the connection instead of
 * answering: Node 22+ drops a request line over its header limit (--max-http-header-size) before
 * any handler runs, where Node 20 answered 431. Both are a refusal; only a 5xx is a defect.
 */
async function statusOrRefused(agent: Agent, url: string): Promise<{ status: number | "refused"; text: string }> {
  try {
    const res = await agent.get(url);
    return { status: res.status, text: res.text.slice(0, 300) };
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    if (["ECONNRESET", "EPIPE", "ECONNABORTED"].includes(code) || /socket hang up/.test(String(e))) return { status: "refused", text: code };
    throw e;
  }
}

/** A refusal (4xx or a closed connection) or a success; never a 5xx. */
function expectNoServerError({ status, text }: { status: number | "refused"; text: string }) {
  if (status !== "refused") expect(status, text).toBeLessThan(500);
}

describe("fuzzed query strings and path parameters: never a 500", () => {
  const q = fc.record({ userId: field, agencyId: field, from: field, to: field, page: field, action: field, zz: field }, { requiredKeys: [] });

  it("GET /audit?…", async () => {
    const { agent } = agents.thuongtruc!;
    await fc.assert(
      fc.asyncProperty(q, async (query) => {
        const qs = urlencoded("", query).replace(/^_csrf=&?/, "");
        expectNoServerError(await statusOrRefused(agent, `/audit?${qs}`));
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 60_000);

  it("GET /blocs/…/years/…/ranking.json?…", async () => {
    const { agent } = agents.thuongtruc!;
    const segment = fc.oneof(fc.constantFrom("noichinh-tq", "2022", "-1", "NaN", "99999999999999999999", "%00", ".."), value.filter((v) => v.length < 2000));
    await fc.assert(
      fc.asyncProperty(segment, segment, q, async (bloc, year, query) => {
        const qs = urlencoded("", query).replace(/^_csrf=&?/, "");
        expectNoServerError(await statusOrRefused(agent, `/blocs/${enc(bloc)}/years/${enc(year)}/ranking.json?${qs}`));
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 60_000);
});
