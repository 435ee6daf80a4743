import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import knex from "knex";
import type { TestProject } from "vitest/node";
import { openPglite, type Database } from "../src/db/database.js";
import { migrateLatest } from "../src/db/migrate.js";
import { TEST_DATA, type TestData } from "./test-data.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** PostgreSQL: URL of the server and, per starting point, its template database's name. */
    pgServerUrl: string;
    pgTemplates: Record<TestData, string>;
    /** PGlite: per starting point (and "empty": initdb alone), a dump loaded by every test file that asks for it. */
    pgliteTemplates: Record<TestData | "empty", string>;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Builds each starting point once (the real migrations, then its data: the demo seed hashes ~20
 * passwords with argon2 and scores two years, seconds a file used to spend on its own); every test
 * file then gets its own copy (CREATE DATABASE … TEMPLATE on PostgreSQL, a loaded dump on PGlite), so
 * files run in parallel and never see each other's writes.
 */
export default async function setup(project: TestProject) {
  const kinds = Object.keys(TEST_DATA) as TestData[];
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const admin = knex({ client: "pg", connection: serverUrl, pool: { min: 0, max: 1 } });
    const templates = {} as Record<TestData, string>;
    for (const kind of kinds) {
      // Each starting point is a copy of the migrated one with its data added.
      const name = `thidua_tpl_${process.pid}_${kind.replace(/\W/g, "_")}`;
      await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
      await admin.raw(`CREATE DATABASE ${name}${kind === "migrated" ? "" : ` TEMPLATE ${templates.migrated}`}`);
      const tpl = knex({ client: "pg", connection: withDatabase(serverUrl, name), pool: { min: 0, max: 2 } });
      try {
        if (kind === "migrated") await migrateLatest(tpl);
        else await TEST_DATA[kind](tpl);
      } finally {
        await tpl.destroy();
      }
      templates[kind] = name;
    }
    project.provide("pgServerUrl", serverUrl);
    project.provide("pgTemplates", templates);
    project.provide("pgliteTemplates", {} as Record<TestData | "empty", string>);
    return async () => {
      // Test files drop their own databases; sweep what a crashed file left behind.
      const left: { datname: string }[] = (
        await admin.raw("SELECT datname FROM pg_database WHERE datname LIKE ?", [`thidua_t_${process.pid}_%`])
      ).rows;
      for (const { datname } of left) await admin.raw(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      for (const name of Object.values(templates)) await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    };
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "thidua-test-"));
  const dump = async (database: Database, name: string) => {
    const file = path.join(dir, `${name}.tar`);
    fs.writeFileSync(file, Buffer.from(await (await database.pglite!.dumpDataDir("none")).arrayBuffer()));
    return file;
  };
  // One engine, dumped at each step: empty (initdb alone takes seconds), migrated, then each
  // starting point's data on top of the migrated schema: the last one on the engine itself, any
  // other on a copy loaded from the migrated dump (opening a copy costs a second before the run).
  const files = {} as Record<TestData | "empty", string>;
  const withData = kinds.filter((k) => k !== "migrated");
  // Every test file loads one of these dumps: they are kept small (1MB WAL segments, 7MB in all, instead
  // of a 16MB one; no template0, which only CREATE DATABASE … TEMPLATE template0 would read): opening a
  // test database takes 0.4 s instead of 1.1–1.4 s.
  const database = await openPglite({ initDbArgs: ["--wal-segsize=1"] });
  try {
    await database.knex.raw("UPDATE pg_database SET datistemplate = false WHERE datname = 'template0'");
    await database.knex.raw("DROP DATABASE template0");
    files.empty = await dump(database, "empty");
    await migrateLatest(database.knex);
    files.migrated = await dump(database, "migrated");
    for (const [i, kind] of withData.entries()) {
      const last = i === withData.length - 1;
      const copy = last ? database : await openPglite({ loadDataDir: new Blob([fs.readFileSync(files.migrated)]) });
      try {
        await TEST_DATA[kind](copy.knex);
        files[kind] = await dump(copy, kind);
      } finally {
        if (!last) await copy.close();
      }
    }
  } finally {
    await database.close();
  }
  project.provide("pgServerUrl", "");
  project.provide("pgTemplates", {} as Record<TestData, string>);
  project.provide("pgliteTemplates", files);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
