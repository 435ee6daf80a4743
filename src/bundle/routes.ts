import { Router, type Response } from "express";
import type { Services } from "../services.js";
import { requireRight, requireUser } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { YearParam } from "../setup/schemas.js";
import type { BundleError } from "./bundle-service.js";
import { MAX_UPLOAD_BYTES, uploadedFile } from "../web/middleware/multipart.js";

export const MAX_BUNDLE_BYTES = MAX_UPLOAD_BYTES;

export function bundleRoutes(services: Services): Router {
  const router = Router();
  const { bundle } = services;

  router.get("/blocs/:bloc/years/:year/bundle.json", requireUser(async (req, res) => {
    const year = YearParam.parse(req.params.year);
    const doc = await bundle.exportFor(req.user, String(req.params.bloc), year);
    res.setHeader("Content-Disposition", `attachment; filename="${doc.bloc.code}-${doc.year.year}.json"`);
    res.type("application/json; charset=utf-8").send(JSON.stringify(doc, null, 2));
  }));

  const render = (res: Response, status: number, errors: BundleError[], replace = false) =>
    res.status(status).render("bundle/import", { title: "Nhập gói dữ liệu năm", errors, replace });

  router.get("/admin/import-year", requireRight("year.import", (_req, res) => render(res, 200, [])));

  router.post("/admin/import-year", requireRight("year.import", async (req, res) => {
    const file = uploadedFile(req, "bundle");
    const replace = Boolean((req.body as Record<string, unknown> | undefined)?.replace);
    if (file && file.size > MAX_BUNDLE_BYTES) return render(res, 413, [{ path: "tệp", message: "Tệp lớn hơn 20 MB." }], replace);
    if (!file) return render(res, 422, [{ path: "tệp", message: "Vui lòng chọn tệp JSON của gói dữ liệu năm." }], replace);
    let doc: unknown;
    try {
      doc = JSON.parse(file.buffer.toString("utf8"));
    } catch {
      return render(res, 422, [{ path: "tệp", message: "Tệp không phải JSON hợp lệ." }], replace);
    }
    const result = await bundle.importYear(doc, { replace, actor: req.user });
    if (!result.ok) return render(res, 422, result.errors, replace);
    const s = result.summary;
    setFlash(req, "success", `Đã nhập năm ${s.year} của khối ${s.bloc}: ${s.agencies} cơ quan, ${s.criteria} tiêu chí, ${s.reports} báo cáo, ${s.scoreSheets} bảng điểm${s.replaced ? " (thay thế năm đã có)" : ""}.`);
    res.redirect(303, `/blocs/${encodeURIComponent(s.bloc)}/years/${s.year}/setup`);
  }));

  return router;
}
