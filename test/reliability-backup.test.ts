import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { Knex } from "knex";
import { createEmptyDatabase, createTestDatabase, onPostgres } from "./db.js";
import { openPglite, type Database } from "../src/db/database.js";
import { backupRepo } from "../src/backup/backup-repo.js";
import { backupService } from "../src/backup/backup-service.js";
import { createServices } from "../src/services.js";
import { commands } from "../src/cli-commands.js";

// `backup` / `restore`: the portable logical backup. Same-engine tests run on both engines;
// the cross-engine tests (PostgreSQL → PGlite → PostgreSQL) run in the PostgreSQL run;
// the CLI test runs in the PGlite run (embedded data folders): its commands in this process, then
// the program itself once.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "thidua-backup-"));
const BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

function envWithout(name: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env[name];
  return env;
}

let source: Database;
const others: Database[] = [];

const bloc = (code: string) => ({ code, name: `Khối ${code}`, issuing_body: "UBND TỈNH", short_name: "KT", place_name: "Tuyên Quang" });
const service = (d: Database) => backupService({ db: d.knex, repo: backupRepo(), engine: d.kind });
const rankingRows = (db: Knex) => createServices(db).ranking.rowsForCli("noichinh-tq", 2022);

async function counts(db: Knex): Promise<Record<string, number>> {
  const repo = backupRepo();
  const out: Record<string, number> = {};
  for (const t of await repo.tables(db)) out[t.name] = await repo.count(db, t.name);
  return out;
}

async function empty(): Promise<Database> {
  const d = await createEmptyDatabase();
  others.push(d);
  return d;
}

beforeAll(async () => {
  source = await createTestDatabase("demo-2022-open");
  // A bytea value with every byte, to prove base64 round-trips.
  const report = await source.knex("reports").first("id");
  await source.knex("report_attachments").insert({
    report_id: report.id, kind: "other", filename: "tệp thử.bin", mime_type: "application/octet-stream", size_bytes: BYTES.length,
    sha256: "0".repeat(64), content: BYTES,
  });
});
afterAll(async () => {
  for (const d of others) await d.close();
  await source.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("backup and restore on the same engine", () => {
  const file = path.join(tmp, "same.jsonl");
  /** The source's backup in `file`, written by whichever test needs it first (each test stands alone). */
  let backedUp: Promise<Record<string, number>> | undefined;
  const backup = () => (backedUp ??= service(source).backup(file));

  it("when a seeded database is backed up and restored into an empty one, then row counts, bytea and the ranking are equal and sequences continue", async () => {
    const written = await backup();
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]); // atomic: no temp file left
    const header = JSON.parse(fs.readFileSync(file, "utf8").split("\n")[0]!);
    expect(header.migrations.length).toBeGreaterThan(0);
    expect(header.tables.indexOf("blocs")).toBeLessThan(header.tables.indexOf("agencies") === -1 ? Infinity : header.tables.indexOf("emulation_years"));

    const target = await empty();
    const restored = await service(target).restore(file);
    expect(restored).toEqual(written);
    expect(await counts(target.knex)).toEqual(await counts(source.knex));
    expect(await rankingRows(target.knex)).toEqual(await rankingRows(source.knex));
    const att = await target.knex("report_attachments").where({ filename: "tệp thử.bin" }).first("content");
    expect(Buffer.compare(att.content, BYTES)).toBe(0);
    // Sequences were reset: a new row gets the next id, not a duplicate.
    const maxId = Number((await target.knex("blocs").max("id as m"))[0]!.m);
    const [{ id }] = await target.knex("blocs").insert(bloc("khoi-moi")).returning("id");
    expect(id).toBe(maxId + 1);
  });

  it("when the target already holds data, then restore is refused unless --force, and --force replaces it in one go", async () => {
    await backup();
    const target = await empty();
    await service(target).restore(file);
    await target.knex("blocs").insert(bloc("them"));
    await expect(service(target).restore(file)).rejects.toThrow(/đã có dữ liệu.*--force/);
    expect(await target.knex("blocs").where({ code: "them" }).first()).toBeTruthy();
    await service(target).restore(file, { force: true });
    expect(await target.knex("blocs").where({ code: "them" }).first()).toBeUndefined();
    expect(await counts(target.knex)).toEqual(await counts(source.knex));
  });

  it("when the file is truncated, then restore refuses it and writes nothing", async () => {
    await backup();
    const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    const cut = path.join(tmp, "cut.jsonl");
    fs.writeFileSync(cut, lines.slice(0, Math.floor(lines.length * 0.8)).join("\n") + "\n");
    const target = await empty();
    await expect(service(target).restore(cut)).rejects.toThrow(/không trọn vẹn/);
    const c = await counts(target.knex);
    expect(Object.values(c).every((n) => n === 0)).toBe(true);
  });
});

describe.skipIf(!onPostgres())("backup and restore across engines (PostgreSQL run only: needs both engines)", () => {
  it("when PostgreSQL is backed up into PGlite and that back into PostgreSQL, then counts and ranking are equal", async () => {
    const pgFile = path.join(tmp, "from-pg.jsonl");
    await service(source).backup(pgFile);
    const lite = await openPglite();
    others.push(lite);
    await service(lite).restore(pgFile);
    expect(await counts(lite.knex)).toEqual(await counts(source.knex));
    expect(await rankingRows(lite.knex)).toEqual(await rankingRows(source.knex));

    const liteFile = path.join(tmp, "from-pglite.jsonl");
    await service(lite).backup(liteFile);
    const pgAgain = await empty();
    await service(pgAgain).restore(liteFile);
    expect(await counts(pgAgain.knex)).toEqual(await counts(source.knex));
    expect(await rankingRows(pgAgain.knex)).toEqual(await rankingRows(source.knex));
  }, 60_000);
});

describe.skipIf(onPostgres())("the CLI commands (PGlite run only: embedded data folders)", () => {
  /**
   * Runs a command of `npm run cli` (src/cli-commands.ts, what src/cli.ts dispatches to) in this
   * process on the data folder `dataDir`, and returns what it printed: a program of its own costs
   * seconds of start-up, the last step below runs one.
   */
  async function cli(dataDir: string, name: string, ...args: string[]): Promise<string> {
    const out: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(`${a.join(" ")}\n`));
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
    try {
      await commands[name]!(args, envWithout("DATABASE_URL", { DATA_DIR: dataDir }));
    } finally {
      log.mockRestore();
      write.mockRestore();
    }
    return out.join("");
  }

  /**
   * A data folder holding an empty database, as a first start leaves it: loaded from the dump the
   * global setup made after initdb (which takes seconds a folder), like every empty test database.
   */
  async function emptyFolder(dir: string): Promise<string> {
    const d = await openPglite({ dataDir: dir, loadDataDir: new Blob([fs.readFileSync(inject("pgliteTemplates").empty)]) });
    await d.close();
    return dir;
  }

  it("when `backup` then `restore` run through the CLI, then the restored folder ranks the same, and restoring again without --force fails with one line", async () => {
    const [a, b] = await Promise.all([emptyFolder(path.join(tmp, "cli-a")), emptyFolder(path.join(tmp, "cli-b"))]);
    const file = path.join(tmp, "cli.jsonl");
    await cli(a, "seed-demo");
    expect(await cli(a, "backup", file)).toMatch(/Đã sao lưu/);
    expect(await cli(b, "restore", file)).toMatch(/Đã khôi phục/);
    const [ra, rb] = [await cli(a, "ranking", "noichinh-tq", "2022", "--format", "json"), await cli(b, "ranking", "noichinh-tq", "2022", "--format", "json")];
    expect(JSON.parse(rb)).toEqual(JSON.parse(ra));
    // The program itself (src/cli.ts): its exit code and its one line on stderr.
    const again = await run(process.execPath, ["--import", "tsx", "src/cli.ts", "restore", file], { cwd: root, env: envWithout("DATABASE_URL", { DATA_DIR: b }) }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(again?.code).toBe(1);
    expect(again?.stderr.trim().split("\n")).toHaveLength(1);
    expect(again?.stderr).toContain("--force");
  }, 120_000);
});
