// CPU split of one page under load (node server vs PostgreSQL backends vs autocannon), per request.
// Needs the thidua_bench database of `npm run bench`. `node --import tsx bench/cpu-split.ts`
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import autocannon from "autocannon";
import { login, PROXY_HEADERS, startServer } from "./lib.js";
const s = await startServer("src/server.ts", { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/thidua_bench" }, 3997);
const cookie = await login(s.url, "thuongtruc.sx01");
const cpu = (pid: number) => { const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" "); return (Number(f[11]) + Number(f[12])) / 100; };
const pgPids = () => execFileSync("pgrep", ["-u", "postgres"], { encoding: "utf8" }).trim().split("\n").map(Number);
const pgCpu = () => pgPids().reduce((t, p) => { try { return t + cpu(p); } catch { return t; } }, 0);
for (const p of ["ranking", "periods/2/reports/sx01-a01"]) {
  await autocannon({ url: `${s.url}/blocs/sx01/years/2025/${p}`, headers: { ...PROXY_HEADERS, cookie }, connections: 4, amount: 100 });
  const n0 = cpu(s.proc.pid!), p0 = pgCpu(), me0 = process.cpuUsage();
  const r = await autocannon({ url: `${s.url}/blocs/sx01/years/2025/${p}`, headers: { ...PROXY_HEADERS, cookie }, connections: 32, duration: 6 });
  const me = process.cpuUsage(me0);
  const total = r.requests.total;
  console.log(p, `req/s ${r.requests.average}`, `node server ${((cpu(s.proc.pid!) - n0) * 1000 / total).toFixed(2)} ms/req`, `postgres ${((pgCpu() - p0) * 1000 / total).toFixed(2)} ms/req`, `autocannon ${((me.user + me.system) / 1000 / total).toFixed(2)} ms/req`);
}
await s.stop();
