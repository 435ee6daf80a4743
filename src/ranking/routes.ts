import { Router } from "express";
import { z } from "zod";
import type { Services } from "../services.js";
import { NotFoundError } from "../errors.js";
import { requireUser } from "../web/middleware/require-user.js";
import { YearParams } from "./schemas.js";
import { setFlash } from "../web/middleware/locals.js";
import { publicationMessages } from "./publication-service.js";

const ReopenForm = z.object({ reason: z.string().max(2000, "Lý do tối đa 2.000 ký tự.").optional().default("") });

export function rankingRoutes({ ranking, years, publication }: Services): Router {
  const router = Router();

  router.get("/ranking", requireUser, async (req, res) => {
    const latest = await years.latestFor(req.user!);
    if (!latest) throw new NotFoundError();
    res.redirect(303, `/blocs/${encodeURIComponent(latest.blocCode)}/years/${latest.year}/ranking`);
  });

  router.get("/blocs/:bloc/years/:year/ranking", requireUser, async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const page = await ranking.page(req.user!, bloc, year);
    res.render("ranking/page", { title: `Xếp hạng thi đua năm ${page.ctx.year.year}`, page, mayPublish: publication.mayPublish(req.user!), errors: {} });
  });

  router.post("/blocs/:bloc/years/:year/ranking/publish", requireUser, async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    await publication.publish(req.user!, bloc, year, req.ip);
    setFlash(req, "success", publicationMessages.published);
    res.redirect(303, `/blocs/${encodeURIComponent(bloc)}/years/${year}/ranking`);
  });

  router.post("/blocs/:bloc/years/:year/ranking/reopen", requireUser, async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    await publication.assertMayPublish(req.user!, bloc, year); // role and scope before the form is read
    const form = ReopenForm.safeParse(req.body);
    const result = form.success ? await publication.reopen(req.user!, bloc, year, form.data.reason, req.ip) : { errors: z.flattenError(form.error).fieldErrors };
    if (result.errors) {
      const page = await ranking.page(req.user!, bloc, year);
      return res.status(422).render("ranking/page", { title: `Xếp hạng thi đua năm ${page.ctx.year.year}`, page, mayPublish: publication.mayPublish(req.user!), errors: result.errors, reason: req.body?.reason ?? "" });
    }
    setFlash(req, "success", publicationMessages.reopened);
    res.redirect(303, `/blocs/${encodeURIComponent(bloc)}/years/${year}/ranking`);
  });

  router.get("/blocs/:bloc/years/:year/ranking.json", requireUser, async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    res.json(await ranking.rows(req.user!, bloc, year));
  });

  return router;
}
