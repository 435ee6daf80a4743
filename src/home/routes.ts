import { Router } from "express";
import type { Services } from "../services.js";
import { requireUser } from "../web/middleware/require-user.js";
import { ROLE_LABELS } from "../web/navigation.js";
import { access, can, hasRight } from "../auth/access.js";
import { renderDashboard } from "../dashboard/routes.js";

export function homeRoutes(services: Services): Router {
  const router = Router();
  router.get("/", requireUser(async (req, res) => {
    const user = req.user;
    const blocs = (await services.blocs.list()).filter((b) => can(user, "bloc.read", { kind: "bloc", blocId: b.id }));
    const clerk = await services.home.clerkHome(user);
    if (!clerk && hasRight(user, "home.blocList")) {
      const list = await services.dashboard.blocList(user);
      return res.render("dashboard/blocs", { title: "Trang chủ", roleLabel: ROLE_LABELS[user.role], list });
    }
    const latest = clerk ? null : await services.years.currentFor(user);
    if (latest && access.isBlocReader(user)) {
      return renderDashboard(res, user, "Trang chủ", await services.dashboard.dashboard(user, latest.blocCode, latest.year));
    }
    // After publication, the clerk is told until when the agency may object (issue 18).
    const standing = clerk ? await services.objections.standingOf(clerk.ctx) : null;
    res.render("home/index", { title: "Trang chủ", roleLabel: ROLE_LABELS[user.role], blocs, clerk, latest, standing });
  }));
  return router;
}
