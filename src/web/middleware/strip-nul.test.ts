import { describe, expect, it } from "vitest";
import express, { type Request, type Response } from "express";
import request from "supertest";
import { parseQuery, stripNul } from "./strip-nul.js";

describe("stripNul", () => {
  it("removes U+0000 from body strings, arrays included, and leaves the rest", () => {
    const req = { body: { username: "ad\u0000min", list: ["a\u0000", "b"], n: 3 } } as unknown as Request;
    let called = false;
    stripNul(req, {} as Response, () => (called = true));
    expect(called).toBe(true);
    expect(req.body).toEqual({ username: "admin", list: ["a", "b"], n: 3 });
  });

  it("removes U+0000 from the query at every read of req.query (Express parses it anew each time)", async () => {
    const app = express();
    app.set("query parser", parseQuery);
    app.use(stripNul);
    app.get("/", (req, res) => {
      res.json([req.query, req.query]);
    });
    const { body } = await request(app).get("/?q=x%00y&list=a%00&list=b&plain=%C4%91%E1%BB%A3t");
    const expected = { q: "xy", list: ["a", "b"], plain: "đợt" };
    expect(body).toEqual([expected, expected]);
  });
});
