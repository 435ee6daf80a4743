import type { NextFunction, Request, Response } from "express";

/** What a user whose password was set by someone else may still reach before changing it. */
const OPEN_PATHS = new Set(["/account/password", "/logout"]);

/**
 * An account whose password was chosen by an admin or secretariat (a one-time password) must
 * change it at first login, before anything else: every other page sends it to the change form.
 */
export function requirePasswordChange(req: Request, res: Response, next: NextFunction): void {
  if (!req.user?.mustChangePassword || OPEN_PATHS.has(req.path)) return next();
  res.redirect(303, "/account/password");
}
