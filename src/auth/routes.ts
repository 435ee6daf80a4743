import { Router, type Request, type Response, type NextFunction } from "express";
import { z } from "zod";
import type { PortalPassport } from "./passport.js";
import type { User } from "./users-repo.js";
import type { Services } from "../services.js";
import { LoginForm } from "./schemas.js";
import { messages } from "./messages.js";
import { RETURN_TO_COOKIE } from "../web/middleware/require-user.js";
import { readCookie } from "../web/cookies.js";
import { SESSION_COOKIE } from "../web/middleware/session.js";

/** Only a local path may be a post-login destination (no open redirect). */
function safeReturnTo(value: string | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export function authRoutes(services: Services, passport: PortalPassport): Router {
  const router = Router();

  router.get("/login", (req, res) => {
    if (req.user) return res.redirect(303, "/");
    // After logout the session is gone: the notice comes in the address, not in a new session.
    if (req.query.thoat === "1") res.locals.flash = { kind: "success", text: messages.loggedOut };
    res.render("auth/login", { title: "Đăng nhập", values: {}, errors: {} });
  });

  router.post("/login", (req: Request, res: Response, next: NextFunction) => {
    const form = LoginForm.safeParse(req.body);
    if (!form.success) {
      return res.status(422).render("auth/login", {
        title: "Đăng nhập",
        values: { username: typeof req.body?.username === "string" ? req.body.username : "" },
        errors: z.flattenError(form.error).fieldErrors,
      });
    }
    const returnTo = safeReturnTo(req.session.returnTo ?? readCookie(req, RETURN_TO_COOKIE) ?? undefined);
    passport.authenticate("local", (err: unknown, user: User | false, info?: { message?: string }) => {
      if (err) return next(err);
      if (!user) {
        return res.status(401).render("auth/login", {
          title: "Đăng nhập",
          values: { username: form.data.username },
          errors: { form: [info?.message ?? messages.badCredentials] },
        });
      }
      // passport ≥ 0.6 regenerates the session here (no fixation).
      req.logIn(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        // The absolute lifetime counts from here (session.ts).
        req.session.signedInAt = Date.now();
        res.clearCookie(RETURN_TO_COOKIE, { path: "/login" });
        res.redirect(303, returnTo);
      });
    })(req, res, next);
  });

  router.post("/logout", async (req, res, next) => {
    if (req.user) {
      await services.audit.record({ userId: req.user.id, username: req.user.username, action: "logout", agencyId: req.user.agencyId, ip: req.ip });
    }
    req.logout((err) => {
      if (err) return next(err);
      // passport left a fresh empty session: drop it, an anonymous visitor keeps no row.
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        res.clearCookie(SESSION_COOKIE);
        res.redirect(303, "/login?thoat=1");
      });
    });
  });

  return router;
}
