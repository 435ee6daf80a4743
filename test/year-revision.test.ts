// Issue 16: every write to a row of a year bumps `emulation_years.revision` in the same transaction
// (triggers of migration 240), so a cached computed year is reused exactly while nothing changed.
// Runs on both engines (PGlite runs PL/pgSQL and transition tables too).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { writeSynthetic } from "../src/synthetic/writer.js";
import type { Database } from "../src/db/database.js";
import { YEAR_TABLES as FIRST_YEAR_TABLES } from "../migrations/20261129_240_year_revision.js";
import { YEAR_TABLES as OBJECTION_TABLES } from "../migrations/20261129_253_objection_revision.js";
import { YEAR_TABLES as RESULT_TABLES } from "../migrations/20261129_263_ranking_results_revision.js";

const YEAR_TABLES = [...FIRST_YEAR_TABLES, ...OBJECTION_TABLES, ...RESULT_TABLES];

describe("year revision", () => {
  let database: Database;
  let db: Knex;
  let yearId: number;
  let otherYearId: number;

  const revisionOf = async (id: number) => Number((await db("emulation_years").where({ id }).first("revision")).revision);

  /** Runs `write` and answers by how much the year's (and the other year's) revision moved. */
  async function bumps(write: (trx: Knex.Transaction) => Promise<unknown>): Promise<[number, number]> {
    const [before, otherBefore] = [await revisionOf(yearId), await revisionOf(otherYearId)];
    await db.transaction(async (trx) => {
      await write(trx);
    });
    return [(await revisionOf(yearId)) - before, (await revisionOf(otherYearId)) - otherBefore];
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.knex;
    await writeSynthetic(db, { blocs: 1, agencies: 3, criteria: 12, years: 2, seed: 5, prefix: "rv", lastYear: 2024 });
    const years = await db("emulation_years").orderBy("year");
    otherYearId = years[0].id;
    yearId = years[1].id;
  });
  afterAll(() => database.close());

  it("lists every table that has a year_id, period_id, sheet_id or report_id column", async () => {
    const rows: { table_name: string }[] = (
      await db.raw(
        `select distinct table_name from information_schema.columns
         where table_schema = current_schema() and column_name in ('year_id', 'period_id', 'sheet_id', 'report_id')`,
      )
    ).rows;
    const listed = new Set(YEAR_TABLES.map(([t]) => t));
    expect(rows.map((r) => r.table_name).filter((t) => !listed.has(t))).toEqual([]);
  });

  it("when a row of the year is written directly, through its period, its sheet or its report, then only that year's revision moves", async () => {
    const sheet = await db("score_sheets").where({ year_id: yearId }).first("id", "agency_id");
    const period = await db("periods").where({ year_id: yearId }).orderBy("number").first("id");
    const report = await db("reports").where({ period_id: period.id }).first("id");
    expect(sheet && period && report).toBeTruthy();
    // year_id
    expect(await bumps((trx) => trx("score_sheets").where({ id: sheet.id }).update({ discipline_reason: "x" }))).toEqual([1, 0]);
    expect(await bumps((trx) => trx("votes").where({ year_id: yearId }).update({ votes_for: 1 }))).toEqual([1, 0]);
    // period_id
    expect(await bumps((trx) => trx("reports").where({ id: report.id }).update({ late_days: 2 }))).toEqual([1, 0]);
    // sheet_id: a bulk update of many entries is one bump (statement-level)
    expect(await bumps((trx) => trx("score_entries").where({ sheet_id: sheet.id }).update({ bloc_reason: "y" }))).toEqual([1, 0]);
    // report_id
    expect(await bumps((trx) => trx("report_versions").insert({ report_id: report.id, number: 99, content: "{}", submitted_at: new Date() }))).toEqual([1, 0]);
    expect(await bumps((trx) => trx("report_versions").where({ report_id: report.id, number: 99 }).del())).toEqual([1, 0]);
    // the year's own row
    expect(await bumps((trx) => trx("emulation_years").where({ id: yearId }).update({ theme: "Chủ đề mới" }))).toEqual([1, 0]);
    // an agency's name shows in both years it belongs to
    const both = await bumps((trx) => trx("agencies").where({ id: sheet.agency_id }).update({ short_name: "Tên mới" }));
    expect(both[0]).toBe(1);
    // a statement that changes nothing bumps nothing
    expect(await bumps((trx) => trx("votes").where({ year_id: -1 }).update({ votes_for: 1 }))).toEqual([0, 0]);
  });

  it("when the writing transaction rolls back, then the revision does not move", async () => {
    const before = await revisionOf(yearId);
    await expect(
      db.transaction(async (trx) => {
        await trx("criteria").where({ year_id: yearId }).update({ title: "z" });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(await revisionOf(yearId)).toBe(before);
  });
});
