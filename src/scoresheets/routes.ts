import { Router } from "express";
import type { Services } from "../services.js";
import { requireUser } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { YearParams } from "../ranking/schemas.js";
import { parseOwnSheet, parseReviewSheet, SheetParams } from "./schemas.js";

const titleOf = (view: { agency: { name: string }; ctx: { year: { year: number } } }) =>
  `Bảng chấm điểm thi đua năm ${view.ctx.year.year} — ${view.agency.name}`;

export function scoreSheetRoutes({ sheets }: Services): Router {
  const router = Router();
  const sheetPath = "/blocs/:bloc/years/:year/sheets/:agency";

  router.get("/sheets", requireUser, async (req, res) => {
    res.redirect(303, await sheets.latestPath(req.user!));
  });

  router.get("/blocs/:bloc/years/:year/sheets", requireUser, async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const result = await sheets.list(req.user!, bloc, year);
    if ("redirect" in result && result.redirect) return res.redirect(303, result.redirect);
    res.render("scoresheets/list", { title: `Bảng chấm điểm thi đua năm ${year}`, view: result.view });
  });

  router.get(sheetPath, requireUser, async (req, res) => {
    const view = await sheets.view(req.user!, SheetParams.parse(req.params));
    res.render("scoresheets/sheet", { title: titleOf(view), view });
  });

  router.post(sheetPath, requireUser, async (req, res) => {
    const params = SheetParams.parse(req.params);
    const user = req.user!;
    await sheets.assertCanPost(user, params); // 404 / 403 before the form is read
    const result =
      user.role === "clerk"
        ? await sheets.saveOwn(user, params, parseOwnSheet(req.body), req.ip)
        : await sheets.review(user, params, parseReviewSheet(req.body), req.ip);
    if ("view" in result && result.view) return res.status("conflict" in result ? 409 : 422).render("scoresheets/sheet", { title: titleOf(result.view), view: result.view });
    setFlash(req, "success", result.message!);
    res.redirect(303, req.originalUrl);
  });

  return router;
}
