import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import * as cheerio from "cheerio";
import request from "supertest";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, postForm, type Agent } from "./http.js";
import { seedDemo } from "../seeds/demo.js";
import type { Database } from "../src/db/database.js";

// The real demo, seen on 29/11/2026 (Vietnam time): 2022 published and closed, 2026 running.
const NOW = new Date("2026-11-29T03:00:00Z");
const Y22 = "/blocs/noichinh-tq/years/2022";
const Y26 = "/blocs/noichinh-tq/years/2026";

let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;
let sec: Agent;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.knex;
  await seedDemo(db, { now: NOW });
  app = createTestApp(db, { now: () => NOW });
  sec = await loginAs(app, "thuongtruc");
});
afterAll(() => database.close());

const text = (html: string) => cheerio.load(html)("main").text().replace(/\s+/g, " ");

describe("the demo: a finished 2022 and a running current year", () => {
  it("2022 is published through the publication service and closed; 2026 is open", async () => {
    const years = await db("emulation_years").orderBy("year").select("year", "ranking_published_at", "closed_at");
    expect(years.map((y) => [y.year, y.ranking_published_at !== null, y.closed_at !== null])).toEqual([
      [2022, true, true],
      [2026, false, false],
    ]);
    expect(Number((await db("proposals").count("* as n").first())!.n)).toBeGreaterThan(0);
    const actions = (await db("audit_log").orderBy("id").select("action")).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["ranking.publish", "year.close", "year.create"]));
  });

  it("the secretariat's home opens the current year's dashboard, with a deadline within the week", async () => {
    const home = text((await sec.get("/")).text);
    expect(home).toContain("Theo dõi thi đua năm 2026");
    const left = [...home.matchAll(/còn (\d+) ngày/g)].map((m) => Number(m[1]));
    expect(left.some((d) => d >= 0 && d <= 7)).toBe(true);
    expect(home).toMatch(/Đã gửi|Đã tiếp nhận/);
    expect((await sec.get("/dashboard")).headers.location).toBe(`${Y26}/dashboard`);
  });

  it("the 2022 dashboard says the year is over and shows no overdue counter", async () => {
    const page = await sec.get(`${Y22}/dashboard`);
    expect(page.status).toBe(200);
    const body = text(page.text);
    expect(body).toContain("Năm thi đua đã kết thúc");
    expect(body).not.toContain("quá hạn");
    // Lateness stays as recorded.
    expect(body).toContain("chậm");
  });

  it("every year page has a year switcher to the same page of the other years", async () => {
    const $ = cheerio.load((await sec.get(`${Y26}/setup`)).text);
    const links = $("nav.year-nav a").map((_i, a) => $(a).attr("href")).get();
    expect(links).toEqual([`${Y26}/setup`, `${Y22}/setup`]);
  });

  it("a closed year is read-only everywhere: any change is refused and nothing is saved", async () => {
    const before = await db("emulation_years").where({ year: 2022 }).first("plan_number");
    for (const url of [`${Y22}/setup`, `${Y22}/periods/1/lock`, `${Y22}/campaigns`, `${Y22}/ranking/reopen`]) {
      const res = await postForm(sec, `${Y22}/setup`, url, { planNumber: "99/KH", reason: "Mở lại để sửa số liệu" });
      expect([url, res.status]).toEqual([url, 409]);
      expect(res.text).toContain("Năm thi đua đã kết thúc");
    }
    expect((await db("emulation_years").where({ year: 2022 }).first("plan_number")).plan_number).toBe(before.plan_number);
    // Without a session (a form posted after it expired would be kept as a draft elsewhere) nothing is kept either.
    const reports = await db("reports").count("* as n").first();
    const anonymous = await request(app).post(`${Y22}/periods/1/reports/stp`).type("form").send({ action: "save", general: "x" });
    expect(anonymous.status).toBe(409);
    expect(await db("reports").count("* as n").first()).toEqual(reports);
  });

  it("a clerk's home shows the running year's deliverables", async () => {
    const clerk = await loginAs(app, "canbo.thads");
    const body = text((await clerk.get("/")).text);
    expect(body).toContain("năm 2026");
    expect(body).toContain("Việc cần làm");
  });

  it("only the admin reopens a closed year, with a written reason kept in the audit log", async () => {
    expect((await postForm(sec, `${Y22}/setup`, `${Y22}/reopen`, { reason: "Sửa sai sót số liệu" })).status).toBe(403);
    const admin = await loginAs(app, "quantri");
    const short = await postForm(admin, `${Y22}/setup`, `${Y22}/reopen`, { reason: "sửa" });
    expect(short.status).toBe(422);
    expect(short.text).toContain("ít nhất 10 ký tự");
    expect(short.text).toContain(">sửa</textarea>");
    const ok = await postForm(admin, `${Y22}/setup`, `${Y22}/reopen`, { reason: "Sửa sai sót số liệu của Sở Tư pháp" });
    expect(ok.status).toBe(303);
    expect((await db("emulation_years").where({ year: 2022 }).first("closed_at")).closed_at).toBeNull();
    const entry = await db("audit_log").where({ action: "year.reopen" }).first("after");
    expect(JSON.stringify(entry.after)).toContain("Sửa sai sót số liệu của Sở Tư pháp");
    // The secretariat closes it again (its ranking is still published).
    expect((await postForm(sec, `${Y22}/setup`, `${Y22}/close`, {})).status).toBe(303);
    expect((await db("emulation_years").where({ year: 2022 }).first("closed_at")).closed_at).not.toBeNull();
  });

  it("a year whose ranking is not published cannot be closed", async () => {
    const res = await postForm(sec, `${Y26}/setup`, `${Y26}/close`, {});
    expect(res.status).toBe(409);
    expect(res.text).toContain("sau khi kết quả xếp hạng đã được công bố");
  });
});
