import { Router } from "express";
import type { Services } from "../services.js";
import { NotFoundError } from "../errors.js";
import { requireUser } from "../web/middleware/require-user.js";
import { YearParams } from "../ranking/schemas.js";
import { ROLE_LABELS } from "../web/navigation.js";

export function dashboardRoutes({ dashboard, years }: Services): Router {
  const router = Router();

  router.get("/dashboard", requireUser(async (req, res) => {
    const latest = await years.currentFor(req.user);
    if (!latest) throw new NotFoundError();
    res.redirect(303, `/blocs/${encodeURIComponent(latest.blocCode)}/years/${latest.year}/dashboard`);
  }));

  router.get("/blocs/:bloc/years/:year/dashboard", requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const view = await dashboard.dashboard(req.user, bloc, year);
    res.render("dashboard/page", { title: `Theo dõi thi đua năm ${year}`, view, roleLabel: ROLE_LABELS[req.user.role] });
  }));

  return router;
}
