import fs from "node:fs";
import { randomBytes } from "node:crypto";
import knex from "knex";
import { inject } from "vitest";
import { openPglite, openPostgres, type Database } from "../src/db/database.js";
import type { TestData } from "./test-data.js";

const serverUrl = () => inject("pgServerUrl");

/** A test database holds a few MB: a small buffer pool opens it in about half the time (`openPglite`). */
export const TEST_SHARED_BUFFERS = "16MB";

export const onPostgres = (): boolean => Boolean(serverUrl());

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function createPgDatabase(template: string | null): Promise<Database> {
  const name = `thidua_t_${process.ppid}_${randomBytes(4).toString("hex")}`;
  const admin = knex({ client: "pg", connection: serverUrl(), pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
  } finally {
    await admin.destroy();
  }
  const database = openPostgres(withDatabase(serverUrl(), name), 5);
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = knex({ client: "pg", connection: serverUrl(), pool: { min: 0, max: 1 } });
      await dropper.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.destroy();
    },
  };
}

/**
 * A database of this test file's own, on PostgreSQL or PGlite, at one of the starting points built
 * once per run (`test/test-data.ts`): the schema alone by default, or the demo with 2022 open.
 */
export async function createTestDatabase(data: TestData = "migrated"): Promise<Database> {
  if (onPostgres()) return createPgDatabase(inject("pgTemplates")[data]);
  return openPglite({ loadDataDir: new Blob([fs.readFileSync(inject("pgliteTemplates")[data])]), sharedBuffers: TEST_SHARED_BUFFERS });
}

/** An empty database (no migrations), for migration tests. */
export async function createEmptyDatabase(): Promise<Database> {
  if (onPostgres()) return createPgDatabase(null);
  return openPglite({ loadDataDir: new Blob([fs.readFileSync(inject("pgliteTemplates").empty)]), sharedBuffers: TEST_SHARED_BUFFERS });
}
