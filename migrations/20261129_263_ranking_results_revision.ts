import type { Knex } from "knex";
import { addYearRevisionTriggers, dropYearRevisionTriggers } from "./20261129_240_year_revision.js";

// The stored lines of a published ranking belong to its year like the snapshot they are written with
// (see migration 240): writing or removing them is a new revision of the year.
export const YEAR_TABLES: ReadonlyArray<readonly [table: string, yearIds: string]> = [["ranking_results", "select year_id from changed"]];

export async function up(knex: Knex): Promise<void> {
  await addYearRevisionTriggers(knex, YEAR_TABLES);
}

export async function down(knex: Knex): Promise<void> {
  await dropYearRevisionTriggers(knex, YEAR_TABLES);
}
