import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import express from "express";
import request from "supertest";
import { createLogger } from "../../logger.js";
import { accessLog } from "./access-log.js";

/** An app behind the access log, its log lines (parsed) and the request id each page saw. */
function appLogging(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const app = express();
  app.use(accessLog(createLogger(level, sink)));
  app.get("/ok", (_req, res) => {
    res.send(`id ${res.locals.requestId}`);
  });
  app.get("/broken", (_req, res) => {
    res.status(500).send("lỗi");
  });
  return { app, lines };
}

describe("access log", () => {
  it("echoes a well-formed X-Request-Id, shows it to the page and logs one line per request", async () => {
    const { app, lines } = appLogging("info");
    const res = await request(app).get("/ok?a=1").set("X-Request-Id", "abc-123").set("Cookie", "thidua.sid=s%3Abi-mat-phien");
    expect(res.headers["x-request-id"]).toBe("abc-123");
    expect(res.text).toBe("id abc-123");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: "request completed", req: { id: "abc-123", method: "GET", url: "/ok?a=1" }, res: { statusCode: 200 } });
    expect(typeof lines[0]!.responseTime).toBe("number");
    expect(JSON.stringify(lines)).not.toContain("bi-mat-phien");
  });

  it("gives a new id when the caller's is missing or malformed", async () => {
    const { app, lines } = appLogging("info");
    const bad = await request(app).get("/ok").set("X-Request-Id", "has spaces in it");
    const none = await request(app).get("/ok");
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(bad.headers["x-request-id"]).toMatch(uuid);
    expect(none.headers["x-request-id"]).toMatch(uuid);
    expect(bad.headers["x-request-id"]).not.toBe(none.headers["x-request-id"]);
    expect(lines.map((l) => (l.req as { id: string }).id)).toEqual([bad.headers["x-request-id"], none.headers["x-request-id"]]);
  });

  it("logs a 5xx as an error, hides a CSRF token in the URL, and writes nothing below its level", async () => {
    const { app, lines } = appLogging("warn");
    await request(app).get("/ok");
    expect(lines).toHaveLength(0);
    await request(app).get("/broken?x=1&_csrf=token-bi-mat&y=2");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: "request errored", req: { url: "/broken?x=1&_csrf=[ẩn]&y=2" }, res: { statusCode: 500 } });
    expect(JSON.stringify(lines)).not.toContain("token-bi-mat");
  });
});
