import type { NextFunction, Request, Response } from "express";
import type { Role } from "../../auth/users-repo.js";
import { ForbiddenError } from "../../errors.js";

/** Anonymous → the login page, coming back here afterwards (GET only). */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next();
  if (req.method === "GET") req.session.returnTo = req.originalUrl;
  res.redirect(303, "/login");
}

export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.user) return next(new ForbiddenError());
    if (!roles.includes(req.user.role)) return next(new ForbiddenError());
    next();
  };
}
