// CPU split of pages under load (node server vs PostgreSQL backends vs autocannon), per request.
// Needs the thidua_bench database of `npm run bench`. `node --import tsx bench/cpu-split.ts`
//   CPU_PAGES=login,print   only these pages (names below)
//   CPU_SECONDS=6           seconds per page at 32 connections
//   CPU_PROF=dir            the server runs with --cpu-prof, its profile written to dir at exit
import path from "node:path";
import { execFileSync } from "node:child_process";
import autocannon from "autocannon";
import { login, processCpuSeconds, PROXY_HEADERS, startServer } from "./lib.js";

const Y = "/blocs/sx01/years/2025";
const PAGES: { name: string; path: string; user: string | null }[] = [
  { name: "login", path: "/login", user: null },
  { name: "report", path: `${Y}/periods/2/reports/sx01-a01`, user: "canbo.sx01-a01" },
  { name: "sheet", path: `${Y}/sheets/sx01-a01`, user: "canbo.sx01-a01" },
  { name: "print", path: `${Y}/ranking/print`, user: "thuongtruc.sx01" },
  { name: "ranking", path: `${Y}/ranking`, user: "thuongtruc.sx01" },
  { name: "dashboard", path: `${Y}/dashboard`, user: "thuongtruc.sx01" },
  { name: "province", path: "/province/2024", user: "quantri" },
];
const only = process.env.CPU_PAGES?.split(",");
const seconds = Number(process.env.CPU_SECONDS ?? 6);
const prof = process.env.CPU_PROF ? path.resolve(process.env.CPU_PROF) : null;

const s = await startServer(
  "src/server.ts",
  { DATABASE_URL: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/thidua_bench" },
  3997,
  "/healthz",
  prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [],
);

const pgPids = () => execFileSync("pgrep", ["-u", "postgres"], { encoding: "utf8" }).trim().split("\n").map(Number);
const pgCpu = () => pgPids().reduce((t, p) => { try { return t + processCpuSeconds(p); } catch { return t; } }, 0);
const cookies = new Map<string | null, string>([[null, ""]]);
try {
  for (const p of PAGES) {
    if (only && !only.includes(p.name)) continue;
    if (!cookies.has(p.user)) cookies.set(p.user, await login(s.url, p.user!));
    const headers = { ...PROXY_HEADERS, cookie: cookies.get(p.user)! };
    await autocannon({ url: s.url + p.path, headers, connections: 4, amount: 200 });
    const n0 = processCpuSeconds(s.proc.pid!), p0 = pgCpu(), me0 = process.cpuUsage();
    const r = await autocannon({ url: s.url + p.path, headers, connections: 32, duration: seconds });
    const me = process.cpuUsage(me0);
    const total = r.requests.total;
    const ms = (x: number) => ((x * 1000) / total).toFixed(2);
    const bad = r.non2xx + r.errors + r.timeouts;
    console.log(`${p.name.padEnd(9)} req/s ${r.requests.average.toFixed(0).padStart(5)}  node ${ms(processCpuSeconds(s.proc.pid!) - n0)} ms/req  postgres ${ms(pgCpu() - p0)} ms/req  autocannon ${((me.user + me.system) / 1000 / total).toFixed(2)} ms/req${bad ? `  (${bad} not 2xx/errors)` : ""}`);
  }
} finally {
  await s.stop();
}
