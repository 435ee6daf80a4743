/**
 * Helpers for the reliability tests that need real processes: a private PostgreSQL server,
 * fresh databases on the shared test server, free ports, and portal processes.
 */
import fs from "node:fs";
import os from "node:os";
import net from "node:net";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import knex from "knex";
import { inject } from "vitest";
import type { TestData } from "./test-data.js";

export const root = path.resolve(import.meta.dirname, "..");
export const PG_BIN = "/usr/lib/postgresql/15/bin";
export const hasPgBinaries = (): boolean => fs.existsSync(path.join(PG_BIN, "initdb")) && fs.existsSync(path.join(PG_BIN, "pg_ctl"));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The two ports asked for when both are free, else two free ones. */
export async function twoPorts(preferred: [number, number]): Promise<[number, number]> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
  if ((await free(preferred[0])) && (await free(preferred[1]))) return preferred;
  return [await freePort(), await freePort()];
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database on the shared test server: a copy of a starting point's template (`null`: empty, no migrations). */
export async function freshPgDatabase(data: TestData | null = "migrated"): Promise<{ url: string; drop(): Promise<void> }> {
  const server = inject("pgServerUrl");
  const name = `thidua_t_${process.ppid}_${randomBytes(4).toString("hex")}`;
  const admin = knex({ client: "pg", connection: server, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}${data ? ` TEMPLATE ${inject("pgTemplates")[data]}` : ""}`);
  await admin.destroy();
  return {
    url: withDatabase(server, name),
    async drop() {
      const d = knex({ client: "pg", connection: server, pool: { min: 0, max: 1 } });
      await d.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.destroy();
    },
  };
}

/** Runs a PostgreSQL binary as the `postgres` OS user when we are root (initdb refuses root). */
function pgExec(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(PG_BIN, bin), ...args]] : [path.join(PG_BIN, bin), args];
  execFileSync(cmd, argv, { stdio: "pipe", timeout: 60_000 });
}

export interface PrivatePostgres {
  url: string;
  port: number;
  start(): void;
  /** An immediate stop: like a crash or a pulled cable, connections are cut. */
  stopImmediate(): void;
  destroy(): void;
}

/** A private PostgreSQL 15 in a temporary folder on a free port (trust auth); never the shared server. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "thidua-pg-"));
  const data = path.join(dir, "data");
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  pgExec("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const log = path.join(dir, "pg.log");
  const start = () => pgExec("pg_ctl", ["-D", data, "-l", log, "-w", "-t", "30", "-o", `-p ${port} -k /tmp -c fsync=off`, "start"]);
  start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start() {
      start();
      running = true;
    },
    stopImmediate() {
      pgExec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      running = false;
    },
    destroy() {
      try {
        if (running) pgExec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export const SECRET = "reliability-test-secret-0123456789abcdef-0123456789";

export interface PortalProcess {
  child: ChildProcess;
  port: number;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `node --import tsx src/server.ts` and waits until /healthz answers 200. */
export async function spawnPortal(env: Record<string, string>, port: number): Promise<PortalProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "development", LOG_LEVEL: "warn", SESSION_SECRET: SECRET, PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the portal exited (${child.exitCode}): ${out}`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the portal did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { child, port, base, output: () => out, exited };
}

/** A tiny cookie-keeping client over fetch (for portal processes; supertest needs an app). */
export class Browser {
  cookie = "";
  constructor(public base: string) {}
  on(base: string): Browser {
    const b = new Browser(base);
    b.cookie = this.cookie;
    return b;
  }
  async request(method: string, url: string, body?: Record<string, string>): Promise<{ status: number; text: string; location: string | null }> {
    const res = await fetch(this.base + url, {
      method,
      redirect: "manual",
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body: body ? new URLSearchParams(body).toString() : undefined,
    });
    const set = res.headers.getSetCookie();
    if (set.length) this.cookie = set.map((c) => c.split(";")[0]).join("; ");
    return { status: res.status, text: await res.text(), location: res.headers.get("location") };
  }
  get(url: string) {
    return this.request("GET", url);
  }
  post(url: string, body: Record<string, string>) {
    return this.request("POST", url, body);
  }
  async login(username: string, password: string): Promise<void> {
    const page = await this.get("/login");
    const res = await this.post("/login", { _csrf: csrf(page.text), username, password });
    if (res.status !== 303) throw new Error(`login as ${username} failed: ${res.status}`);
  }
}

export function csrf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no CSRF token on the page");
  return m[1];
}

export const versionOf = (html: string): string => /name="version" value="(\d*)"/.exec(html)?.[1] ?? "";
