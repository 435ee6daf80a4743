import { Router } from "express";
import type { Services } from "../services.js";
import { requireUser } from "../web/middleware/require-user.js";
import { ROLE_LABELS } from "../web/navigation.js";

export function homeRoutes(services: Services): Router {
  const router = Router();
  router.get("/", requireUser, async (req, res) => {
    const user = req.user!;
    const blocs = (await services.blocs.list()).filter((b) => user.role === "admin" || user.blocIds.includes(b.id));
    const clerk = await services.home.clerkHome(user);
    const latest = clerk ? null : await services.years.latestFor(user);
    res.render("home/index", { title: "Trang chủ", roleLabel: ROLE_LABELS[user.role], blocs, clerk, latest });
  });
  return router;
}
