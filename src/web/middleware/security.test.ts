import { describe, expect, it } from "vitest";
import express, { type RequestHandler } from "express";
import request from "supertest";
import { helmetFor, recordHeaders, securityHeaders } from "./security.js";

const headersOf = async (middleware: RequestHandler) => {
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader("X-Powered-By", "Express");
    next();
  });
  app.use(middleware);
  app.get("/", (_req, res) => {
    res.send("ok");
  });
  const { headers } = await request(app).get("/");
  const { date: _date, etag: _etag, ...rest } = headers;
  return rest;
};

describe("security headers", () => {
  for (const production of [true, false]) {
    it(`when replayed from the recording (production ${production}), then every response gets exactly helmet's headers`, async () => {
      // The recording took (else helmet would run per request and this test would prove nothing).
      expect(recordHeaders(helmetFor(production))?.length).toBeGreaterThan(8);
      const replayed = await headersOf(securityHeaders(production));
      expect(replayed).toEqual(await headersOf(helmetFor(production)));
      expect(replayed["content-security-policy"]).toContain("script-src 'self'");
      expect(replayed["x-powered-by"]).toBeUndefined();
      expect(Boolean(replayed["strict-transport-security"])).toBe(production);
    });
  }
});
