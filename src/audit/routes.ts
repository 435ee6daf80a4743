import { Router } from "express";
import { z } from "zod";
import type { Services } from "../services.js";
import { requireUser } from "../web/middleware/require-user.js";
import { AuditQuery } from "./schemas.js";

const PAGE_SIZE = 50;

export function auditRoutes(services: Services): Router {
  const router = Router();
  router.get("/audit", requireUser(async (req, res) => {
    const user = req.user;
    const query = AuditQuery.safeParse(req.query);
    const values = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    const filter = query.success ? query.data : { page: 1 };
    const { page, ...rest } = filter;
    const log = await services.audit.page(user, { ...(query.success ? rest : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    res.status(query.success ? 200 : 422).render("audit/list", {
      title: log.pointsOnly ? "Lịch sử thay đổi điểm" : "Nhật ký hệ thống",
      log, page, pages: Math.max(1, Math.ceil(log.total / PAGE_SIZE)), values,
      errors: query.success ? {} : z.flattenError(query.error).fieldErrors,
    });
  }));
  return router;
}
