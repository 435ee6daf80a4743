import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, postForm } from "./http.js";
import { seedDemo } from "../seeds/demo.js";
import type { Database } from "../src/db/database.js";

/** Issue 15, "security round 2": one regression test (at least) per finding. */

let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;

/** The demo as these tests need it (one place, should the demo's options change). */
const seed = (k: Knex) => seedDemo(k);

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  await seed(db);
  app = createTestApp(db);
});
afterAll(() => database.close());

const idOf = async (table: string, where: Record<string, string>): Promise<number> => (await db(table).where(where).first("id")).id;

describe("finding 1: an agency shared with another bloc is the admin's to manage", () => {
  let clerkId: number;
  beforeAll(async () => {
    // congan also belongs to a second bloc (possible through a bundle import)
    const [{ id: other }] = await db("blocs").insert({ code: "khoi-khac", name: "Khối khác", issuing_body: "UBND tỉnh", short_name: "KK", place_name: "Tỉnh" }).returning("id");
    await db("bloc_memberships").insert({ bloc_id: other, agency_id: await idOf("agencies", { code: "congan" }), joined_year: 2022 });
    clerkId = await idOf("users", { username: "canbo.congan" });
  });

  it("when the secretariat of one of its blocs resets its clerk's password, then the account is not found and the password stays", async () => {
    const sec = await loginAs(app, "thuongtruc");
    expect((await sec.get(`/admin/users/${clerkId}`)).status).toBe(404);
    const before = (await db("users").where({ id: clerkId }).first("password_hash")).password_hash;
    const res = await postForm(sec, "/account/password", `/admin/users/${clerkId}/password`, { password: "chiem-quyen-2026" });
    expect(res.status).toBe(404);
    expect((await db("users").where({ id: clerkId }).first("password_hash")).password_hash).toBe(before);
    expect((await sec.get("/admin/users")).text).not.toContain("canbo.congan");
    // a clerk of an agency wholly inside the bloc is still the secretariat's
    expect((await sec.get(`/admin/users/${await idOf("users", { username: "canbo.bchqs" })}`)).status).toBe(200);
  });

  it("when the secretariat renames the shared agency, then it is refused and the name stays; the admin may", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const url = "/blocs/noichinh-tq/agencies/congan";
    const page = await sec.get(url);
    expect(page.text).toContain("còn thuộc Khối thi đua khác");
    const res = await postForm(sec, url, url, { name: "Tên bị đổi", shortName: "X", headName: "", headPosition: "" });
    expect(res.status).toBe(403);
    expect((await db("agencies").where({ code: "congan" }).first("name")).name).not.toBe("Tên bị đổi");
    const admin = await loginAs(app, "quantri");
    expect((await postForm(admin, url, url, { name: "Công an tỉnh", shortName: "CA" })).status).toBe(303);
    // the secretariat may still create a clerk only for agencies wholly inside its blocs
    const create = await postForm(sec, "/admin/users/new", "/admin/users", { username: "cb.congan2", password: "mat-khau-dai-du", fullName: "A", role: "clerk", agencyId: String(await idOf("agencies", { code: "congan" })) });
    expect(create.status).toBe(422);
  });
});
