import { describe, expect, it } from "vitest";
import type { Request, Response } from "express";
import { stripNul } from "./strip-nul.js";

describe("stripNul", () => {
  it("removes U+0000 from body and query strings, arrays included, and leaves the rest", () => {
    const req = { body: { username: "ad\u0000min", list: ["a\u0000", "b"], n: 3 }, query: { q: "x\u0000y" } } as unknown as Request;
    let called = false;
    stripNul(req, {} as Response, () => (called = true));
    expect(called).toBe(true);
    expect(req.body).toEqual({ username: "admin", list: ["a", "b"], n: 3 });
    expect(req.query).toEqual({ q: "xy" });
  });
});
