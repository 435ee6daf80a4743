import type { NextFunction, Request, Response } from "express";
import { viewHelpers } from "../view-helpers.js";
import { hasRight, type Action } from "../../auth/access.js";
import { navigationFor } from "../navigation.js";
import { csrfTokenFor, type AnonymousCsrf } from "./csrf.js";

export const SITE_TITLE = "Cổng thông tin thi đua — Khối thi đua";

/** Locals every page uses; the flash message is shown once then dropped. */
export const locals = (anonymousCsrf: AnonymousCsrf) => (req: Request, res: Response, next: NextFunction): void => {
  res.locals.user = req.user ?? null;
  // Templates ask the permission table whether the role has a right (never compare roles).
  res.locals.may = (action: Action) => (req.user ? hasRight(req.user, action) : false);
  res.locals.csrfToken = csrfTokenFor(anonymousCsrf, req, res);
  res.locals.flash = req.session.flash ?? null;
  delete req.session.flash;
  res.locals.nav = navigationFor(req.user ?? null, req.path);
  res.locals.h = viewHelpers;
  res.locals.siteTitle = SITE_TITLE;
  next();
};

export function setFlash(req: Request, kind: "success" | "error", text: string): void {
  req.session.flash = { kind, text };
}
