import { Router } from "express";
import type { Services } from "../services.js";
import { NotFoundError } from "../errors.js";
import { requireUser } from "../web/middleware/require-user.js";
import { YearParams } from "./schemas.js";

export function rankingRoutes({ ranking, years }: Services): Router {
  const router = Router();

  router.get("/ranking", requireUser, async (req, res) => {
    const latest = await years.latestFor(req.user!);
    if (!latest) throw new NotFoundError();
    res.redirect(303, `/blocs/${encodeURIComponent(latest.blocCode)}/years/${latest.year}/ranking`);
  });

  router.get("/blocs/:bloc/years/:year/ranking", requireUser, async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const page = await ranking.page(req.user!, bloc, year);
    res.render("ranking/page", { title: `Xếp hạng thi đua năm ${page.ctx.year.year}`, page });
  });

  router.get("/blocs/:bloc/years/:year/ranking.json", requireUser, async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    res.json(await ranking.rows(req.user!, bloc, year));
  });

  return router;
}
