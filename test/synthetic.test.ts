import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs } from "./http.js";
import { writeSynthetic } from "../src/synthetic/writer.js";
import { generateBloc } from "../src/synthetic/generator.js";
import type { Database } from "../src/db/database.js";

const OPTS = { blocs: 2, agencies: 3, criteria: 12, years: 1, seed: 5, prefix: "tn", lastYear: 2024 };

/** The criteria rows of the whole database. */
const criteriaCount = async (db: Knex) => Number((await db("criteria").count({ n: "*" }))[0]!.n);

describe("gen-synthetic (writer)", () => {
  // One empty database for the file; each test generates a province of its own prefix in it.
  let database: Database;
  let db: Knex;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.knex;
  });
  afterAll(() => database.close());

  it("when a tiny province (2 blocs × 3 agencies × 12 criteria × 1 year) is generated, then its rows are there and the year's ranking page renders", async () => {
    const before = await criteriaCount(db);
    const summary = await writeSynthetic(db, OPTS);
    expect(summary).toMatchObject({ blocs: 2, agencies: 6, years: 2, users: 8 });
    expect((await criteriaCount(db)) - before).toBe(2 * (12 + 2 + 2)); // 12 items + 2 standard groups + bonus + deduction groups, per year
    const sums: { year_id: number; total: string }[] = await db("criteria")
      .where({ kind: "standard" })
      .whereNotNull("parent_id")
      .whereIn("year_id", db("emulation_years as y").join("blocs as b", "b.id", "y.bloc_id").where("b.code", "like", `${OPTS.prefix}%`).select("y.id"))
      .groupBy("year_id")
      .select("year_id", db.raw("sum(max_points) as total"));
    expect(sums.map((s) => Number(s.total))).toEqual([100, 100]);

    const app = createTestApp(db, { now: () => new Date("2025-01-20T09:00:00+07:00") });
    const sec = await loginAs(app, "thuongtruc.tn01");
    const res = await sec.get("/blocs/tn01/years/2024/ranking");
    expect(res.status).toBe(200);
    for (const a of generateBloc(OPTS, 0).agencies) expect(res.text).toContain(a.name);
    expect((await sec.get("/blocs/tn01/years/2024/sheets/tn01-a01")).status).toBe(200);
    const clerk = await loginAs(app, "canbo.tn02-a02");
    expect((await clerk.get("/")).status).toBe(200);
  });

  it("when the same prefix is generated again, then it refuses in Vietnamese and leaves the data as it was", async () => {
    const own = { ...OPTS, prefix: "tl" }; // a province of its own, beside the first test's
    await writeSynthetic(db, own);
    const before = Number((await db("agencies").count({ n: "*" }))[0]!.n);
    await expect(writeSynthetic(db, own)).rejects.toThrow(/đã có trong cơ sở dữ liệu/);
    expect(Number((await db("agencies").count({ n: "*" }))[0]!.n)).toBe(before);
  });
});
