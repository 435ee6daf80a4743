import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { csrfSync } from "csrf-sync";
import type { NextFunction, Request, Response } from "express";
import { readCookie } from "../cookies.js";

const tokenOf = (req: Request): string | undefined =>
  ((req.body as Record<string, unknown> | undefined)?._csrf as string | undefined) ??
  (req.headers["x-csrf-token"] as string | undefined);

/**
 * Signed-in users: a synchronizer token kept in the session; forms send it as `_csrf` in the
 * body (multipart ones too: see multipart.ts), scripts in the `X-CSRF-Token` header. Never from
 * the URL, where it would reach logs, history and `Location` headers.
 */
export const csrf = csrfSync({
  getTokenFromRequest: tokenOf,
  errorConfig: { statusCode: 403, message: "csrf", code: "EBADCSRFTOKEN" },
});

export const ANONYMOUS_CSRF_COOKIE = "thidua.csrf";

/**
 * Anonymous visitors (the login form) get no session row: their token is a signed double
 * submit. A random value lives in an HttpOnly cookie; the form carries its HMAC under the
 * server's secret. Another site can neither read the cookie nor compute the HMAC, so it
 * cannot post a login (login CSRF) in the visitor's browser.
 */
export function anonymousCsrf(opts: { secret: string; production: boolean }) {
  const sign = (value: string) => createHmac("sha256", opts.secret).update(`anonymous-csrf:${value}`).digest("base64url");
  const valid = (value: string | null): value is string => typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value);
  return {
    /** The form token for this visitor, setting the cookie on first use. */
    token(req: Request, res: Response): string {
      let value = readCookie(req, ANONYMOUS_CSRF_COOKIE);
      if (!valid(value)) {
        value = randomBytes(32).toString("base64url");
        res.cookie(ANONYMOUS_CSRF_COOKIE, value, { httpOnly: true, sameSite: "lax", secure: opts.production, path: "/" });
      }
      return sign(value);
    },
    verify(req: Request): boolean {
      const value = readCookie(req, ANONYMOUS_CSRF_COOKIE);
      const given = tokenOf(req);
      if (!valid(value) || typeof given !== "string") return false;
      const [a, b] = [Buffer.from(sign(value)), Buffer.from(given)];
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}
export type AnonymousCsrf = ReturnType<typeof anonymousCsrf>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Every state-changing request carries a valid token: the session's once signed in, the cookie's before. */
export function csrfProtection(anonymous: AnonymousCsrf) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.user) return csrf.csrfSynchronisedProtection(req, res, next);
    if (SAFE_METHODS.has(req.method) || anonymous.verify(req)) return next();
    next(csrf.invalidCsrfTokenError);
  };
}

/** The token forms of this page carry (creates no session for an anonymous visitor). */
export function csrfTokenFor(anonymous: AnonymousCsrf, req: Request, res: Response): string {
  return req.user ? csrf.generateToken(req) : anonymous.token(req, res);
}
