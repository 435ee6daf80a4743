import { Router, type Response } from "express";
import { z } from "zod";
import type { Services } from "../services.js";
import { requireUser, type SignedInRequest } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { messages } from "../reports/messages.js";
import { RegistrationForm, RegistrationParams, RegistrationReview } from "./schemas.js";

const PATH = "/blocs/:bloc/years/:year/registration/:agency";

export function registrationRoutes(services: Services): Router {
  const router = Router();
  const { registrations } = services;

  async function render(req: SignedInRequest, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const p = RegistrationParams.parse(req.params);
    const page = await registrations.page(req.user, p.bloc, p.year, p.agency);
    res.status(status).render("registrations/registration", { title: `Đăng ký thi đua năm ${page.ctx.year.year} — ${page.agency.name}`, page, errors: {}, values: null, conflict: false, ...extra });
  }

  router.get("/blocs/:bloc/years/:year/registrations", requireUser(async (req, res) => {
    const p = RegistrationParams.pick({ bloc: true, year: true }).parse(req.params);
    const overview = await registrations.overview(req.user, p.bloc, p.year);
    res.render("registrations/list", { title: `Đăng ký thi đua năm ${overview.ctx.year.year}`, overview });
  }));

  router.get(PATH, requireUser((req, res) => render(req, res, 200)));

  router.post(PATH, requireUser(async (req, res) => {
    const p = RegistrationParams.parse(req.params);
    await registrations.assertCanPost(req.user, p.bloc, p.year, p.agency, "save");
    const form = RegistrationForm.safeParse(req.body);
    if (!form.success) return render(req, res, 422, { errors: z.flattenError(form.error).fieldErrors, values: req.body });
    const result = await registrations.save(req.user, p.bloc, p.year, p.agency, form.data, req.ip);
    if (!result.ok) return render(req, res, 409, { conflict: true, values: req.body });
    setFlash(req, "success", form.data.action === "submit" ? messages.submitted(result.lateDays ?? 0) : messages.saved);
    res.redirect(303, req.originalUrl);
  }));

  router.post(`${PATH}/review`, requireUser(async (req, res) => {
    const p = RegistrationParams.parse(req.params);
    await registrations.assertCanPost(req.user, p.bloc, p.year, p.agency, "review");
    const form = RegistrationReview.safeParse(req.body);
    if (!form.success) return render(req, res, 422, { errors: z.flattenError(form.error).fieldErrors });
    const result = await registrations.review(req.user, p.bloc, p.year, p.agency, form.data, req.ip);
    if (result.errors) return render(req, res, 422, { errors: result.errors });
    setFlash(req, "success", form.data.action === "return" ? messages.returned : messages.accepted);
    res.redirect(303, req.originalUrl.replace(/\/review$/, ""));
  }));

  return router;
}
