// No N+1: the number of SQL queries each main page makes must not grow with the number of agencies.
// Counts the queries (knex "query" events) of one GET on a year of 3 agencies, then adds 9 more
// agencies (with sheets, entries, reports, registrations and votes) to the SAME year and counts again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, type Agent } from "./http.js";
import { writeSynthetic } from "../src/synthetic/writer.js";
import type { Database } from "../src/db/database.js";

const Y = "/blocs/qc01/years/2024";
const PAGES: { name: string; path: string; as: "sec" | "clerk" }[] = [
  { name: "dashboard", path: `${Y}/dashboard`, as: "sec" },
  { name: "ranking", path: `${Y}/ranking`, as: "sec" },
  { name: "ranking print", path: `${Y}/ranking/print`, as: "sec" },
  { name: "sheets list", path: `${Y}/sheets`, as: "sec" },
  { name: "score sheet", path: `${Y}/sheets/qc01-a01`, as: "sec" },
  { name: "period reports overview", path: `${Y}/periods/2/reports`, as: "sec" },
  { name: "registrations list", path: `${Y}/registrations`, as: "sec" },
  { name: "report", path: `${Y}/periods/2/reports/qc01-a01`, as: "sec" },
  { name: "clerk home", path: "/", as: "clerk" },
  { name: "clerk's own sheet", path: `${Y}/sheets/qc01-a01`, as: "clerk" },
  { name: "ranking json", path: `${Y}/ranking.json`, as: "sec" },
  { name: "why this rank", path: `${Y}/ranking/qc01-a02`, as: "sec" },
];

/** Issue 16's budget, with the year unchanged since the last visit: no page over 8 queries, the dashboard 6. */
const BUDGET = { page: 8, dashboard: 6 };

/** Copies agency a03's year (membership, sheet + entries, reports, registration, vote) to `extra` new agencies. */
async function addAgencies(trx: Knex.Transaction, extra: number): Promise<void> {
  const template = await trx("agencies").where({ code: "qc01-a03" }).first();
  const bloc = await trx("blocs").where({ code: "qc01" }).first("id");
  const year = await trx("emulation_years").where({ bloc_id: bloc.id, year: 2024 }).first("id");
  const copy = <T extends Record<string, unknown>>(row: T, drop: string[], set: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...row, ...set };
    for (const k of ["id", ...drop]) delete out[k];
    for (const [k, v] of Object.entries(out)) if (v !== null && typeof v === "object" && !(v instanceof Date)) out[k] = JSON.stringify(v);
    return out;
  };
  for (let i = 4; i < 4 + extra; i++) {
    const code = `qc01-a${String(i).padStart(2, "0")}`;
    const [{ id }] = await trx("agencies").insert(copy(template, ["created_at", "updated_at"], { code, name: `Ủy ban nhân dân xã Thêm ${i}`, short_name: `UBND xã Thêm ${i}` })).returning("id");
    await trx("bloc_memberships").insert({ bloc_id: bloc.id, agency_id: id, joined_year: 2024 });
    await trx("year_agencies").insert({ year_id: year.id, agency_id: id, name: `Ủy ban nhân dân xã Thêm ${i}`, short_name: `UBND xã Thêm ${i}`, sort_order: i });
    for (const r of await trx("registrations").where({ year_id: year.id, agency_id: template.id })) await trx("registrations").insert(copy(r, [], { agency_id: id }));
    for (const r of await trx("reports").whereIn("period_id", trx("periods").where({ year_id: year.id }).select("id")).andWhere({ agency_id: template.id })) {
      await trx("reports").insert(copy(r, [], { agency_id: id }));
    }
    for (const s of await trx("score_sheets").where({ year_id: year.id, agency_id: template.id })) {
      const [{ id: sheetId }] = await trx("score_sheets").insert(copy(s, [], { agency_id: id })).returning("id");
      const entries = await trx("score_entries").where({ sheet_id: s.id });
      if (entries.length) await trx("score_entries").insert(entries.map((e) => copy(e, [], { sheet_id: sheetId })));
    }
    for (const v of await trx("votes").where({ year_id: year.id, agency_id: template.id })) await trx("votes").insert(copy(v, ["created_at", "updated_at"], { agency_id: id }));
    await trx("users").insert({ username: `canbo.${code}`, full_name: `Cán bộ ${code}`, role: "clerk", agency_id: id, password_hash: "x" });
  }
}

describe("query counts (no N+1)", () => {
  let database: Database;
  let db: Knex;
  let agents: Record<"sec" | "clerk", Agent>;

  /** Queries made by one GET (after a first GET, so sessions and caches are settled). */
  async function queriesOf(agent: Agent, path: string): Promise<number> {
    expect((await agent.get(path)).status, path).toBe(200);
    let n = 0;
    const count = (q: { sql: string }) => {
      n++;
      if (process.env.SHOW_QUERY_SQL) console.log(`${path}: ${q.sql.slice(0, 160)}`);
    };
    db.on("query", count);
    try {
      expect((await agent.get(path)).status, path).toBe(200);
    } finally {
      db.off("query", count);
    }
    return n;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.knex;
    await writeSynthetic(db, { blocs: 1, agencies: 3, criteria: 12, years: 1, seed: 11, prefix: "qc", lastYear: 2024 });
    const app = createTestApp(db, { now: () => new Date("2025-01-20T09:00:00+07:00") });
    agents = { sec: await loginAs(app, "thuongtruc.qc01"), clerk: await loginAs(app, "canbo.qc01-a01") };
  });
  afterAll(() => database.close());

  it("when a year grows from 3 to 12 agencies, then no main page makes more SQL queries", async () => {
    const small: Record<string, number> = {};
    for (const p of PAGES) small[p.name] = await queriesOf(agents[p.as], p.path);
    // Every page reads at least its session (with its user, the page header and, on a year page, the year).
    expect(Math.min(...Object.values(small))).toBeGreaterThanOrEqual(1);
    await db.transaction((trx) => addAgencies(trx, 9));
    expect(Number((await db("year_agencies").count({ n: "*" }))[0]!.n)).toBe(12);
    const large: Record<string, number> = {};
    for (const p of PAGES) large[p.name] = await queriesOf(agents[p.as], p.path);
    // One line per page in the failure message: "<page>: 3 agencies → n queries, 12 agencies → m".
    if (process.env.SHOW_QUERY_COUNTS) console.log(JSON.stringify({ small, large }));
    const report = PAGES.map((p) => `${p.name}: ${small[p.name]} → ${large[p.name]}`);
    expect(report).toEqual(PAGES.map((p) => `${p.name}: ${small[p.name]} → ${small[p.name]}`));
  });

  it("when the year has not changed since the last visit, then no page makes more than 8 queries and the dashboard at most 6", async () => {
    const over: string[] = [];
    for (const p of PAGES) {
      const n = await queriesOf(agents[p.as], p.path);
      const budget = p.name === "dashboard" ? BUDGET.dashboard : BUDGET.page;
      if (n > budget) over.push(`${p.name}: ${n} queries (budget ${budget})`);
    }
    expect(over).toEqual([]);
  });

  it("when the year has not changed, then a year page's session, user, header and year are its one query, a prepared statement", async () => {
    // The report form, the ranking (its objection counts kept with the year) and the printed summary.
    for (const [as, path] of [["clerk", `${Y}/periods/2/reports/qc01-a01`], ["sec", `${Y}/ranking`], ["sec", `${Y}/ranking/print`]] as const) {
      const seen: string[] = [];
      const names: unknown[] = [];
      const record = (q: { sql: string; options?: { name?: unknown } }) => {
        seen.push(q.sql);
        names.push(q.options?.name);
      };
      await agents[as].get(path);
      db.on("query", record);
      try {
        expect((await agents[as].get(path)).status).toBe(200);
      } finally {
        db.off("query", record);
      }
      expect(seen, path).toHaveLength(1);
      expect(seen[0]).toMatch(/from sessions s/);
      expect(seen[0]).toMatch(/from blocs b left join emulation_years y/);
      // Named: each connection plans it once (its planning cost PostgreSQL more than running it).
      expect(names[0]).toMatch(/^thidua_[0-9a-f]{20}$/);
    }
  });

  it("when the year has not changed, then the dashboard is two prepared statements: the session with its year, and the bloc's latest activity", async () => {
    const seen: { sql: string; name: unknown }[] = [];
    const record = (q: { sql: string; options?: { name?: unknown } }) => seen.push({ sql: q.sql, name: q.options?.name });
    await agents.sec.get(`${Y}/dashboard`);
    db.on("query", record);
    try {
      expect((await agents.sec.get(`${Y}/dashboard`)).status).toBe(200);
    } finally {
      db.off("query", record);
    }
    expect(seen.map((q) => q.sql.match(/from (sessions|audit_log)/)?.[1])).toEqual(["sessions", "audit_log"]);
    for (const q of seen) expect(q.name).toMatch(/^thidua_[0-9a-f]{20}$/);
  });

  it("when the blocs have not changed, then the header's list is not sent again; when one is renamed, the next page shows it", async () => {
    // Each header row read: whether it carried the list of blocs.
    const seen: boolean[] = [];
    const record = (res: { rows?: Record<string, unknown>[] } | undefined) => {
      const row = res?.rows?.[0];
      if (row && "blocs_revision" in row) seen.push(row.blocs !== null);
    };
    db.on("query-response", record);
    try {
      await agents.sec.get(`${Y}/ranking`);
      await agents.sec.get(`${Y}/ranking`);
    } finally {
      db.off("query-response", record);
    }
    // The second page's header came without the list (null: the process holds it at that revision).
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(false);
    const name = (await db("blocs").where({ code: "qc01" }).first("name")).name as string;
    await db("blocs").where({ code: "qc01" }).update({ name: `${name} (đổi tên)` });
    expect((await agents.sec.get(`${Y}/ranking`)).text).toContain(`${name} (đổi tên)`);
  });

  it("when the year changes, then the next visit shows the change (the cached year is not reused)", async () => {
    const before = await agents.sec.get(`${Y}/ranking.json`);
    const rows = JSON.parse(before.text) as { agency: string; name: string }[];
    const agency = rows[0]!;
    await db("agencies").where({ code: agency.agency }).update({ name: "Ủy ban nhân dân xã Đổi Tên" });
    await db("year_agencies").whereIn("agency_id", db("agencies").where({ code: agency.agency }).select("id")).update({ name: "Ủy ban nhân dân xã Đổi Tên" });
    const after = JSON.parse((await agents.sec.get(`${Y}/ranking.json`)).text) as { agency: string; name: string }[];
    expect(after.find((r) => r.agency === agency.agency)!.name).toBe("Ủy ban nhân dân xã Đổi Tên");
    const dashboard = await agents.sec.get(`${Y}/dashboard`);
    expect(dashboard.text).toContain("Ủy ban nhân dân xã Đổi Tên");
  });
});

describe("query count of the province's view (issue 20)", () => {
  let database: Database;
  let db: Knex;
  let observer: Agent;

  async function queriesOf(path: string): Promise<string[]> {
    expect((await observer.get(path)).status, path).toBe(200);
    const seen: string[] = [];
    const count = (q: { sql: string }) => seen.push(q.sql);
    db.on("query", count);
    try {
      expect((await observer.get(path)).status, path).toBe(200);
    } finally {
      db.off("query", count);
    }
    return seen;
  }

  async function giveAllBlocs(userId: number) {
    await db("user_blocs").where({ user_id: userId }).del();
    await db("user_blocs").insert((await db("blocs").pluck("id")).map((bloc_id: number) => ({ user_id: userId, bloc_id })));
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.knex;
    await writeSynthetic(db, { blocs: 2, agencies: 3, criteria: 12, years: 2, seed: 21, prefix: "qp", lastYear: 2024 });
    const hash = (await db("users").where({ username: "thuongtruc.qp01" }).first("password_hash")).password_hash;
    await db("users").insert({ username: "quansat.qp", full_name: "Ban Thi đua – Khen thưởng tỉnh", role: "observer", password_hash: hash });
    const app = createTestApp(db, { now: () => new Date("2025-01-20T09:00:00+07:00") });
    const id = (await db("users").where({ username: "quansat.qp" }).first("id")).id;
    await giveAllBlocs(id);
    observer = await loginAs(app, "quansat.qp");
  });
  afterAll(() => database.close());

  it("when the province grows from 2 to 6 blocs, then /province/<year> makes the same number of queries, at most 8 of its own (1 while no year changed)", async () => {
    // What every signed-in page costs (the session, read with its user and the page header): the page adds the rest.
    const base = (await queriesOf("/account/password")).length;
    expect(base, "the session, its user and the header in one query (session-preload.ts)").toBe(1);
    const small = await queriesOf("/province/2023");
    await writeSynthetic(db, { blocs: 4, agencies: 4, criteria: 12, years: 2, seed: 22, prefix: "qr", lastYear: 2024 });
    await giveAllBlocs((await db("users").where({ username: "quansat.qp" }).first("id")).id);
    const page = await observer.get("/province/2023");
    expect(page.text.match(/<tr data-bloc=/g)?.length).toBe(6);
    const large = await queriesOf("/province/2023");
    if (process.env.SHOW_QUERY_COUNTS) console.log(JSON.stringify({ base, small: small.length, large: large.length, sql: large }));
    expect(large.length).toBe(small.length);
    expect(large.length - base).toBeLessThanOrEqual(8);
    // Nothing changed since the last visit: the page reads the years' revisions, the rest comes from the cache.
    expect(large.length - base).toBe(1);
  });

  it("when a report of one bloc's year is sent, then the next visit to /province/<year> reads that year again and shows it", async () => {
    const rowOf = (html: string, bloc: string) => new RegExp(`<tr data-bloc="${bloc}">[\\s\\S]*?</tr>`).exec(html)![0];
    const base = (await queriesOf("/account/password")).length;
    const before = (await observer.get("/province/2024")).text;
    const period = await db("periods as p").join("emulation_years as y", "y.id", "p.year_id").join("blocs as b", "b.id", "y.bloc_id")
      .where({ "b.code": "qp01", "y.year": 2024, "p.number": 1 }).first("p.id");
    const sent = db("reports as r").where("r.period_id", period.id).whereRaw("r.agency_id = ya.agency_id").whereIn("r.status", ["submitted", "accepted", "reviewed"]);
    const missing = await db("year_agencies as ya").join("emulation_years as y", "y.id", "ya.year_id").join("blocs as b", "b.id", "y.bloc_id")
      .where({ "b.code": "qp01", "y.year": 2024 }).whereNotExists(sent).first("ya.agency_id");
    expect(missing, "the synthetic year has an agency whose first report is not sent").toBeTruthy();
    await db("reports").where({ period_id: period.id, agency_id: missing.agency_id }).del();
    await db("reports").insert({ period_id: period.id, agency_id: missing.agency_id, status: "submitted", submitted_at: new Date("2024-06-01T09:00:00+07:00"), submitted_on: "2024-06-01" });

    const seen: string[] = [];
    const record = (q: { sql: string }) => seen.push(q.sql);
    db.on("query", record);
    let after: string;
    try {
      after = (await observer.get("/province/2024")).text;
    } finally {
      db.off("query", record);
    }
    // The changed year's revision is a new key: the years, periods and proposals are read again.
    expect(seen.length - base).toBeGreaterThan(1);
    expect(rowOf(after, "qp01")).not.toBe(rowOf(before, "qp01"));
    expect(rowOf(after, "qp02")).toBe(rowOf(before, "qp02"));
  });
});
