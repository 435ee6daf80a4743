// Ranking cost growth: the pure scoring service (scoreYear) on 10 … 10,000 agencies × 120 criteria
// (median time of a few runs, heap growth), and the year-bundle import of ~10k score entries on
// PGlite and PostgreSQL. `node --import tsx bench/ranking-growth.ts` → bench/results/ranking-growth.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import knex from "knex";
import { scoreYear, DEMO_RULES, type AgencyYearInput, type CriterionDef } from "../src/scoring/index.js";
import { generateCriteria, prng } from "../src/synthetic/generator.js";
import { openPglite, openPostgres, type Database } from "../src/db/database.js";
import { migrateLatest } from "../src/db/migrate.js";
import { createServices } from "../src/services.js";
import { writeSynthetic } from "../src/synthetic/writer.js";
import { ROOT } from "./lib.js";

const SIZES = (process.env.GROWTH_SIZES ?? "10,100,1000,10000").split(",").map(Number);
const CRITERIA = 120;
const RUNS = Number(process.env.GROWTH_RUNS ?? 5);
const PG_SERVER = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function inputs(n: number) {
  const rng = prng(42);
  const gen = generateCriteria(rng, CRITERIA);
  const ids = new Map(gen.map((c, i) => [c.code, i + 1]));
  const criteria: CriterionDef[] = gen.map((c) => ({
    id: ids.get(c.code)!, code: c.code, title: c.title, parentId: c.parentCode ? ids.get(c.parentCode)! : null, kind: c.kind,
    maxPoints: c.maxHundredths / 100, autoSource: c.autoSource, sortOrder: c.sortOrder,
  }));
  const leaves = criteria.filter((c) => c.parentId !== null && !c.autoSource);
  const agencies: AgencyYearInput[] = Array.from({ length: n }, (_, i) => ({
    agencyId: i + 1, code: `a${i + 1}`, name: `Cơ quan ${i + 1}`, sheetStatus: rng() < 0.9 ? "reviewed" : "draft",
    sheetSubmittedAt: new Date(Date.UTC(2025, 11, 1 + (i % 14), 8, i % 60)).toISOString(), disciplineFlag: rng() < 0.03,
    disciplineReason: null, lateReports: rng() < 0.1 ? 1 : 0,
    entries: leaves.map((c) => c.kind === "deduction"
      ? { criterionId: c.id, selfPoints: null, blocPoints: null, selfCount: 0, blocCount: rng() < 0.05 ? 1 : 0 }
      : { criterionId: c.id, selfPoints: c.maxPoints, blocPoints: rng() < 0.8 ? c.maxPoints : Math.floor(c.maxPoints * 50) / 100, selfCount: null, blocCount: null }),
  }));
  agencies.forEach((a) => { if (a.disciplineFlag) a.disciplineReason = "Có công chức bị kỷ luật"; });
  const ballots = agencies.map((a) => ({ agencyId: a.agencyId, votesFor: Math.floor(rng() * n), validBallots: n }));
  return { agencies, criteria, ballots };
}

function scoring() {
  const out: { agencies: number; criteria: number; medianMs: number; minMs: number; heapDeltaMiB: number }[] = [];
  for (const n of SIZES) {
    const input = inputs(n);
    const times: number[] = [];
    let heapDelta = 0;
    for (let r = 0; r < RUNS; r++) {
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      const result = scoreYear(input, DEMO_RULES);
      times.push(performance.now() - t0);
      heapDelta = Math.max(heapDelta, process.memoryUsage().heapUsed - before);
      if (result.ranking.ranked.length + result.ranking.unranked.length !== n) throw new Error("lost agencies");
    }
    times.sort((a, b) => a - b);
    const row = { agencies: n, criteria: CRITERIA, medianMs: Math.round(times[Math.floor(RUNS / 2)]! * 100) / 100, minMs: Math.round(times[0]! * 100) / 100, heapDeltaMiB: Math.round((heapDelta / 2 ** 20) * 10) / 10 };
    console.error(`scoreYear ${n} agencies: median ${row.medianMs} ms, heap +${row.heapDeltaMiB} MiB`);
    out.push(row);
    if (times[0]! > 60_000) break;
  }
  return out;
}

/** A bundle with `agencies` × 120 criteria ≈ 10k entries: generated, written to PostgreSQL, exported. */
async function makeBundle(agencies: number): Promise<unknown> {
  const database = await openPglite();
  try {
    await migrateLatest(database.knex);
    await writeSynthetic(database.knex, { blocs: 1, agencies, criteria: CRITERIA, years: 1, seed: 7, prefix: "imp", lastYear: 2025 });
    return await createServices(database.knex).bundle.exportYear("imp01", 2025);
  } finally {
    await database.close();
  }
}

async function importInto(kind: "pglite" | "postgres", bundle: unknown) {
  let database: Database;
  let drop = async () => {};
  if (kind === "pglite") database = await openPglite();
  else {
    const name = `thidua_bench_import_${process.pid}`;
    const admin = knex({ client: "pg", connection: PG_SERVER, pool: { min: 0, max: 1 } });
    await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.raw(`CREATE DATABASE ${name}`);
    const u = new URL(PG_SERVER);
    u.pathname = `/${name}`;
    database = openPostgres(u.toString(), 5);
    drop = async () => { await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); await admin.destroy(); };
  }
  try {
    await migrateLatest(database.knex);
    const bundleService = createServices(database.knex).bundle;
    const times: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const res = await bundleService.importYear(structuredClone(bundle), { replace: r > 0, actor: null });
      times.push(performance.now() - t0);
      if (!res.ok) throw new Error(JSON.stringify(res.errors.slice(0, 3)));
    }
    const entries = Number((await database.knex("score_entries").count({ n: "*" }))[0]!.n);
    times.sort((a, b) => a - b);
    return { kind, entries, medianMs: Math.round(times[1]!), runsMs: times.map(Math.round) };
  } finally {
    await database.close();
    await drop();
  }
}

async function main() {
  const load = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const scoreRows = scoring();
  const agencies = Number(process.env.IMPORT_AGENCIES ?? 90); // 90 × ~112 entered items ≈ 10k entries
  const bundle = await makeBundle(agencies);
  const imports = [];
  for (const kind of ["postgres", "pglite"] as const) {
    const r = await importInto(kind, bundle);
    console.error(`import-year ${r.entries} entries on ${kind}: median ${r.medianMs} ms (${r.runsMs.join(", ")})`);
    imports.push(r);
  }
  const result = { at: new Date().toISOString(), node: process.version, loadBefore: load, loadAfter: os.loadavg().map((x) => Math.round(x * 100) / 100), scoreYear: scoreRows, importYear: imports };
  fs.mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
  fs.writeFileSync(path.join(ROOT, "bench", "results", "ranking-growth.json"), JSON.stringify(result, null, 2));
  console.log("| agencies × criteria | scoreYear median (ms) | heap Δ (MiB) |\n|---:|---:|---:|");
  for (const r of scoreRows) console.log(`| ${r.agencies} × ${r.criteria} | ${r.medianMs} | ${r.heapDeltaMiB} |`);
  console.log("\n| import-year | score entries | median (ms) | runs (ms) |\n|---|---:|---:|---|");
  for (const r of imports) console.log(`| ${r.kind} | ${r.entries} | ${r.medianMs} | ${r.runsMs.join(", ")} |`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
