import type { Knex } from "knex";
import { seedDemo } from "../seeds/demo.js";

/**
 * The starting points a test file may open its database at, each built once per run by the global
 * setup, on top of the migrated schema. "migrated": the schema alone (tests build what they need).
 * "demo-2022-open": the demo bloc with 2022 in progress (ranking unpublished, year open), as
 * `seedDemo(db, { keep2022InProgress: true })`.
 */
export const TEST_DATA = {
  migrated: async (_db: Knex) => {},
  "demo-2022-open": async (db: Knex) => {
    await seedDemo(db, { keep2022InProgress: true });
  },
} satisfies Record<string, (db: Knex) => Promise<void>>;

export type TestData = keyof typeof TEST_DATA;
