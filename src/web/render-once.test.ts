import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import express from "express";
import request from "supertest";
import { KeptHtml, renderedOnce, sendPage } from "./render-once.js";

/** An app with a page around two kept parts, and a part rendered from a kept object. */
function appWithViews(viewCache: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-once-"));
  fs.writeFileSync(path.join(dir, "page.ejs"), "<h1><%= title %> — <%= reader %></h1>\n<%- first %>\n<p><%= typed %></p>\n<%- second %>\n<%- first %>");
  fs.writeFileSync(path.join(dir, "_part.ejs"), "<table><% rows.forEach(function (r) { %><tr><td><%= r %></td></tr><% }) %></table>");
  const app = express();
  app.set("view engine", "ejs");
  app.set("views", dir);
  if (viewCache) app.enable("view cache");
  const parts: KeptHtml[] = [];
  const source = { rows: ["Công an tỉnh", "Tòa án nhân dân tỉnh", "<b>đậm</b>"] };
  app.get("/", async (req, res) => {
    res.locals.reader = "Thường trực";
    const first = await renderedOnce(app, source, "", "_part", { rows: source.rows });
    parts.push(first);
    await sendPage(res, "page", { title: "Xếp hạng năm 2022", typed: String(req.query.typed ?? ""), first, second: new KeptHtml("<p>Đợt 2 — tổng kết</p>") });
  });
  return { app, parts };
}

describe("sendPage with kept parts", () => {
  it("sends the same bytes as the page rendered as text, each kept part where it goes, and renders a kept part once", async () => {
    const { app, parts } = appWithViews(true);
    const a = await request(app).get("/?typed=Bổ%20sung");
    const b = await request(app).get("/?typed=Bổ%20sung");
    const table = "<table><tr><td>Công an tỉnh</td></tr><tr><td>Tòa án nhân dân tỉnh</td></tr><tr><td>&lt;b&gt;đậm&lt;/b&gt;</td></tr></table>";
    const expected = `<h1>Xếp hạng năm 2022 — Thường trực</h1>\n${table}\n<p>Bổ sung</p>\n<p>Đợt 2 — tổng kết</p>\n${table}`;
    expect(a.status).toBe(200);
    expect(a.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(a.text).toBe(expected);
    expect(Number(a.headers["content-length"])).toBe(Buffer.byteLength(expected));
    expect(b.text).toBe(expected);
    // One render kept: both pages were sent with the same part (and its bytes).
    expect(parts).toHaveLength(2);
    expect(parts[1]).toBe(parts[0]);
  });

  it("when what a reader typed holds control characters like the page's marks, then the page still shows it as typed", async () => {
    const { app } = appWithViews(true);
    const typed = "\u0001abc:0\u0001 và \u0001";
    const res = await request(app).get(`/?typed=${encodeURIComponent(typed)}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<p>${typed}</p>`);
    expect(res.text.split("<table>")).toHaveLength(3);
  });
});
