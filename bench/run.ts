// `npm run bench`: builds the synthetic province on PostgreSQL and on PGlite, then measures the main
// pages of the portal (child process, NODE_ENV=production) and of the BASELINE (bare Express + EJS
// rendering the same view models from memory) with autocannon on loopback. Writes
// bench/results/latest.json and prints a Markdown table. Bounded: ~10 s per endpoint and target.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import knex from "knex";
import { openPostgres } from "../src/db/database.js";
import { migrateLatest } from "../src/db/migrate.js";
import { captureViews, type PageSpec } from "./capture.js";
import { cleanEnv, PROXY_HEADERS, ROOT, login, loginRequests, measure, startServer, type Measure, type RunOpts } from "./lib.js";

const env = process.env;
const PG_SERVER = env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PG_DB = env.BENCH_PG_DB ?? "thidua_bench"; // another name lets two checkouts bench side by side
const PORT = Number(env.BENCH_PORT ?? 3990); // baseline; the portals on PORT + 1 (PostgreSQL) and PORT + 2 (PGlite)
const SIZE = {
  blocs: Number(env.BENCH_BLOCS ?? 40),
  agencies: Number(env.BENCH_AGENCIES ?? 25),
  criteria: Number(env.BENCH_CRITERIA ?? 120),
  years: Number(env.BENCH_YEARS ?? 5),
  seed: 1,
};
const RUN: RunOpts = { connections: Number(env.BENCH_CONNECTIONS ?? 32), duration: Number(env.BENCH_DURATION ?? 10) };
const ONLY = env.BENCH_ONLY?.split(",") ?? null; // e.g. BENCH_ONLY=dashboard,ranking
const REUSE = env.BENCH_REUSE === "1"; // keep the databases of the previous run (bench/results/pglite)

const BLOC = "sx01";
const YEAR = 2025;
const Y = `/blocs/${BLOC}/years/${YEAR}`;
const SECRETARIAT = `thuongtruc.${BLOC}`;
const CLERK = `canbo.${BLOC}-a01`;
/** The demo's admin: the province's view of every bloc (41), as the board's observer sees those given to it. */
const ADMIN = "quantri";

const PAGES: (PageSpec & { label: string })[] = [
  { name: "dashboard", label: "Dashboard (thường trực)", path: `${Y}/dashboard`, user: SECRETARIAT },
  { name: "ranking", label: "Ranking page", path: `${Y}/ranking`, user: SECRETARIAT },
  { name: "report", label: "Report form (clerk)", path: `${Y}/periods/2/reports/${BLOC}-a01`, user: CLERK },
  { name: "sheet", label: "Score sheet form (clerk)", path: `${Y}/sheets/${BLOC}-a01`, user: CLERK },
  { name: "print", label: "Ranking print page", path: `${Y}/ranking/print`, user: SECRETARIAT },
  { name: "login", label: "GET /login", path: "/login", user: null },
  // The year before YEAR: published in every synthetic bloc (the demo bloc has no such year).
  { name: "province", label: "Province view /province/<year> (41 blocs)", path: `/province/${YEAR - 1}`, user: ADMIN },
];
const selected = (name: string) => !ONLY || ONLY.includes(name);

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function cli(args: string[], dbEnv: Record<string, string>): string {
  return execFileSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: ROOT, env: cleanEnv({ ...env, LOG_LEVEL: "warn", ...dbEnv }), encoding: "utf8", maxBuffer: 64 << 20,
  });
}

function generate(dbEnv: Record<string, string>): number {
  const t0 = performance.now();
  cli(["seed-demo"], dbEnv);
  cli(["gen-synthetic", "--blocs", String(SIZE.blocs), "--agencies", String(SIZE.agencies), "--criteria", String(SIZE.criteria), "--years", String(SIZE.years), "--seed", String(SIZE.seed), "--last-year", String(YEAR)], dbEnv);
  return Math.round(performance.now() - t0);
}

function machine() {
  const sh = (cmd: string) => { try { return execFileSync("sh", ["-c", cmd], { encoding: "utf8" }).trim(); } catch { return "?"; } };
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "?",
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: sh(`psql "${PG_SERVER}" -Atc "show server_version"`),
    loadBefore: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Median latency of `n` sequential requests (one user, nothing else running): "end to end". */
async function sequentialMs(url: string, cookie: string, n = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { ...PROXY_HEADERS, cookie } });
    await res.text();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(n / 2)]! * 10) / 10;
}

type TargetResults = Record<string, Measure>;

async function benchPortal(kind: "postgres" | "pglite", dbEnv: Record<string, string>, port: number) {
  const server = await startServer("src/server.ts", dbEnv, port);
  try {
    const cookies = new Map<string | null, string>([[null, ""]]);
    for (const u of new Set(PAGES.filter((p) => selected(p.name) && p.user).map((p) => p.user!).concat(SECRETARIAT))) cookies.set(u, await login(server.url, u));
    const out: TargetResults = {};
    for (const p of PAGES) {
      if (!selected(p.name)) continue;
      out[p.name] = await measure(server.url + p.path, { ...PROXY_HEADERS, cookie: cookies.get(p.user)! }, RUN);
      console.error(`  ${kind} ${p.name}: ${out[p.name]!.reqPerSec} req/s p99 ${out[p.name]!.p99} ms`);
    }
    if (selected("loginPost")) {
      out.loginPost = await measure(server.url, {}, RUN, { requests: loginRequests(SECRETARIAT) });
      console.error(`  ${kind} loginPost: ${out.loginPost.reqPerSec} req/s`);
    }
    const rankingSequentialMs = await sequentialMs(`${server.url}${Y}/ranking`, cookies.get(SECRETARIAT)!);
    return { pages: out, rankingSequentialMs };
  } finally {
    await server.stop();
  }
}

async function main() {
  const started = Date.now();
  const info = machine();
  console.error(`machine: ${JSON.stringify(info)}`);
  const pgUrl = withDb(PG_SERVER, PG_DB);
  const pgliteDir = path.join(ROOT, "bench", "results", "pglite");
  const previous = path.join(ROOT, "bench", "results", "latest.json");
  // Reused databases keep the generation times measured when they were made.
  const gen: Record<string, number | null> = REUSE && fs.existsSync(previous)
    ? (JSON.parse(fs.readFileSync(previous, "utf8")) as { data: { generationMs: Record<string, number | null> } }).data.generationMs
    : { postgres: null, pglite: null };
  if (!REUSE) {
    const admin = knex({ client: "pg", connection: PG_SERVER, pool: { min: 0, max: 1 } });
    await admin.raw(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
    await admin.raw(`CREATE DATABASE ${PG_DB}`);
    await admin.destroy();
    console.error("generating on PostgreSQL…");
    gen.postgres = generate({ DATABASE_URL: pgUrl });
    fs.rmSync(pgliteDir, { recursive: true, force: true });
    console.error("generating on PGlite…");
    gen.pglite = generate({ DATA_DIR: pgliteDir, DATABASE_URL: "" });
  }

  // The view models, captured once from the real services on PostgreSQL.
  const database = openPostgres(pgUrl, 2);
  const db = database.knex;
  // A reused database may come from an older checkout: bring it to this one's schema first (the portal
  // does the same at start; the capture reads through the services directly).
  await migrateLatest(db);
  const views = await captureViews(db, PAGES);
  const counts = await db.raw(`SELECT (SELECT count(*) FROM agencies) AS agencies, (SELECT count(*) FROM score_entries) AS entries,
    (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM score_sheets) AS sheets, (SELECT count(*) FROM emulation_years) AS years`);
  await database.close();
  const viewsFile = path.join(ROOT, "bench", "results", "views.json");
  fs.writeFileSync(viewsFile, JSON.stringify(views));

  console.error("baseline…");
  const baseline: TargetResults = {};
  const base = await startServer("bench/baseline-server.ts", { BENCH_VIEWS: viewsFile }, PORT);
  try {
    const bytes = Object.fromEntries(await Promise.all(PAGES.map(async (p) => [p.name, (await (await fetch(`${base.url}/${p.name}`)).text()).length] as const)));
    for (const p of PAGES) {
      if (!selected(p.name)) continue;
      baseline[p.name] = await measure(`${base.url}/${p.name}`, {}, RUN);
      console.error(`  baseline ${p.name}: ${baseline[p.name]!.reqPerSec} req/s (page ${bytes[p.name]} chars; real ${views[p.name]!.bytes} bytes)`);
    }
  } finally {
    await base.stop();
  }

  console.error("portal on PostgreSQL…");
  const postgres = await benchPortal("postgres", { DATABASE_URL: pgUrl }, PORT + 1);
  console.error("portal on PGlite…");
  const pglite = await benchPortal("pglite", { DATA_DIR: pgliteDir, DATABASE_URL: "" }, PORT + 2);

  const rows = [...PAGES.map((p) => ({ name: p.name, label: p.label })), { name: "loginPost", label: "Login (GET /login + POST /login, argon2)" }].filter((r) => selected(r.name));
  const ratio = (a?: Measure, b?: Measure) => (a && b && b.reqPerSec ? Math.round((a.reqPerSec / b.reqPerSec) * 1000) / 10 : null);
  const table = rows.map((r) => {
    const b = baseline[r.name];
    const pg = postgres.pages[r.name];
    const pl = pglite.pages[r.name];
    return { ...r, baseline: b ?? null, postgres: pg ?? null, pglite: pl ?? null, pgVsBaselinePct: ratio(pg, b), pgliteVsBaselinePct: ratio(pl, b), pgliteVsPgPct: ratio(pl, pg) };
  });
  const result = {
    at: new Date().toISOString(),
    machine: { ...info, loadAfter: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    settings: { ...RUN, size: SIZE, bloc: BLOC, year: YEAR, tool: "autocannon 8.0.0 (same process as the orchestrator), loopback" },
    data: { ...(counts.rows[0] as Record<string, unknown>), generationMs: gen },
    rankingSequentialMs: { postgres: postgres.rankingSequentialMs, pglite: pglite.rankingSequentialMs },
    table,
    totalSeconds: Math.round((Date.now() - started) / 1000),
  };
  fs.writeFileSync(path.join(ROOT, "bench", "results", "latest.json"), JSON.stringify(result, null, 2));

  const f = (m: Measure | null) => (m ? `${m.reqPerSec} | ${m.p50} | ${m.p99}${m.non2xx || m.errors ? ` (${m.non2xx} err ${m.errors})` : ""}` : "— | — | —");
  const pct = (x: number | null) => (x === null ? "—" : `${x} %`);
  console.log(`| page | baseline req/s | p50 | p99 | PostgreSQL req/s | p50 | p99 | PGlite req/s | p50 | p99 | PG/baseline | PGlite/baseline | PGlite/PG |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const r of table) console.log(`| ${r.label} | ${f(r.baseline)} | ${f(r.postgres)} | ${f(r.pglite)} | ${pct(r.pgVsBaselinePct)} | ${pct(r.pgliteVsBaselinePct)} | ${pct(r.pgliteVsPgPct)} |`);
  console.log(`\nRanking page, one request at a time (median of 15): PostgreSQL ${result.rankingSequentialMs.postgres} ms, PGlite ${result.rankingSequentialMs.pglite} ms.`);
  console.log(`${RUN.connections} connections, ${RUN.duration} s per endpoint; load before ${info.loadBefore.join(" ")}, after ${result.machine.loadAfter.join(" ")}; total ${result.totalSeconds} s.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
