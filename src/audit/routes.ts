import { Router } from "express";
import { z } from "zod";
import type { Services } from "../services.js";
import { requireUser, requireRole } from "../web/middleware/require-user.js";
import { AuditQuery } from "./schemas.js";
import { AUDIT_ACTION_LABELS } from "./audit-service.js";

const PAGE_SIZE = 50;

export function auditRoutes(services: Services): Router {
  const router = Router();
  router.get("/audit", requireUser, requireRole("admin", "secretariat"), async (req, res) => {
    const user = req.user!;
    const query = AuditQuery.safeParse(req.query);
    const options = await services.userAdmin.formOptions(user);
    const people = await services.userAdmin.list(user);
    const values = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    if (!query.success) {
      return res.status(422).render("audit/list", {
        title: "Nhật ký hệ thống", rows: [], total: 0, page: 1, pages: 1, values, options, people,
        errors: z.flattenError(query.error).fieldErrors, labels: AUDIT_ACTION_LABELS,
      });
    }
    const { page, ...filter } = query.data;
    const { rows, total } = await services.audit.list({
      ...filter,
      blocIds: user.role === "admin" ? undefined : user.blocIds,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    res.render("audit/list", {
      title: "Nhật ký hệ thống", rows, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), values, options, people,
      errors: {}, labels: AUDIT_ACTION_LABELS,
    });
  });
  return router;
}
