import { parse as parseQueryString } from "node:querystring";
import type { NextFunction, Request, Response } from "express";

/**
 * PostgreSQL text cannot hold U+0000 (any query carrying it fails), and no person types
 * it: it is removed from every submitted string once, here, instead of in each schema.
 */
function clean(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\u0000") ? value.replaceAll("\u0000", "") : value;
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = clean(v);
  }
  return value;
}

/** The body's strings without U+0000 (the query's are cleaned by `parseQuery`). */
export function stripNul(req: Request, _res: Response, next: NextFunction): void {
  if (req.body) req.body = clean(req.body);
  next();
}

/**
 * The app's query parser (`app.set("query parser", parseQuery)`): Express's "simple" parser, without
 * U+0000. Express 5 parses `req.query` anew at each read, so cleaning one parsed copy in a middleware
 * (as before) left the handlers' own reads unclean.
 */
export function parseQuery(query: string): Record<string, unknown> {
  return clean(parseQueryString(query)) as Record<string, unknown>;
}
