import type { Config } from "./config.js";
import { openDatabase, type Database } from "./db/database.js";
import { migrateLatest } from "./db/migrate.js";
import { seedDemo } from "../seeds/demo.js";
import type { Logger } from "./logger.js";

/**
 * Opens the database and brings it up to date. The embedded database gets the demo bloc on
 * its first start; PostgreSQL gets demo data only when asked (`npm run cli -- seed-demo`).
 */
export async function prepareDatabase(cfg: Config, logger: Logger): Promise<Database> {
  const database = await openDatabase(cfg);
  try {
    const applied = await migrateLatest(database.knex);
    if (applied.length) logger.info({ applied }, "migrations applied");
    if (database.kind === "pglite" && applied.length > 0 && applied[0] === "20261124_001_blocs_years") {
      const { created } = await seedDemo(database.knex);
      if (created) logger.info("demo bloc loaded (Khối thi đua Nội chính tỉnh Tuyên Quang, 2022)");
    }
    return database;
  } catch (e) {
    await database.close();
    throw e;
  }
}
