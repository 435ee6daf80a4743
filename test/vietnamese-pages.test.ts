import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as cheerio from "cheerio";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs } from "./http.js";
import type { Database } from "../src/db/database.js";

/**
 * Every page is in Vietnamese with diacritics and shows dates as dd/mm/yyyy: the visible text of
 * each main page, for each role, holds no ISO date and none of the usual words typed without
 * diacritics.
 */
const Y = "/blocs/noichinh-tq/years/2022";
const PAGES: [string, string[]][] = [
  ["canbo.vks", ["/", `${Y}/periods/1/reports/vks`, `${Y}/periods/2/reports/vks`, `${Y}/registration/vks`, `${Y}/sheets/vks`, "/account/password", "/notifications", "/account/notifications"]],
  ["thuongtruc", ["/", `${Y}/dashboard`, `${Y}/periods/1/reports`, `${Y}/periods/1/reports/toaan`, `${Y}/periods/1/reports/toaan/versions/1`, `${Y}/registrations`, `${Y}/registration/thads`, `${Y}/sheets`, `${Y}/sheets/thanhtra`, `${Y}/ballots`, `${Y}/ranking`, `${Y}/ranking/print`, `${Y}/ballots/minutes`, `${Y}/ranking/proposal-letter`, `${Y}/setup`, `${Y}/campaigns`, `${Y}/periods/1`, `${Y}/periods/2`, `${Y}/criteria`, `${Y}/rules`, "/blocs/noichinh-tq/agencies", "/admin/users", "/admin/users/new", "/audit"]],
  ["bantdkt", ["/", "/province/2022", "/blocs/noichinh-tq/history", "/agencies/congan/history"]],
  ["quantri", ["/admin/import-year", "/admin/mail"]],
];
const ISO_DATE = /(?<!\d)(19|20)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)/;
const BARE_WORDS = /\b(Dang nhap|Dang xuat|Bao cao|Tong ket|So ket|Thi dua|Khen thuong|Xep hang|Don vi|Khoi thi dua|Trang chu|Mat khau|Luu nhap|Gui bao cao|Han gui|Diem)\b/;

let database: Database;
let app: ReturnType<typeof createTestApp>;
beforeAll(async () => {
  database = await createTestDatabase("demo-2022-open");
  app = createTestApp(database.knex);
});
afterAll(() => database.close());

function visibleText(html: string): string {
  // a space between elements, as a reader sees them ("Hạn gửi" and "15/06/2022" are two cells)
  const $ = cheerio.load(html.replace(/></g, "> <"));
  $("script, style").remove();
  // what a person reads: text, plus the values shown in fields
  const values = $("input:not([type=hidden]), textarea").map((_i, el) => $(el).val() ?? "").get().join(" ");
  return `${$("body").text()} ${values}`.replace(/\s+/g, " ");
}

describe("pages in Vietnamese, dates as dd/mm/yyyy", () => {
  it("the login page", async () => {
    const res = await (await import("supertest")).default(app).get("/login");
    expect(res.text).toContain('<html lang="vi">');
    expect(visibleText(res.text)).not.toMatch(BARE_WORDS);
  });

  for (const [username, paths] of PAGES) {
    it(`${username}'s pages`, async () => {
      const agent = await loginAs(app, username);
      for (const p of paths) {
        const res = await agent.get(p);
        expect([p, res.status]).toEqual([p, 200]);
        expect(res.text, p).toMatch(/<html lang="vi">/);
        const text = visibleText(res.text);
        expect([p, ISO_DATE.exec(text)?.[0] ?? null]).toEqual([p, null]);
        expect([p, BARE_WORDS.exec(text)?.[0] ?? null]).toEqual([p, null]);
        expect(text, p).toMatch(/[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i);
      }
    }, 60_000);
  }
});
