import { Router } from "express";
import type { Services } from "../services.js";
import { NotFoundError } from "../errors.js";
import { requireUser } from "../web/middleware/require-user.js";
import { YearParams } from "../ranking/schemas.js";
import { ROLE_LABELS } from "../web/navigation.js";
import type { Response } from "express";
import type { User } from "../auth/users-repo.js";
import type { DashboardView } from "./dashboard-service.js";
import { renderedOnce, sendPage } from "../web/render-once.js";

/**
 * The dashboard page (also the home page of the bloc's readers): the part made from the year's rows and
 * today's date is rendered once per revision and day with its view (issue 16), the rest for the reader.
 */
export async function renderDashboard(res: Response, user: User, title: string, view: DashboardView): Promise<void> {
  const yearHtml = await renderedOnce(res.app, view.year, "", "dashboard/_year", { year: view.year });
  await sendPage(res, "dashboard/page", { title, view, yearHtml, roleLabel: ROLE_LABELS[user.role] });
}

export function dashboardRoutes({ dashboard, years }: Services): Router {
  const router = Router();

  router.get("/dashboard", requireUser(async (req, res) => {
    const latest = await years.currentFor(req.user);
    if (!latest) throw new NotFoundError();
    res.redirect(303, `/blocs/${encodeURIComponent(latest.blocCode)}/years/${latest.year}/dashboard`);
  }));

  router.get("/blocs/:bloc/years/:year/dashboard", requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    await renderDashboard(res, req.user, `Theo dõi thi đua năm ${year}`, await dashboard.dashboard(req.user, bloc, year));
  }));

  return router;
}
