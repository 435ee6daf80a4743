import { Router, type Request, type Response, type NextFunction } from "express";
import { z } from "zod";
import type { PortalPassport } from "./passport.js";
import type { User } from "./users-repo.js";
import type { Services } from "../services.js";
import { LoginForm } from "./schemas.js";
import { messages } from "./messages.js";
import { setFlash } from "../web/middleware/locals.js";

/** Only a local path may be a post-login destination (no open redirect). */
function safeReturnTo(value: string | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export function authRoutes(services: Services, passport: PortalPassport): Router {
  const router = Router();

  router.get("/login", (req, res) => {
    if (req.user) return res.redirect(303, "/");
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
    const returnTo = safeReturnTo(req.session.returnTo);
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
      setFlash(req, "success", messages.loggedOut);
      res.redirect(303, "/login");
    });
  });

  return router;
}
