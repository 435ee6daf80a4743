import fs from "node:fs";
import path from "node:path";
import knex, { type Knex } from "knex";
import { PGlite } from "@electric-sql/pglite";
import { createPgConfig } from "@electric-sql/pglite/node-postgres";
import "./types.js";
import { acquireDirLock } from "./lock.js";

export interface Database {
  knex: Knex;
  kind: "postgres" | "pglite";
  /** The embedded engine itself (PGlite only), for dumps and backups. */
  pglite?: PGlite;
  close(): Promise<void>;
}

/**
 * `acquireTimeoutMs`: how long a request waits for a connection before failing (then the
 * portal answers 503). While the server is down, each attempt fails fast with ECONNREFUSED;
 * the pool keeps no broken connection and reconnects by itself when the server returns.
 */
export function openPostgres(url: string, poolMax = 10, acquireTimeoutMs = 10_000): Database {
  const db = knex({
    client: "pg",
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: acquireTimeoutMs,
  });
  return { knex: db, kind: "postgres", close: () => db.destroy() };
}

export interface PgliteOptions {
  /** Folder for a persistent database; omitted = in memory. */
  dataDir?: string;
  /** A dump made by `PGlite.dumpDataDir()` to start from (tests copy a migrated template). */
  loadDataDir?: Blob;
  /**
   * PostgreSQL's `shared_buffers` (PGlite's default: 128MB). Setting the pool up is half the time of
   * opening a database (0.7 of 1.25 s here); a test's database holds a few MB, and the suite opens dozens.
   */
  sharedBuffers?: string;
  /**
   * Extra initdb arguments for a new cluster (ignored when loading a dump). The test templates use 1MB WAL
   * segments: a dump holds a whole segment, and 16MB of it was most of what every test file loaded.
   */
  initDbArgs?: string[];
}

/**
 * knex's stock pg client over PGlite's node-postgres adapter: the same driver and
 * type parsing as PostgreSQL. PGlite has one connection, hence a pool of one — inside
 * a transaction, always query through `trx`.
 */
export async function openPglite(opts: PgliteOptions = {}): Promise<Database> {
  let release = () => {};
  let dataDir: string | undefined;
  if (opts.dataDir) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    release = acquireDirLock(opts.dataDir);
    dataDir = path.join(opts.dataDir, "pglite");
  }
  try {
    const startParams = opts.sharedBuffers ? [...PGlite.defaultStartParams, "-c", `shared_buffers=${opts.sharedBuffers}`] : undefined;
    const pglite = await PGlite.create({ dataDir, loadDataDir: opts.loadDataDir, startParams, initDbStartParams: opts.initDbArgs });
    const db = knex({
      client: "pg",
      connection: () => createPgConfig(pglite) as unknown as Knex.PgConnectionConfig,
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: 60_000,
    });
    return {
      knex: db,
      kind: "pglite",
      pglite,
      close: async () => {
        await db.destroy();
        await pglite.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** The one factory: DATABASE_URL → PostgreSQL; otherwise the embedded database in DATA_DIR. */
export async function openDatabase(cfg: { databaseUrl: string | undefined; dataDir: string }): Promise<Database> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl) : openPglite({ dataDir: cfg.dataDir });
}
