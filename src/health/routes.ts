import { Router } from "express";
import type { Services } from "../services.js";

export function healthRoutes(services: Services): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    const ok = await services.health.databaseReachable();
    res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "database unavailable" });
  });
  return router;
}
