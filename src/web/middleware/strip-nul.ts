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

export function stripNul(req: Request, _res: Response, next: NextFunction): void {
  if (req.body) req.body = clean(req.body);
  // req.query is a getter in Express 5: clean the parsed object in place.
  clean(req.query);
  next();
}
