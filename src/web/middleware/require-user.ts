import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { User } from "../../auth/users-repo.js";
import { hasRight, type Action } from "../../auth/access.js";
import { ForbiddenError } from "../../errors.js";

/** Where to go back after login, kept in a short cookie (an anonymous visit writes no session row). */
export const RETURN_TO_COOKIE = "thidua.next";

/** A request whose user is signed in: handlers read `req.user` without `!`. */
export type SignedInRequest = Request & { user: User };
type SignedInHandler = (req: SignedInRequest, res: Response, next: NextFunction) => unknown;

function sendToLogin(req: Request, res: Response): void {
  if (req.method === "GET") res.cookie(RETURN_TO_COOKIE, req.originalUrl, { httpOnly: true, sameSite: "lax", path: "/login", maxAge: 60 * 60_000 });
  res.redirect(303, "/login");
}

/**
 * Anonymous → the login page, coming back here afterwards (GET only). Two forms:
 *  - `router.get(path, requireUser((req, res) => …))`: the handler gets a SignedInRequest (preferred);
 *  - `router.get(path, requireUser, …)`: plain middleware, for routes not converted yet.
 */
export function requireUser(handler: SignedInHandler): RequestHandler;
export function requireUser(req: Request, res: Response, next: NextFunction): void;
export function requireUser(first: SignedInHandler | Request, res?: Response, next?: NextFunction): RequestHandler | void {
  if (typeof first === "function") {
    const handler = first;
    return (req, response, nxt) => {
      if (!req.user) return sendToLogin(req, response);
      return handler(req as SignedInRequest, response, nxt);
    };
  }
  if (first.user) return next!();
  sendToLogin(first, res!);
}

/** A signed-in user whose role has `action` in the permission table (else 403), then the handler. */
export function requireRight(action: Action, handler: SignedInHandler): RequestHandler {
  return requireUser((req, res, next) => {
    if (!hasRight(req.user, action)) return next(new ForbiddenError());
    return handler(req, res, next);
  });
}
