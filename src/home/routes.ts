import { Router } from "express";
import type { Services } from "../services.js";
import { requireUser } from "../web/middleware/require-user.js";
import { ROLE_LABELS } from "../web/navigation.js";

export function homeRoutes(services: Services): Router {
  const router = Router();
  router.get("/", requireUser, async (req, res) => {
    const blocs = (await services.blocs.list()).filter((b) => req.user!.role === "admin" || req.user!.blocIds.includes(b.id));
    res.render("home/index", { title: "Trang chủ", roleLabel: ROLE_LABELS[req.user!.role], blocs });
  });
  return router;
}
