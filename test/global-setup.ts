import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import knex from "knex";
import type { TestProject } from "vitest/node";
import { openPglite } from "../src/db/database.js";
import { migrateLatest } from "../src/db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** PostgreSQL: URL of the server and the migrated template database's name. */
    pgServerUrl: string;
    pgTemplate: string;
    /** PGlite: a dump of a migrated database, loaded by every test file. */
    pgliteTemplate: string;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Runs the real migrations once into a template; every test file then gets its own copy
 * (CREATE DATABASE … TEMPLATE on PostgreSQL, a loaded dump on PGlite), so files run in parallel.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = `thidua_tpl_${process.pid}`;
    const admin = knex({ client: "pg", connection: serverUrl, pool: { min: 0, max: 1 } });
    await admin.raw(`DROP DATABASE IF EXISTS ${template}`);
    await admin.raw(`CREATE DATABASE ${template}`);
    const tpl = knex({ client: "pg", connection: withDatabase(serverUrl, template), pool: { min: 0, max: 1 } });
    await migrateLatest(tpl);
    await tpl.destroy();
    project.provide("pgServerUrl", serverUrl);
    project.provide("pgTemplate", template);
    project.provide("pgliteTemplate", "");
    return async () => {
      // Test files drop their own databases; sweep what a crashed file left behind.
      const left: { datname: string }[] = (
        await admin.raw("SELECT datname FROM pg_database WHERE datname LIKE ?", [`thidua_t_${process.pid}_%`])
      ).rows;
      for (const { datname } of left) await admin.raw(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.raw(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin.destroy();
    };
  }

  const database = await openPglite();
  await migrateLatest(database.knex);
  const dump = await database.pglite!.dumpDataDir("none");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "thidua-test-")), "template.tar");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide("pgServerUrl", "");
  project.provide("pgTemplate", "");
  project.provide("pgliteTemplate", file);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
