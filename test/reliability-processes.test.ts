import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import knex, { type Knex } from "knex";
import { onPostgres } from "./db.js";
import type { TestData } from "./test-data.js";
import { Browser, csrf, freePort, freshPgDatabase, root, spawnPortal, twoPorts, versionOf, type PortalProcess } from "./reliability-support.js";
import { seedDemo } from "../seeds/demo.js";
import { exportYearCommand } from "../src/bundle/bundle-command.js";
import { DEMO_PASSWORD } from "../seeds/demo-data.js";
import { browserFormFields } from "./http.js";

// Real processes on PostgreSQL: kill -9 in the middle of a write, SIGTERM with a request in
// flight, and two portal processes sharing one database. PostgreSQL run only (PGlite has one
// process per data folder, so none of this applies to it).

const pgOnly = !onPostgres();
const dropLater: (() => Promise<void>)[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "thidua-proc-"));
afterAll(async () => {
  for (const drop of dropLater) await drop().catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function fresh(data: TestData = "migrated"): Promise<{ url: string; db: Knex }> {
  const d = await freshPgDatabase(data);
  const db = knex({ client: "pg", connection: d.url, pool: { min: 0, max: 2 } });
  dropLater.push(async () => {
    await db.destroy();
    await d.drop();
  });
  return { url: d.url, db };
}

const count = async (db: Knex, table: string) => Number((await db(table).count<{ n: string }[]>("* as n"))[0]!.n);

/** Runs the CLI and kills it with SIGKILL after `delayMs` (or lets it finish when it is faster). */
function cliKilledAfter(url: string, args: string[], delayMs: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
      cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: "ignore",
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = child.kill("SIGKILL");
    }, delayMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ killed: killed && code === null, code });
    });
  });
}

/**
 * Runs the CLI and kills it with SIGKILL as soon as `inTransaction` sees its write under way
 * (polled every few ms), so the kill lands inside the transaction whatever the machine's speed.
 */
function cliKilledInTransaction(url: string, args: string[], inTransaction: () => Promise<boolean>): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
      cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: "ignore",
    });
    let exited = false;
    let killed = false;
    child.once("exit", (code) => {
      exited = true;
      resolve({ killed: killed && code === null, code });
    });
    const poll = async () => {
      while (!exited && !killed) {
        if (await inTransaction().catch(() => false)) {
          killed = child.kill("SIGKILL");
          return;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    void poll();
  });
}

/** A backend of `db`'s database inside an open transaction that is inserting the demo year. */
async function seedWriting(db: Knex): Promise<boolean> {
  const rows = await db.raw(
    `SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
        AND query ~* 'insert into "(blocs|agencies|users|emulation_years|campaigns|periods|criteria|registrations|reports|score_sheets|score_entries)"'`,
  );
  return Number(rows.rows[0].n) > 0;
}

describe.skipIf(pgOnly)("kill -9 in the middle of a write (PostgreSQL run only: a separate CLI process on a server database)", () => {
  let full: { criteria: number; registrations: number; sheets: number };
  let bundleFile: string;
  let bundleYear: { criteria: number; registrations: number; sheets: number };
  beforeAll(async () => {
    const { db } = await fresh();
    // The real demo, as the CLI loads it (2022 closed, plus the running year).
    await seedDemo(db);
    full = { criteria: await count(db, "criteria"), registrations: await count(db, "registrations"), sheets: await count(db, "score_sheets") };
    // The bundle holds 2022 alone: a whole import is that year's rows, not the demo's two years.
    const y2022 = (await db("emulation_years").where({ year: 2022 }).first("id")).id as number;
    const ofYear = async (table: string) => Number((await db(table).where({ year_id: y2022 }).count<{ n: string }[]>("* as n"))[0]!.n);
    bundleYear = { criteria: await ofYear("criteria"), registrations: await ofYear("registrations"), sheets: await ofYear("score_sheets") };
    bundleFile = path.join(tmp, "bundle.json");
    fs.writeFileSync(bundleFile, await exportYearCommand(db, ["noichinh-tq", "2022"]));
  }, 60_000);

  it("when `seed-demo` is killed inside its transaction, or after a random delay, then each time the database holds the whole demo year or none of it", async () => {
    expect(full.criteria).toBeGreaterThan(0);
    expect(full.registrations).toBeGreaterThanOrEqual(7);
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { url, db } = await fresh();
      // Half the runs are killed the moment the seed's transaction is writing; half at random.
      const targeted = i % 2 === 0;
      const delay = 300 + Math.floor(Math.random() * 2500);
      const r = targeted ? await cliKilledInTransaction(url, ["seed-demo"], () => seedWriting(db)) : await cliKilledAfter(url, ["seed-demo"], delay);
      const got = { criteria: await count(db, "criteria"), registrations: await count(db, "registrations") };
      const none = got.criteria === 0 && got.registrations === 0;
      const whole = got.criteria === full.criteria && got.registrations === full.registrations;
      expect(none || whole, `${targeted ? "inside the transaction" : `after ${delay} ms`} (killed: ${r.killed}): ${JSON.stringify(got)}`).toBe(true);
      if (targeted && r.killed) expect(none, "a kill inside the transaction leaves nothing").toBe(true);
      outcomes.push(r.killed ? (none ? "killed-none" : "killed-whole") : "finished");
      // The next run (or a restart) completes what was interrupted.
      if (none) expect((await cliKilledAfter(url, ["seed-demo"], 60_000)).code).toBe(0);
      expect(await count(db, "criteria")).toBe(full.criteria);
    }
    expect(outcomes.filter((o) => o === "killed-none").length, outcomes.join(", ")).toBeGreaterThanOrEqual(2);
  }, 240_000);

  it("when `import-year` is killed after a random delay, then the database holds the whole year or none of it", async () => {
    for (let i = 0; i < 4; i++) {
      const { url, db } = await fresh();
      const delay = 300 + Math.floor(Math.random() * 2000);
      const r = await cliKilledAfter(url, ["import-year", bundleFile], delay);
      const got = { criteria: await count(db, "criteria"), registrations: await count(db, "registrations"), sheets: await count(db, "score_sheets") };
      const none = got.criteria === 0 && got.registrations === 0 && got.sheets === 0;
      const whole = got.criteria === bundleYear.criteria && got.registrations === bundleYear.registrations && got.sheets === bundleYear.sheets;
      expect(none || whole, `after ${delay} ms (killed: ${r.killed}, exit ${r.code}): ${JSON.stringify(got)} (whole: ${JSON.stringify(bundleYear)})`).toBe(true);
    }
  }, 180_000);
});

describe.skipIf(pgOnly)("graceful shutdown on SIGTERM (PostgreSQL run only: a real server process)", () => {
  it("when SIGTERM arrives while a POST body is still being sent, then that request completes with 303, new connections are refused, and the process exits 0", async () => {
    const { url, db } = await fresh("demo-2022-open");
    const port = await freePort();
    const portal = await spawnPortal({ DATABASE_URL: url }, port);
    try {
      const browser = new Browser(portal.base);
      const page = await browser.get("/login");
      const body = new URLSearchParams({ _csrf: csrf(page.text), username: "canbo.thads", password: DEMO_PASSWORD }).toString();
      const half = Math.floor(body.length / 2);

      let sendRest = () => {};
      const response = new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: "127.0.0.1", port, path: "/login", method: "POST", headers: { cookie: browser.cookie, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.write(body.slice(0, half));
        // The rest of the body is sent only once the server has stopped accepting.
        sendRest = () => req.end(body.slice(half));
      });
      await new Promise((r) => setTimeout(r, 200));
      portal.child.kill("SIGTERM");
      // No new connections while stopping: wait (bounded) until the listener is closed.
      let refused = false;
      for (let i = 0; i < 200 && !refused; i++) {
        refused = await fetch(`${portal.base}/healthz`).then(
          () => false,
          () => true,
        );
        if (!refused) await new Promise((r) => setTimeout(r, 50));
      }
      expect(refused, "new connections are refused after SIGTERM").toBe(true);
      sendRest();
      expect(await response).toBe(303);
      expect(await portal.exited).toBe(0);
      // The login it finished was written (the pool closed after it, not before).
      expect(await count(db, "sessions")).toBeGreaterThan(0);
    } finally {
      if (portal.child.exitCode === null) portal.child.kill("SIGKILL");
    }
  }, 60_000);
});

describe.skipIf(pgOnly)("two portal processes on one database (PostgreSQL run only)", () => {
  let a: PortalProcess;
  let b: PortalProcess;
  let db: Knex;
  beforeAll(async () => {
    const d = await fresh("demo-2022-open");
    db = d.db;
    const [pa, pb] = await twoPorts([3001, 3002]);
    [a, b] = await Promise.all([spawnPortal({ DATABASE_URL: d.url }, pa), spawnPortal({ DATABASE_URL: d.url }, pb)]);
  }, 60_000);
  afterAll(async () => {
    for (const p of [a, b]) {
      if (p && p.child.exitCode === null) {
        p.child.kill("SIGTERM");
        await p.exited;
      }
    }
  });

  const reportUrl = (agency: string) => `/blocs/noichinh-tq/years/2022/periods/1/reports/${agency}`;

  it("when a user logs in on the first process, then the session cookie works on the second", async () => {
    const onA = new Browser(a.base);
    await onA.login("thuongtruc", DEMO_PASSWORD);
    const onB = onA.on(b.base);
    const home = await onB.get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Đăng xuất");
    // And logging out on B ends the session on A too.
    await onB.post("/logout", { _csrf: csrf(home.text) });
    const after = await onA.get("/");
    expect([302, 303]).toContain(after.status);
  });

  it("when two clerks save drafts at the same time through different processes, then both drafts are stored", async () => {
    const thads = new Browser(a.base);
    const stp = new Browser(b.base);
    await Promise.all([thads.login("canbo.thads", DEMO_PASSWORD), stp.login("canbo.stp", DEMO_PASSWORD)]);
    const [pt, po] = await Promise.all([thads.get(reportUrl("thads")), stp.get(reportUrl("stp"))]);
    const save = (br: Browser, agency: string, html: string, text: string) =>
      br.post(reportUrl(agency), { _csrf: csrf(html), version: versionOf(html), action: "save", "s.PT1.done": text, general: "" });
    const results = await Promise.all([save(thads, "thads", pt.text, "Nháp của THADS"), save(stp, "stp", po.text, "Nháp của Sở Tư pháp")]);
    expect(results.map((r) => r.status)).toEqual([303, 303]);
    const rows = await db("reports as r").join("agencies as ag", "ag.id", "r.agency_id").join("periods as p", "p.id", "r.period_id")
      .where("p.number", 1).whereIn("ag.code", ["thads", "stp"]).select("ag.code", "r.content", "r.status");
    const byCode = Object.fromEntries(rows.map((r: { code: string; content: { sections: { PT1: { done: string } } } }) => [r.code, r.content.sections.PT1.done]));
    expect(byCode).toEqual({ thads: "Nháp của THADS", stp: "Nháp của Sở Tư pháp" });
  });

  it("when the same report is saved from both processes with the same version, then exactly one save wins and the other is told", async () => {
    const onA = new Browser(a.base);
    await onA.login("canbo.thads", DEMO_PASSWORD);
    const onB = onA.on(b.base);
    let page = await onA.get(reportUrl("thads"));
    if (versionOf(page.text) === "") {
      await onA.post(reportUrl("thads"), { _csrf: csrf(page.text), version: "", action: "save", "s.PT1.done": "Bản đầu", general: "" });
      page = await onA.get(reportUrl("thads"));
    }
    const version = versionOf(page.text);
    expect(version).not.toBe("");
    const send = (br: Browser, text: string) => br.post(reportUrl("thads"), { _csrf: csrf(page.text), version, action: "save", "s.PT1.done": text, general: "" });
    const results = await Promise.all([send(onA, "Bản từ cổng 1"), send(onB, "Bản từ cổng 2")]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.text).toContain("Chưa lưu được");
    const row = await db("reports as r").join("agencies as ag", "ag.id", "r.agency_id").join("periods as p", "p.id", "r.period_id")
      .where({ "p.number": 1, "ag.code": "thads" }).first("r.version", "r.content");
    expect(row.version).toBe(Number(version) + 1);
    const winner = results[0]!.status === 303 ? "Bản từ cổng 1" : "Bản từ cổng 2";
    expect(row.content.sections.PT1.done).toBe(winner);
  });

  it("when a bloc is renamed in the database, then the second process's header (its list of blocs held from before) shows the new name", async () => {
    const onB = new Browser(b.base);
    await onB.login("thuongtruc", DEMO_PASSWORD);
    const before = await onB.get("/");
    expect(before.text).toContain("Khối thi đua Nội chính tỉnh Tuyên Quang");
    expect((await onB.get("/")).status).toBe(200); // the list is now held by B
    await db("blocs").where({ code: "noichinh-tq" }).update({ name: "Khối thi đua Nội chính tỉnh Tuyên Quang (đổi tên)" });
    try {
      expect((await onB.get("/")).text).toContain("Khối thi đua Nội chính tỉnh Tuyên Quang (đổi tên)");
    } finally {
      await db("blocs").where({ code: "noichinh-tq" }).update({ name: "Khối thi đua Nội chính tỉnh Tuyên Quang" });
    }
  });

  it("when a score changes through the first process, then the second process's ranking (cached from before) shows the new total", async () => {
    // Issue 16: each process keeps the computed year; the year's revision, bumped in the writing
    // transaction, tells the other process its copy is stale.
    const onA = new Browser(a.base);
    await onA.login("thuongtruc", DEMO_PASSWORD);
    const onB = onA.on(b.base);
    const json = "/blocs/noichinh-tq/years/2022/ranking.json";
    type Row = { agency: string; total: number | null };
    const rowsOf = async (br: Browser): Promise<Row[]> => {
      const res = await br.get(json);
      expect(res.status).toBe(200);
      const body = JSON.parse(res.text) as Row[] | { rows: Row[] };
      return Array.isArray(body) ? body : body.rows;
    };
    const before = await rowsOf(onB);
    expect(await rowsOf(onA)).toEqual(before);
    expect(await rowsOf(onB)).toEqual(before); // served from B's cache
    const top = before.find((r) => (r.total ?? 0) > 0)!;
    expect(top).toBeTruthy();
    // The secretariat, on A, gives every criterion of that agency's sheet 0 bloc points (with a reason).
    const sheetUrl = `/blocs/noichinh-tq/years/2022/sheets/${top.agency}`;
    const page = await onA.get(sheetUrl);
    expect(page.status).toBe(200);
    const fields = Object.fromEntries(Object.entries(browserFormFields(page.text, sheetUrl)).filter((e): e is [string, string] => typeof e[1] === "string"));
    const zeroed = Object.keys(fields).filter((k) => /^b_\d+$/.test(k));
    expect(zeroed.length).toBeGreaterThan(0);
    for (const k of zeroed) {
      fields[k] = "0";
      fields[`r_${k.slice(2)}`] = "Kiểm tra hai tiến trình";
    }
    const saved = await onA.post(sheetUrl, { ...fields, _csrf: csrf(page.text), action: "save" });
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    const afterOnA = await rowsOf(onA);
    expect(afterOnA.find((r) => r.agency === top.agency)!.total).not.toBe(top.total);
    // B was not told anything: it reads the new revision and scores again.
    expect(await rowsOf(onB)).toEqual(afterOnA);
  });
});
