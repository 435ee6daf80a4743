// `npm run bench`: builds the synthetic province on PostgreSQL and on PGlite, then measures the main
// pages of the portal (child process, NODE_ENV=production) and of the BASELINE (bare Express + EJS
// rendering the same view models from memory) with autocannon on loopback. Writes
// bench/results/latest.json and prints a Markdown table. Bounded: ~10 s per endpoint and target, in bursts
// that alternate the targets page by page (measurePages).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import knex from "knex";
import { openPostgres } from "../src/db/database.js";
import { migrateLatest } from "../src/db/migrate.js";
import { captureViews, type PageSpec } from "./capture.js";
import { burst, cleanEnv, PROXY_HEADERS, ROOT, login, loginRequests, measure, processCpuSeconds, quantile, startServer, warmUp, type Measure, type RunOpts, type Server } from "./lib.js";

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
const ROUNDS = Number(env.BENCH_ROUNDS ?? 4); // bursts per page and target, interleaved (measurePages)
const RAMP_SECONDS = 0.5; // the start of each burst, not counted (measurePages)
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

/** A target of the page rounds: the bare render or a portal, with the cookie of each page's user. */
interface Target {
  kind: "baseline" | "postgres" | "pglite";
  server: Server;
  url(page: PageSpec): string;
  headers(page: PageSpec): Record<string, string>;
}

async function portalTarget(kind: "postgres" | "pglite", dbEnv: Record<string, string>, port: number): Promise<Target> {
  const server = await startServer("src/server.ts", dbEnv, port);
  const cookies = new Map<string | null, string>([[null, ""]]);
  for (const u of new Set(PAGES.filter((p) => selected(p.name) && p.user).map((p) => p.user!).concat(SECRETARIAT))) cookies.set(u, await login(server.url, u));
  return { kind, server, url: (p) => server.url + p.path, headers: (p) => ({ ...PROXY_HEADERS, cookie: cookies.get(p.user)! }) };
}

/**
 * Each page is measured on the three targets in turns (ROUNDS bursts of DURATION / ROUNDS + RAMP_SECONDS seconds
 * each, the order rotating every round), so a ratio compares the targets under the same machine load: this
 * VM's speed drifts by tens of percent within minutes, and measuring every baseline page first, then every
 * portal page, made one run's ratios swing from 27 to 79 % for the same code. A burst's first RAMP_SECONDS
 * are not counted: its 32 connections open at once, and the first requests of a burst took up to 1.4 s on
 * the bare render and the portal alike (a load generator's ramp, not a steady state). req/s is a page's
 * counted requests over its counted seconds on that target; p50 and p99 are over all of them.
 */
async function measurePages(targets: Target[]): Promise<Record<Target["kind"], TargetResults>> {
  const out = Object.fromEntries(targets.map((t) => [t.kind, {} as TargetResults])) as Record<Target["kind"], TargetResults>;
  const seconds = RUN.duration / ROUNDS;
  for (const p of PAGES) {
    if (!selected(p.name)) continue;
    const runs = new Map(targets.map((t) => [t, { requests: 0, total: 0, cpu: 0, non2xx: 0, errors: 0, latencies: [] as number[] }]));
    for (const t of targets) await warmUp(t.url(p), t.headers(p));
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(i + r) % targets.length]!;
        const sum = runs.get(t)!;
        const cpu0 = processCpuSeconds(t.server.proc.pid!);
        const b = await burst(t.url(p), t.headers(p), RUN.connections, seconds + RAMP_SECONDS, RAMP_SECONDS, sum.latencies);
        sum.cpu += processCpuSeconds(t.server.proc.pid!) - cpu0;
        sum.total += b.total;
        sum.requests += b.requests;
        sum.non2xx += b.non2xx;
        sum.errors += b.errors;
      }
    }
    for (const [t, sum] of runs) {
      out[t.kind][p.name] = {
        reqPerSec: Math.round((sum.requests / (seconds * ROUNDS)) * 10) / 10,
        p50: quantile(sum.latencies, 0.5),
        p99: quantile(sum.latencies, 0.99),
        requests: sum.requests,
        non2xx: sum.non2xx,
        errors: sum.errors,
        cpuMsPerRequest: Math.round((sum.cpu * 1000 * 100) / sum.total) / 100,
      };
    }
    console.error(`  ${p.name}: ${targets.map((t) => `${t.kind} ${out[t.kind][p.name]!.reqPerSec} req/s p99 ${out[t.kind][p.name]!.p99} ms ${out[t.kind][p.name]!.cpuMsPerRequest} ms CPU`).join(", ")}`);
  }
  return out;
}

/** The portal-only measures (no bare render to compare with): the login POST, the sequential ranking page. */
async function portalOnly(t: Target) {
  const pages: TargetResults = {};
  if (selected("loginPost")) {
    pages.loginPost = await measure(t.server.url, {}, RUN, { requests: loginRequests(SECRETARIAT) });
    console.error(`  ${t.kind} loginPost: ${pages.loginPost.reqPerSec} req/s`);
  }
  const ranking = PAGES.find((p) => p.name === "ranking")!;
  return { pages, rankingSequentialMs: await sequentialMs(t.url(ranking), t.headers(ranking).cookie!) };
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

  const base = await startServer("bench/baseline-server.ts", { BENCH_VIEWS: viewsFile }, PORT);
  const baselineTarget: Target = { kind: "baseline", server: base, url: (p) => `${base.url}/${p.name}`, headers: () => ({}) };
  const targets: Target[] = [baselineTarget];
  let baseline: TargetResults;
  let postgres: Awaited<ReturnType<typeof portalOnly>>;
  let pglite: typeof postgres;
  try {
    const bytes = Object.fromEntries(await Promise.all(PAGES.map(async (p) => [p.name, (await (await fetch(`${base.url}/${p.name}`)).text()).length] as const)));
    for (const p of PAGES) if (selected(p.name)) console.error(`  ${p.name}: bare render ${bytes[p.name]} chars; real ${views[p.name]!.bytes} bytes`);
    targets.push(await portalTarget("postgres", { DATABASE_URL: pgUrl }, PORT + 1));
    targets.push(await portalTarget("pglite", { DATA_DIR: pgliteDir, DATABASE_URL: "" }, PORT + 2));
    console.error(`pages: ${ROUNDS} rounds of ${RUN.duration / ROUNDS} s per target (after a ${RAMP_SECONDS} s ramp each)…`);
    const measured = await measurePages(targets);
    baseline = measured.baseline;
    postgres = await portalOnly(targets[1]!);
    pglite = await portalOnly(targets[2]!);
    Object.assign(postgres.pages, measured.postgres);
    Object.assign(pglite.pages, measured.pglite);
  } finally {
    await Promise.all(targets.map((t) => t.server.stop()));
  }

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
    settings: { ...RUN, size: SIZE, bloc: BLOC, year: YEAR, rounds: ROUNDS, tool: "autocannon 8.0.0 (same process as the orchestrator), loopback; targets interleaved per page" },
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
