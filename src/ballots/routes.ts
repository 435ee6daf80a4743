import { Router } from "express";
import type { Services } from "../services.js";
import { requireUser } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { YearParams } from "../ranking/schemas.js";
import { formStrings } from "./schemas.js";

export function ballotRoutes({ ballots }: Services): Router {
  const router = Router();
  const path = "/blocs/:bloc/years/:year/ballots";

  router.get(path, requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const view = await ballots.view(req.user, bloc, year);
    res.render("ballots/form", { title: `Kết quả bỏ phiếu bình xét năm ${year}`, view });
  }));

  router.post(path, requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const result = await ballots.save(req.user, bloc, year, formStrings(req.body), req.ip);
    if (result.view) return res.status("conflict" in result ? 409 : 422).render("ballots/form", { title: `Kết quả bỏ phiếu bình xét năm ${year}`, view: result.view });
    setFlash(req, "success", result.message!);
    res.redirect(303, req.originalUrl);
  }));

  return router;
}
