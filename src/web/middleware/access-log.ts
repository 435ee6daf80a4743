import { randomUUID } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Logger } from "../../logger.js";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A CSRF token put in a URL by an old page or a crafted link never reaches the access log. */
export function withoutCsrfToken(url: string): string {
  return url.replace(/([?&])_csrf=[^&#]*/gi, "$1_csrf=[ẩn]");
}

/**
 * Gives each request its id (the caller's `X-Request-Id` when well formed, else a new one), sent back
 * in `X-Request-Id` and shown on error pages, and writes one access-log line when the response ends:
 * `info` "request completed", or `error` "request errored" for a 5xx (the lines pino-http wrote).
 *
 * Why not pino-http: it made a child logger per request, serializing and redacting the request up front
 * even when the access log is off (`LOG_LEVEL=warn`); that was a sixth of the CPU of a kept page
 * (issue 16). Here nothing is built unless the line is written, and the line holds only the id, method,
 * URL (its CSRF token hidden) and status: no header, cookie or body can reach it.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("X-Request-Id", id);
    res.locals.requestId = id;
    const started = Date.now();
    const { method, url } = req;
    const ended = () => {
      res.removeListener("finish", ended);
      res.removeListener("close", ended);
      const failed = res.statusCode >= 500;
      if (!logger.isLevelEnabled(failed ? "error" : "info")) return;
      const line = { req: { id, method, url: withoutCsrfToken(url) }, res: { statusCode: res.statusCode }, responseTime: Date.now() - started };
      if (failed) logger.error({ ...line, err: new Error(`failed with status code ${res.statusCode}`) }, "request errored");
      else logger.info(line, "request completed");
    };
    res.on("finish", ended);
    res.on("close", ended);
    next();
  };
}
