// Shared pieces of the benchmarks: child-process servers, logging in over HTTP, one autocannon run.
import fs from "node:fs";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon, { type Options as AcOptions, type Request as AcRequest } from "autocannon";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SECRET = "bench-session-secret-0123456789abcdef-0123456789abcdef";
/** The portal runs as in production (view cache, secure cookies behind a proxy): say we came over https. */
export const PROXY_HEADERS = { "x-forwarded-proto": "https" };

export interface Server {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** An environment without the variables set to "" (e.g. DATABASE_URL: "" → PGlite). */
export function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => Boolean(e[1])));
}

/** Starts `node [nodeArgs] --import tsx <script>` with env, waits until `probe` answers. */
export async function startServer(script: string, env: Record<string, string>, port: number, probe = "/healthz", nodeArgs: string[] = []): Promise<Server> {
  const proc = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script], {
    cwd: ROOT,
    env: cleanEnv({ ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", SESSION_SECRET: SECRET, TRUST_PROXY: "1", PORT: String(port), ...env }),
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${script} exited with ${proc.exitCode}`);
    try {
      const res = await fetch(url + probe);
      if (res.status < 500) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${script} did not start`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
        setTimeout(() => proc.kill("SIGKILL"), 15_000).unref();
      }),
  };
}

function cookiesOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no CSRF token on the page");
  return m[1];
}

/** Logs in through the real form; returns the session cookie header. */
export async function login(base: string, username: string, password = "thidua2022"): Promise<string> {
  const page = await fetch(`${base}/login`, { headers: PROXY_HEADERS });
  const cookie = cookiesOf(page);
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { ...PROXY_HEADERS, cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrfFrom(await page.text()), username, password }).toString(),
  });
  if (res.status !== 303) throw new Error(`login as ${username} failed: ${res.status}`);
  return cookiesOf(res) || cookie;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function processCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface Measure {
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** The server process's CPU per request (ms), when measured: steadier than req/s on a shared machine. */
  cpuMsPerRequest?: number;
}

export interface RunOpts {
  connections: number;
  duration: number;
}

/** A short run at low concurrency before measuring (the first requests fill caches and JIT). */
export async function warmUp(url: string, headers: Record<string, string>, extra: Partial<AcOptions> = {}): Promise<void> {
  await autocannon({ url, headers, connections: 4, amount: 100, timeout: 30, ...extra });
}

/** One bounded autocannon run (after a short warm-up) against one URL. */
export async function measure(url: string, headers: Record<string, string>, opts: RunOpts, extra: Partial<AcOptions> = {}): Promise<Measure> {
  await warmUp(url, headers, extra);
  const r = await autocannon({ url, headers, connections: opts.connections, duration: opts.duration, timeout: 30, ...extra });
  return {
    reqPerSec: Math.round(r.requests.average * 10) / 10,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r["4xx"] + r["5xx"],
    errors: r.errors + r.timeouts,
  };
}

/**
 * One burst of `seconds` at `connections`. The responses to requests sent in its first `rampSeconds`
 * (the connections all opening at once) are not counted: what is counted, and each one's latency (ms)
 * pushed to `latencies`, is the steady load of the rest (`total` counts them all).
 */
export function burst(url: string, headers: Record<string, string>, connections: number, seconds: number, rampSeconds: number, latencies: number[]) {
  return new Promise<{ requests: number; total: number; non2xx: number; errors: number }>((resolve, reject) => {
    const started = performance.now();
    let counted = 0;
    const tracker = autocannon({ url, headers, connections, duration: seconds, timeout: 30 }, (err, r) =>
      err ? reject(err) : resolve({ requests: counted, total: r.requests.total, non2xx: r["4xx"] + r["5xx"], errors: r.errors + r.timeouts }),
    );
    tracker.on("response", (_client, _status, _bytes, ms: number) => {
      if (performance.now() - ms - started < rampSeconds * 1000) return;
      counted++;
      latencies.push(ms);
    });
  });
}

/** The q-quantile (0..1) of `values` (sorted in place). */
export function quantile(values: number[], q: number): number {
  values.sort((a, b) => a - b);
  return values.length ? Math.round(values[Math.min(values.length - 1, Math.floor(q * values.length))]!) : 0;
}

/** Login benchmark: each connection loops GET /login (fresh session + token) → POST /login. */
export function loginRequests(username: string): AcRequest[] {
  return [
    {
      method: "GET",
      path: "/login",
      headers: { ...PROXY_HEADERS },
      onResponse: (_status, body, context, headers) => {
        const h = headers as Record<string, string | string[]> | string[];
        const set: string[] = [];
        if (Array.isArray(h)) for (let i = 0; i < h.length; i += 2) { if (String(h[i]).toLowerCase() === "set-cookie") set.push(String(h[i + 1])); }
        else for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === "set-cookie") set.push(...(Array.isArray(v) ? v : [v]));
        context.cookie = set.map((c) => c.split(";")[0]).join("; ");
        context.token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? "";
      },
    },
    {
      method: "POST",
      path: "/login",
      setupRequest: (req, context) => ({
        ...req,
        headers: { ...PROXY_HEADERS, cookie: String(context.cookie ?? ""), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: String(context.token ?? ""), username, password: "thidua2022" }).toString(),
      }),
    },
  ];
}
