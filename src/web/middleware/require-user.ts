import type { NextFunction, Request, Response } from "express";
import type { Role } from "../../auth/users-repo.js";
import { ForbiddenError } from "../../errors.js";

/** Where to go back after login, kept in a short cookie (an anonymous visit writes no session row). */
export const RETURN_TO_COOKIE = "thidua.next";

/** Anonymous → the login page, coming back here afterwards (GET only). */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next();
  if (req.method === "GET") res.cookie(RETURN_TO_COOKIE, req.originalUrl, { httpOnly: true, sameSite: "lax", path: "/login", maxAge: 60 * 60_000 });
  res.redirect(303, "/login");
}

export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.user) return next(new ForbiddenError());
    if (!roles.includes(req.user.role)) return next(new ForbiddenError());
    next();
  };
}
