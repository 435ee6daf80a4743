import type { NextFunction, Request, Response } from "express";
import type { Knex } from "knex";
import { unsign } from "cookie-signature";
import type { Logger } from "../../logger.js";
import { SESSION_COOKIE, SESSION_RESCUE_MS } from "./session.js";
import { readCookie } from "../cookies.js";

export interface RescueHandler {
  /** Matches the form's POST path; returns the route params or null. */
  match(path: string): Record<string, string> | null;
  /** Saves what was typed as a draft for `userId`; returns where to come back after login. */
  save(userId: number, params: Record<string, string>, body: Record<string, unknown>): Promise<string | null>;
}

/**
 * Nothing typed is lost when a session expires mid-typing. The POST then arrives with a
 * cookie whose session row has expired: express-session starts a new empty session and the
 * CSRF check would refuse the post. Before that check, this middleware reads the expired row
 * by its signed id and, if the posted CSRF token is the one that session issued (so it is the
 * same person's own form), saves the input as a draft, then sends them to log in again.
 * Only within SESSION_RESCUE_MS of the expiry, and only ever as a draft (the handler's job).
 */
export function rescueExpiredForm(opts: { db: Knex; secret: string; logger: Logger; handlers: RescueHandler[]; message: string }) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.method !== "POST" || req.user || !req.is("application/x-www-form-urlencoded")) return next();
    const handler = opts.handlers.map((h) => ({ h, params: h.match(req.path) })).find((x) => x.params);
    const raw = readCookie(req, SESSION_COOKIE);
    const token = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!handler?.params || !raw || typeof token !== "string") return next();
    try {
      const sid = raw.startsWith("s:") ? unsign(raw.slice(2), opts.secret) : false;
      if (!sid) return next();
      const row = await opts.db("sessions")
        .where({ sid })
        .andWhere("expired", ">", new Date(Date.now() - SESSION_RESCUE_MS))
        .first("sess");
      const sess = row && (typeof row.sess === "string" ? JSON.parse(row.sess) : row.sess);
      const userId = sess?.passport?.user;
      if (typeof userId !== "number" || sess?.csrfToken !== token) return next();
      const returnTo = await handler.h.save(userId, handler.params, req.body as Record<string, unknown>);
      if (!returnTo) return next();
      req.session.returnTo = returnTo;
      req.session.flash = { kind: "success", text: opts.message };
      res.redirect(303, "/login");
    } catch (err) {
      opts.logger.warn({ err }, "could not rescue an expired form");
      next();
    }
  };
}
