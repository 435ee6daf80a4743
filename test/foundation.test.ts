import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { Knex } from "knex";
import { createEmptyDatabase, createTestDatabase } from "./db.js";
import { createTestApp, loginAs } from "./http.js";
import { migrateLatest, rollbackAll } from "../src/db/migrate.js";
import { migrations } from "../migrations/index.js";
import { seedDemo } from "../seeds/demo.js";
import type { Database } from "../src/db/database.js";

async function publicTables(db: Knex): Promise<string[]> {
  const rows: { tablename: string }[] = (
    await db.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
  ).rows;
  return rows.map((r) => r.tablename);
}

/** Every row of every table, to prove a second seed load changes nothing. */
async function snapshot(db: Knex): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const table of await publicTables(db)) {
    if (table.startsWith("knex_") || table === "sessions") continue;
    out[table] = await db(table).select("*").orderByRaw("1");
  }
  return JSON.stringify(out);
}

describe("migrations", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(() => database.close());

  it("when migrated up, down and up again, then the schema is whole each time", async () => {
    const db = database.knex;
    expect(await migrateLatest(db)).toHaveLength(migrations.length);
    const first = await publicTables(db);
    for (const t of ["blocs", "agencies", "bloc_memberships", "emulation_years", "year_agencies", "campaigns", "periods",
      "period_extensions", "registrations", "reports", "report_versions", "report_attachments", "criteria",
      "score_sheets", "score_entries", "ballot_meetings", "votes", "proposals", "users", "user_blocs", "sessions",
      "login_attempts", "audit_log"]) {
      expect(first).toContain(t);
    }
    await rollbackAll(db);
    expect((await publicTables(db)).filter((t) => !t.startsWith("knex_"))).toEqual([]);
    expect(await migrateLatest(db)).toHaveLength(migrations.length);
    expect(await publicTables(db)).toEqual(first);
  });
});

describe("schema constraints and types", () => {
  let database: Database;
  let db: Knex;
  beforeAll(async () => {
    database = await createTestDatabase("demo-2022-open");
    db = database.knex;
  });
  afterAll(() => database.close());

  it("when a period's data window ends before it starts, then the database refuses it", async () => {
    const year = await db("emulation_years").first("id");
    await expect(
      db("periods").insert({
        year_id: year.id, kind: "six_month", number: 3, title: "x", starts_on: "2022-01-01", ends_on: "2022-02-01",
        data_from: "2022-05-01", data_to: "2022-04-01", due_on: "2022-06-01",
      }),
    ).rejects.toThrow(/periods_data_window_order|periods_year_id_kind_unique/);
  });

  it("when points are negative, then the database refuses them", async () => {
    const entry = await db("score_entries").whereNotNull("self_points").first("id");
    await expect(db("score_entries").where({ id: entry.id }).update({ self_points: -1 })).rejects.toThrow(/score_entries_self_points/);
  });

  it("when the audit log is changed, then the database refuses it (append-only)", async () => {
    await db("audit_log").insert({ action: "test" });
    await expect(db("audit_log").update({ action: "changed" })).rejects.toThrow(/append-only/);
    await expect(db("audit_log").del()).rejects.toThrow(/append-only/);
  });

  it("dates come back as YYYY-MM-DD strings, counts as numbers, numeric as exact strings", async () => {
    const period = await db("periods").where({ kind: "six_month" }).first("due_on");
    expect(period.due_on).toBe("2022-06-15");
    const [row] = await db("agencies").count("* as c");
    expect(row?.c).toBe(7);
    const crit = await db("criteria").where({ code: "1.1" }).first("max_points");
    expect(crit.max_points).toBe("40.00");
  });
});

describe("demo seed", () => {
  let database: Database;
  let db: Knex;
  let firstLoad: Awaited<ReturnType<typeof seedDemo>>;
  // Loaded once here, so each test below reads the demo whichever runs first.
  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.knex;
    firstLoad = await seedDemo(db, { keep2022InProgress: true });
  });
  afterAll(() => database.close());

  it("when loaded twice, then the second load changes nothing", async () => {
    expect(firstLoad).toEqual({ created: true });
    const before = await snapshot(db);
    expect(await seedDemo(db, { keep2022InProgress: true })).toEqual({ created: false });
    expect(await snapshot(db)).toBe(before);
  });

  it("holds the bloc, its members, the head and deputy, and every movement of the plan", async () => {
    const bloc = await db("blocs").where({ code: "noichinh-tq" }).first();
    expect(bloc.name).toBe("Khối thi đua Nội chính tỉnh Tuyên Quang");
    const agencies = (await db("agencies").orderBy("code").pluck("code")) as string[];
    expect(agencies).toEqual(["bchqs", "congan", "stp", "thads", "thanhtra", "toaan", "vks"]);
    const year = await db("emulation_years")
      .join("agencies as h", "h.id", "emulation_years.head_agency_id")
      .join("agencies as d", "d.id", "emulation_years.deputy_agency_id")
      .where({ bloc_id: bloc.id, year: 2022 })
      .first("emulation_years.*", "h.code as head", "d.code as deputy");
    expect(year.head).toBe("bchqs");
    expect(year.deputy).toBe("congan");
    expect(year.plan_signer_name).toBe("Đại tá Hà Đình Khiêm");
    const kinds = (await db("campaigns").where({ year_id: year.id }).orderBy("sort_order").pluck("kind")) as string[];
    expect(kinds).toEqual(["annual", "new_rural", "poverty", "enterprise", "office_culture", "covid19", "other"]);
    const titles = (await db("campaigns").where({ year_id: year.id }).pluck("title")) as string[];
    expect(titles.join("\n")).toContain("Tuyên Quang chung sức xây dựng nông thôn mới");
    expect(titles.join("\n")).toContain("phòng, chống và chiến thắng đại dịch Covid-19");
  });

  it("holds both periods with the plan's exact dates, deadlines and data windows", async () => {
    const periods = await db("periods").orderBy("number").select("kind", "starts_on", "ends_on", "data_from", "data_to", "due_on", "conference_month");
    expect(periods).toEqual([
      { kind: "six_month", starts_on: "2022-01-01", ends_on: "2022-05-31", data_from: "2021-12-01", data_to: "2022-05-31", due_on: "2022-06-15", conference_month: "2022-07" },
      { kind: "annual", starts_on: "2022-06-01", ends_on: "2022-11-30", data_from: "2021-12-01", data_to: "2022-11-30", due_on: "2022-12-15", conference_month: "2023-01" },
    ]);
  });

  it("holds the demo score sheet: standard maxima add up to 100, bonus group, deductions", async () => {
    const items = await db("criteria").whereNotNull("parent_id").select("code", "kind", "max_points", "auto_source");
    const standard = items.filter((i) => i.kind === "standard").reduce((s, i) => s + Number(i.max_points), 0);
    expect(standard).toBe(100);
    expect(items.filter((i) => i.kind === "bonus").map((i) => i.code)).toEqual(["5.1", "5.2"]);
    expect(items.find((i) => i.code === "6.1")?.auto_source).toBe("late_reports");
    expect(items).toHaveLength(18);
  });

  it("holds the demo accounts and activity in every state: on time, late, draft, returned", async () => {
    const users = (await db("users").orderBy("username").pluck("username")) as string[];
    for (const u of ["thuongtruc", "lanhdao", "bantdkt", "quantri", "canbo.bchqs", "canbo.congan", "canbo.thads"]) {
      expect(users).toContain(u);
    }
    const six = await db("reports")
      .join("periods", "periods.id", "reports.period_id")
      .join("agencies", "agencies.id", "reports.agency_id")
      .where("periods.kind", "six_month")
      .select("agencies.code", "reports.status", "reports.late_days");
    const by = Object.fromEntries(six.map((r) => [r.code, r]));
    expect(by.bchqs).toMatchObject({ status: "accepted", late_days: 0 });
    expect(by.toaan).toMatchObject({ status: "accepted", late_days: 5 });
    expect(by.vks.status).toBe("returned");
    expect(by.stp.status).toBe("draft");
    expect(by.thads).toBeUndefined();
    const hash = await db("users").where({ username: "thuongtruc" }).first("password_hash");
    expect(hash.password_hash).toMatch(/^\$argon2id\$/);
  });
});

describe("web app", () => {
  let database: Database;
  let app: ReturnType<typeof createTestApp>;
  beforeAll(async () => {
    database = await createTestDatabase("demo-2022-open");
    app = createTestApp(database.knex);
  });
  afterAll(() => database.close());

  it("serves the login page in Vietnamese", async () => {
    const res = await request(app).get("/login");
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="vi">');
    expect(res.text).toContain("Đăng nhập");
    expect(res.text).toContain("Tên đăng nhập");
    expect(res.text).toContain("Mật khẩu");
  });

  it("answers /healthz 200 while the database is reachable", async () => {
    const res = await request(app).get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("answers an unknown page with a 404 page in Vietnamese", async () => {
    const res = await request(app).get("/khong-co-trang-nay");
    expect(res.status).toBe(404);
    expect(res.text).toContain("Không tìm thấy trang");
  });

  it("sends an anonymous visitor of the home page to the login page", async () => {
    const res = await request(app).get("/");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
  });

  it("lets a demo account log in and shows its bloc", async () => {
    const agent = await loginAs(app, "thuongtruc");
    const res = await agent.get("/");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Khối thi đua Nội chính tỉnh Tuyên Quang");
    expect(res.text).toContain("Thường trực Khối");
  });

  it("refuses a wrong password with a message in Vietnamese, keeping the username", async () => {
    const agent = request.agent(app);
    const page = await agent.get("/login");
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const res = await agent.post("/login").type("form").send({ _csrf: token, username: "thuongtruc", password: "sai-mat-khau" });
    expect(res.status).toBe(401);
    expect(res.text).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
    expect(res.text).toContain('value="thuongtruc"');
  });

  it("in production behind an HTTPS proxy, the session cookie is Secure, HttpOnly and SameSite=Lax", async () => {
    const prod = createTestApp(database.knex, { production: true, trustProxy: true });
    const res = await request(prod).get("/login").set("X-Forwarded-Proto", "https");
    expect(res.status).toBe(200);
    const cookie = res.headers["set-cookie"]?.[0] ?? "";
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(res.headers["strict-transport-security"]).toContain("max-age=");
  });
});
