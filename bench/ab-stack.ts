// A/B of two checkouts of the portal on the same database, interleaved in short bursts so both see the
// same machine load (the bench machine is shared): per page, node CPU ms per request and req/s of each.
//   node --import tsx bench/ab-stack.ts <dir A> <dir B>   (each a checkout with node_modules)
//   AB_PAGES=login,report  AB_ROUNDS=6  AB_SECONDS=3
//   AB_ENV_A="K=V …"  AB_ENV_B="K=V …"   environment of A's or B's server only (one checkout, two settings)
import { spawn } from "node:child_process";
import autocannon from "autocannon";
import { cleanEnv, login, processCpuSeconds, PROXY_HEADERS, SECRET } from "./lib.js";

const [dirA, dirB] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error("usage: ab-stack.ts <dir A> <dir B>");
const Y = "/blocs/sx01/years/2025";
const PAGES = [
  { name: "login", path: "/login", user: null },
  { name: "report", path: `${Y}/periods/2/reports/sx01-a01`, user: "canbo.sx01-a01" },
  { name: "print", path: `${Y}/ranking/print`, user: "thuongtruc.sx01" },
  { name: "ranking", path: `${Y}/ranking`, user: "thuongtruc.sx01" },
  { name: "dashboard", path: `${Y}/dashboard`, user: "thuongtruc.sx01" },
  { name: "province", path: "/province/2024", user: "quantri" },
].filter((p) => !process.env.AB_PAGES || process.env.AB_PAGES.split(",").includes(p.name));
const rounds = Number(process.env.AB_ROUNDS ?? 6);
const seconds = Number(process.env.AB_SECONDS ?? 3);

const envOf = (spec: string | undefined) => Object.fromEntries((spec ?? "").split(/\s+/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));

async function start(dir: string, port: number, extraEnv: Record<string, string>) {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: dir,
    env: cleanEnv({ ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", SESSION_SECRET: SECRET, TRUST_PROXY: "1", PORT: String(port), DATABASE_URL: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/thidua_bench", ...extraEnv }),
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(url + "/healthz")).status < 500) break; } catch { /* starting */ }
    if (i > 400) throw new Error(`${dir} did not start`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, proc, cookies: new Map<string | null, string>([[null, ""]]) };
}

const servers = [await start(dirA, 3981, envOf(process.env.AB_ENV_A)), await start(dirB, 3982, envOf(process.env.AB_ENV_B))];
const totals = servers.map(() => new Map<string, { cpu: number; reqs: number; secs: number }>());
try {
  for (const s of servers) for (const p of PAGES) if (!s.cookies.has(p.user)) s.cookies.set(p.user, await login(s.url, p.user!));
  for (const s of servers) for (const p of PAGES) await autocannon({ url: s.url + p.path, headers: { ...PROXY_HEADERS, cookie: s.cookies.get(p.user)! }, connections: 4, amount: 200 });
  for (let r = 0; r < rounds; r++) {
    for (const p of PAGES) {
      const order = r % 2 ? [1, 0] : [0, 1];
      for (const i of order) {
        const s = servers[i]!;
        const c0 = processCpuSeconds(s.proc.pid!);
        const res = await autocannon({ url: s.url + p.path, headers: { ...PROXY_HEADERS, cookie: s.cookies.get(p.user)! }, connections: 32, duration: seconds });
        if (res.non2xx) throw new Error(`${p.name}: ${res.non2xx} not 2xx`);
        const t = totals[i]!.get(p.name) ?? { cpu: 0, reqs: 0, secs: 0 };
        t.cpu += processCpuSeconds(s.proc.pid!) - c0; t.reqs += res.requests.total; t.secs += seconds;
        totals[i]!.set(p.name, t);
      }
    }
  }
  for (const p of PAGES) {
    const [a, b] = totals.map((t) => t.get(p.name)!);
    const line = (t: { cpu: number; reqs: number; secs: number }) => `${((t.cpu * 1000) / t.reqs).toFixed(2)} ms/req ${(t.reqs / t.secs).toFixed(0)} req/s`;
    console.log(`${p.name.padEnd(9)} A ${line(a!)}   B ${line(b!)}`);
  }
} finally {
  for (const s of servers) s.proc.kill("SIGTERM");
}
