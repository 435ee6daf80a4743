import type { Knex } from "knex";
import { addYearRevisionTriggers, dropYearRevisionTriggers } from "./20261129_240_year_revision.js";

// Objections belong to a year: filing or answering one is a new revision of the year (see migration 240).
export const YEAR_TABLES: ReadonlyArray<readonly [table: string, yearIds: string]> = [
  ["objections", "select year_id from changed"],
  ["objection_attachments", "select o.year_id from changed c join objections o on o.id = c.objection_id"],
];

export async function up(knex: Knex): Promise<void> {
  await addYearRevisionTriggers(knex, YEAR_TABLES);
}

export async function down(knex: Knex): Promise<void> {
  await dropYearRevisionTriggers(knex, YEAR_TABLES);
}
