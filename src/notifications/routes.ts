import { Router, type NextFunction, type Request, type Response } from "express";
import type { Services } from "../services.js";
import { requireRight, requireUser, type SignedInRequest } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { formErrors } from "../setup/schemas.js";
import { messages } from "./messages.js";
import { pageHeader } from "../web/middleware/brand.js";
import { IdParam, MailSettingsForm, PageQuery } from "./schemas.js";

/** The unread count shown in the header of every page a signed-in user sees. */
export function unreadNotificationCount(services: Services) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // Read with the header's blocs in one query on GET pages (issue 16); alone on a posted form.
    res.locals.unreadNotifications = !req.user ? 0 : req.method === "GET" ? (await pageHeader(services, req)).unread : await services.notifications.unreadCount(req.user);
    next();
  };
}

export function notificationRoutes(services: Services): Router {
  const router = Router();
  const { notifications } = services;

  router.get("/notifications", requireUser(async (req, res) => {
    const page = await notifications.page(req.user, PageQuery.parse(req.query.page));
    res.render("notifications/list", { title: messages.pageTitle, ...page });
  }));

  /** Marks one read and opens the page it is about (a form, so it works without scripts). */
  router.post("/notifications/:id/read", requireUser(async (req, res) => {
    const link = await notifications.markRead(req.user, IdParam.parse(req.params.id));
    res.redirect(303, req.body?.open === "1" ? link : "/notifications");
  }));

  router.post("/notifications/read-all", requireUser(async (req, res) => {
    await notifications.markAllRead(req.user);
    setFlash(req, "success", messages.allRead);
    res.redirect(303, "/notifications");
  }));

  const renderSettings = async (req: SignedInRequest, res: Response, status: number, form: Record<string, unknown> | null, errors: Record<string, string[]>) => {
    const settings = await notifications.settings(req.user);
    res.status(status).render("notifications/settings", { title: messages.settingsTitle, mailEnabled: settings.mailEnabled, form: form ?? settings, errors });
  };
  router.get("/account/notifications", requireUser((req, res) => renderSettings(req, res, 200, null, {})));
  router.post("/account/notifications", requireUser(async (req, res) => {
    const form = MailSettingsForm.safeParse(req.body);
    if (!form.success) {
      const b = (req.body ?? {}) as Record<string, unknown>;
      return renderSettings(req, res, 422, { email: typeof b.email === "string" ? b.email : "", emailNotifications: Boolean(b.emailNotifications) }, formErrors(form.error));
    }
    await notifications.updateSettings(req.user, form.data, req.ip);
    setFlash(req, "success", messages.settingsSaved);
    res.redirect(303, "/account/notifications");
  }));

  // The admin sees what was not delivered and why, and may send a failed message again.
  router.get("/admin/mail", requireRight("mail.admin", async (_req, res) => {
    res.render("notifications/outbox", { title: messages.outboxTitle, ...(await notifications.outboxPage()) });
  }));
  router.post("/admin/mail/:id/retry", requireRight("mail.admin", async (req, res) => {
    await notifications.retry(req.user, IdParam.parse(req.params.id), req.ip);
    setFlash(req, "success", messages.retried);
    res.redirect(303, "/admin/mail");
  }));

  return router;
}
