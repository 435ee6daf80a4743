import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, postForm, type Agent } from "./http.js";
import { createLogger } from "../src/logger.js";
import type { Database } from "../src/db/database.js";

let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;
const logLines: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase("demo-2022-open");
  db = database.knex;
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  app = createTestApp(db, { logger: createLogger("info", sink) });
});
afterAll(() => database.close());

const userId = async (username: string): Promise<number> => (await db("users").where({ username }).first("id")).id;

describe("access matrix: every route × every role", () => {
  const roles = ["anonymous", "quantri", "thuongtruc", "lanhdao", "bantdkt", "canbo.bchqs"] as const;
  const agents: Partial<Record<(typeof roles)[number], Agent>> = {};
  beforeAll(async () => {
    for (const r of roles) agents[r] = r === "anonymous" ? request.agent(app) : await loginAs(app, r);
  });

  // [method, path, expected status per role in the order of `roles`]
  const matrix: [string, string | (() => Promise<string>), number[]][] = [
    ["GET", "/", [303, 200, 200, 200, 200, 200]],
    ["GET", "/healthz", [200, 200, 200, 200, 200, 200]],
    ["GET", "/account/password", [303, 200, 200, 200, 200, 200]],
    ["GET", "/admin/users", [303, 200, 200, 403, 403, 403]],
    ["GET", "/admin/users/new", [303, 200, 200, 403, 403, 403]],
    ["GET", async () => `/admin/users/${await userId("canbo.congan")}`, [303, 200, 200, 403, 403, 403]],
    // the secretariat manages only its bloc's clerks: another role's account is not found
    ["GET", async () => `/admin/users/${await userId("lanhdao")}`, [303, 200, 404, 403, 403, 403]],
    ["GET", "/admin/users/999999", [303, 404, 404, 403, 403, 403]],
    ["GET", "/audit", [303, 200, 200, 200, 200, 403]],
  ];

  for (const [method, path, expected] of matrix) {
    it(`${method} ${typeof path === "string" ? path : "(record)"}`, async () => {
      const url = typeof path === "string" ? path : await path();
      const got: number[] = [];
      for (const r of roles) got.push((await agents[r]!.get(url)).status);
      expect(got).toEqual(expected);
    });
  }

  it("POST routes refuse roles without the right (with a valid CSRF token)", async () => {
    const target = await userId("canbo.congan");
    const posts: [string, Record<string, string>][] = [
      ["/admin/users", { username: "x.test", password: "mat-khau-dai-du", fullName: "X", role: "clerk", agencyId: "1" }],
      [`/admin/users/${target}`, { fullName: "X", role: "clerk", agencyId: "1" }],
      [`/admin/users/${target}/password`, { password: "mat-khau-dai-du" }],
      [`/admin/users/${target}/active`, { active: "false" }],
    ];
    for (const [url, body] of posts) {
      for (const r of ["lanhdao", "bantdkt", "canbo.bchqs"] as const) {
        const res = await postForm(agents[r]!, "/", url, body);
        expect([url, r, res.status]).toEqual([url, r, 403]);
      }
      const anon = await request(app).post(url).type("form").send(body);
      expect(anon.status).toBe(403); // no session, no CSRF token
    }
    expect((await db("users").where({ id: target }).first("active")).active).toBe(true);
  });
});

describe("CSRF", () => {
  it("when a POST has no token, then 403 with a page in Vietnamese and nothing changes", async () => {
    const agent = await loginAs(app, "thuongtruc");
    const res = await agent.post("/logout").type("form").send({});
    expect(res.status).toBe(403);
    expect(res.text).toContain("Phiên làm việc của biểu mẫu đã hết hạn");
    expect((await agent.get("/")).status).toBe(200); // still logged in
  });

  it("when a POST has a wrong token, then 403", async () => {
    const agent = await loginAs(app, "thuongtruc");
    const res = await agent.post("/logout").type("form").send({ _csrf: "sai-ma" });
    expect(res.status).toBe(403);
  });

  it("when the login form has no token, then 403", async () => {
    const res = await request(app).post("/login").type("form").send({ username: "thuongtruc", password: "thidua2022" });
    expect(res.status).toBe(403);
  });
});

describe("login", () => {
  async function tryLogin(agent: Agent, username: string, password: string) {
    const page = await agent.get("/login");
    return agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username, password });
  }

  it("when a browser already holding a session id logs in, then login issues a new one (no fixation)", async () => {
    const agent = request.agent(app);
    const sid = (res: { headers: Record<string, unknown> }) => /thidua\.sid=([^;]+)/.exec(((res.headers["set-cookie"] as string[] | undefined) ?? []).join(";"))?.[1];
    const before = sid(await tryLogin(agent, "bantdkt", "thidua2022"));
    const page = await agent.get("/account/password");
    expect(page.status).toBe(200);
    const res = await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: "lanhdao", password: "thidua2022" });
    const after = sid(res);
    expect(before).toBeTruthy();
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
  });

  it("when a user logs in, then the session cookie lasts until the browser closes and is not sent again on each page", async () => {
    const agent = request.agent(app);
    const login = await tryLogin(agent, "bantdkt", "thidua2022");
    const cookie = ((login.headers["set-cookie"] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith("thidua.sid="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).not.toMatch(/Expires=|Max-Age=/i);
    const page = await agent.get("/account/password");
    expect(page.status).toBe(200);
    expect(((page.headers["set-cookie"] as unknown as string[] | undefined) ?? []).some((c) => c.startsWith("thidua.sid="))).toBe(false);
  });

  it("when a NUL character comes in a field (PostgreSQL cannot store it), then the answer is an ordinary refusal, not a 500", async () => {
    const res = await tryLogin(request.agent(app), "thuong\u0000truc", "sai\u0000mat-khau");
    expect(res.status).toBe(401);
    expect(res.text).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
  });

  it("when an unknown user and a wrong password are tried, then both get the same answer", async () => {
    const a = await tryLogin(request.agent(app), "khong.co.ai", "bat-ky-mat-khau");
    const b = await tryLogin(request.agent(app), "bantdkt", "bat-ky-mat-khau");
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    const msg = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0];
    expect(msg(a.text)).toBe(msg(b.text));
  });

  it("when an account failed 5 times within 15 minutes, then the 6th attempt is refused even with the right password, saying how long to wait", async () => {
    let clock = new Date("2026-11-24T08:00:00Z");
    const throttled = createTestApp(db, { now: () => clock });
    for (let i = 0; i < 5; i++) {
      expect((await tryLogin(request.agent(throttled), "canbo.toaan", "sai-mat-khau")).status).toBe(401);
      clock = new Date(clock.getTime() + 60_000);
    }
    const sixth = await tryLogin(request.agent(throttled), "canbo.toaan", "thidua2022");
    expect(sixth.status).toBe(401);
    expect(sixth.text).toMatch(/vui lòng thử lại sau \d+ phút/);
    // once the first failure leaves the 15-minute window the right password works again
    clock = new Date("2026-11-24T08:15:01Z");
    expect((await tryLogin(request.agent(throttled), "canbo.toaan", "thidua2022")).status).toBe(303);
    const audit = await db("audit_log").where({ username: "canbo.toaan" }).pluck("action");
    expect(audit).toEqual(expect.arrayContaining(["login.failure", "login.locked", "login.success"]));
  });

  it("when one address fails across many accounts, then it is limited too", async () => {
    let clock = new Date("2026-11-25T08:00:00Z");
    const throttled = createTestApp(db, { now: () => clock });
    for (let i = 0; i < 20; i++) {
      await tryLogin(request.agent(throttled), `nguoi.${i}`, "sai-mat-khau");
      clock = new Date(clock.getTime() + 1000);
    }
    const res = await tryLogin(request.agent(throttled), "bantdkt", "thidua2022");
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/thử lại sau \d+ phút/);
  });

  it("when the session sits idle past its timeout, then the user must log in again", async () => {
    const agent = await loginAs(app, "bantdkt");
    expect((await agent.get("/")).status).toBe(200);
    await db("sessions").update({ expired: new Date(Date.now() - 1000) });
    const res = await agent.get("/");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
  });
});

describe("user administration and passwords", () => {
  it("when the admin creates an account, then the password is stored as an argon2id hash and the change is audited", async () => {
    const admin = await loginAs(app, "quantri");
    const res = await postForm(admin, "/admin/users/new", "/admin/users", {
      username: "CanBo.Moi", password: "mat-khau-moi-2026", fullName: "Nguyễn Văn Mới", role: "observer", blocIds: "1",
    });
    expect(res.status).toBe(303);
    const row = await db("users").where({ username: "canbo.moi" }).first();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(row.full_name).toBe("Nguyễn Văn Mới");
    const entry = await db("audit_log").where({ action: "user.create", entity_id: String(row.id) }).first();
    expect(entry.username).toBe("quantri");
    expect(JSON.stringify(entry.after)).not.toContain("mat-khau-moi-2026");
    await loginAs(app, "canbo.moi", "mat-khau-moi-2026");
  });

  it("when the form is wrong, then errors appear beside the fields in Vietnamese and the typed values stay", async () => {
    const admin = await loginAs(app, "quantri");
    const res = await postForm(admin, "/admin/users/new", "/admin/users", {
      username: "ab", password: "ngan", fullName: "Trần Thị Giữ Lại", role: "clerk", agencyId: "",
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Tên đăng nhập gồm 3–60 ký tự");
    expect(res.text).toContain("Mật khẩu cần ít nhất 10 ký tự.");
    expect(res.text).toContain("Cán bộ thi đua phải thuộc một cơ quan, đơn vị.");
    expect(res.text).toContain('value="Trần Thị Giữ Lại"');
    expect(res.text).not.toContain('value="ngan"');
  });

  it("when the secretariat creates a leader or a clerk of another bloc's agency, then it is refused", async () => {
    const otherBloc = (await db("blocs").insert({ code: "khac", name: "Khối khác", issuing_body: "UBND", short_name: "KK", place_name: "X" }).returning("id"))[0].id;
    const otherAgency = (await db("agencies").insert({ code: "khac1", name: "Cơ quan khác", short_name: "CQK" }).returning("id"))[0].id;
    await db("bloc_memberships").insert({ bloc_id: otherBloc, agency_id: otherAgency, joined_year: 2022 });
    const sec = await loginAs(app, "thuongtruc");
    const leader = await postForm(sec, "/admin/users/new", "/admin/users", { username: "ld.moi", password: "mat-khau-dai-du", fullName: "A", role: "leader" });
    expect(leader.status).toBe(422);
    expect(leader.text).toContain("Thường trực Khối chỉ tạo tài khoản cán bộ thi đua.");
    const foreign = await postForm(sec, "/admin/users/new", "/admin/users", { username: "cb.khac", password: "mat-khau-dai-du", fullName: "B", role: "clerk", agencyId: String(otherAgency) });
    expect(foreign.status).toBe(422);
    const own = await postForm(sec, "/admin/users/new", "/admin/users", { username: "cb.stp2", password: "mat-khau-dai-du", fullName: "C", role: "clerk", agencyId: String((await db("agencies").where({ code: "stp" }).first("id")).id) });
    expect(own.status).toBe(303);
    expect(await db("users").whereIn("username", ["ld.moi", "cb.khac"]).count("* as n")).toEqual([{ n: 0 }]);
  });

  it("when an account is deactivated, then its open session ends and it cannot log in", async () => {
    const clerk = await loginAs(app, "canbo.thads");
    const admin = await loginAs(app, "quantri");
    const id = await userId("canbo.thads");
    expect((await postForm(admin, `/admin/users/${id}`, `/admin/users/${id}/active`, { active: "false" })).status).toBe(303);
    expect((await clerk.get("/")).status).toBe(303);
    await expect(loginAs(app, "canbo.thads")).rejects.toThrow(/failed with 401/);
    const entry = await db("audit_log").where({ action: "user.deactivate", entity_id: String(id) }).first();
    expect(entry.before).toEqual({ active: true });
    expect(entry.after).toEqual({ active: false });
    await postForm(admin, `/admin/users/${id}`, `/admin/users/${id}/active`, { active: "true" });
  });

  it("when an account's role changes in the database (e.g. by another process), then its next request has the new role", async () => {
    // The user is read with the session row on each request (session-preload.ts), never kept between requests.
    const admin = await loginAs(app, "quantri");
    expect((await admin.get("/admin/users")).status).toBe(200);
    await db("users").where({ username: "quantri" }).update({ role: "observer" });
    try {
      expect((await admin.get("/admin/users")).status).toBe(403);
    } finally {
      await db("users").where({ username: "quantri" }).update({ role: "admin" });
    }
    expect((await admin.get("/admin/users")).status).toBe(200);
  });

  it("when someone changes their own password, then the current one is required, 10+ characters, not the username", async () => {
    const agent = await loginAs(app, "canbo.vks");
    const wrong = await postForm(agent, "/account/password", "/account/password", { currentPassword: "sai", newPassword: "mat-khau-moi-123", confirmPassword: "mat-khau-moi-123" });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain("Mật khẩu hiện tại không đúng.");
    const short = await postForm(agent, "/account/password", "/account/password", { currentPassword: "thidua2022", newPassword: "ngan", confirmPassword: "ngan" });
    expect(short.text).toContain("Mật khẩu cần ít nhất 10 ký tự.");
    const same = await postForm(agent, "/account/password", "/account/password", { currentPassword: "thidua2022", newPassword: "canbo.vks", confirmPassword: "canbo.vks" });
    expect(same.status).toBe(422);
    const ok = await postForm(agent, "/account/password", "/account/password", { currentPassword: "thidua2022", newPassword: "mat-khau-moi-123", confirmPassword: "mat-khau-moi-123" });
    expect(ok.status).toBe(303);
    await loginAs(app, "canbo.vks", "mat-khau-moi-123");
  });

  it("when the admin resets a password, then the new one works", async () => {
    const admin = await loginAs(app, "quantri");
    const id = await userId("canbo.stp");
    expect((await postForm(admin, `/admin/users/${id}`, `/admin/users/${id}/password`, { password: "dat-lai-moi-2026" })).status).toBe(303);
    await loginAs(app, "canbo.stp", "dat-lai-moi-2026");
  });

  it("when HTML and script are typed into a field, then they come back escaped", async () => {
    const admin = await loginAs(app, "quantri");
    const evil = `<script>alert("x")</script><b onmouseover=1>`;
    await postForm(admin, "/admin/users/new", "/admin/users", { username: "xss.test", password: "mat-khau-dai-du", fullName: evil, role: "observer" });
    const list = await admin.get("/admin/users");
    expect(list.text).not.toContain(evil);
    expect(list.text).toContain("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;");
    const bad = await postForm(admin, "/admin/users/new", "/admin/users", { username: "<img src=x>", password: "x", fullName: evil, role: "clerk" });
    expect(bad.status).toBe(422);
    expect(bad.text).not.toContain("<img src=x>");
    expect(bad.text).not.toContain(evil);
  });

  it("never shows a password or a hash in any page or log line", async () => {
    const admin = await loginAs(app, "quantri");
    const pages = ["/admin/users", `/admin/users/${await userId("canbo.congan")}`, "/audit", "/account/password"];
    const hashes = (await db("users").pluck("password_hash")) as string[];
    for (const p of pages) {
      const html = (await admin.get(p)).text;
      expect(html).not.toContain("$argon2");
      expect(html).not.toContain("thidua2022");
      for (const hsh of hashes) expect(html).not.toContain(hsh);
    }
    const logs = logLines.join("");
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of ["thidua2022", "mat-khau-moi-2026", "dat-lai-moi-2026", "$argon2"]) expect(logs).not.toContain(secret);
  });
});

describe("audit log page", () => {
  it("filters by user, agency and date, and the secretariat sees only its bloc", async () => {
    const sec = await loginAs(app, "thuongtruc");
    const clerkId = await userId("canbo.congan");
    await loginAs(app, "canbo.congan");
    const byUser = await sec.get(`/audit?userId=${clerkId}`);
    expect(byUser.status).toBe(200);
    expect(byUser.text).toContain("canbo.congan");
    expect(byUser.text).not.toContain("<td>quantri</td>");
    const agencyId = (await db("agencies").where({ code: "congan" }).first("id")).id;
    const byAgency = await sec.get(`/audit?agencyId=${agencyId}`);
    expect(byAgency.text).toContain("Đăng nhập");
    const future = await sec.get("/audit?from=01/01/2099");
    expect(future.text).toContain("0 mục");
    const bad = await sec.get("/audit?from=31/02/2026");
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Từ ngày không hợp lệ (định dạng dd/mm/yyyy).");
    expect(bad.text).toContain('value="31/02/2026"');
  });
});

describe("security headers", () => {
  it("every page carries the CSP (no inline script) and helmet's headers; the session cookie is HttpOnly", async () => {
    const res = await request(app).get("/login");
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers["content-security-policy"]).not.toContain("unsafe-inline");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(res.headers["referrer-policy"]).toBe("same-origin");
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["set-cookie"]?.[0]).toMatch(/HttpOnly/);
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
