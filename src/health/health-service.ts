import type { Knex } from "knex";

export function healthService(db: Knex) {
  return {
    /** True when the database answers a trivial query within the pool's timeout. */
    async databaseReachable(): Promise<boolean> {
      try {
        await db.raw("select 1");
        return true;
      } catch {
        return false;
      }
    },
  };
}
