import type { Knex } from "knex";
import { migrationSource } from "../../migrations/index.js";

const config = { migrationSource, tableName: "knex_migrations" } as const;

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, names] = (await db.migrate.latest(config)) as [number, string[]];
  return names;
}

export async function rollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback(config, true);
}

export async function migrationStatus(db: Knex): Promise<number> {
  return db.migrate.status(config);
}
