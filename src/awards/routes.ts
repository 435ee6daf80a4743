import { Router, type Response } from "express";
import type { Services } from "../services.js";
import { requireUser, type SignedInRequest } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { IdParam } from "../web/params.js";
import { YearParams } from "../ranking/schemas.js";
import { formErrors } from "../setup/schemas.js";
import { awardMessages } from "./awards-service.js";
import { DecisionForm, RevokeForm } from "./schemas.js";

const Y = "/blocs/:bloc/years/:year";

/** The province's decisions on the year's proposals, and revocations. */
export function awardRoutes({ awards }: Services): Router {
  const router = Router();

  const render = async (req: SignedInRequest, res: Response, status: number, typed: { id?: string; form: Record<string, unknown> }, errors: Record<string, string[]>) => {
    const { bloc, year } = YearParams.parse(req.params);
    const page = await awards.decisionsPage(req.user, bloc, year);
    res.status(status).render("awards/decisions", { title: `Quyết định khen thưởng năm ${year}`, page, typed, errors });
  };
  const back = (req: SignedInRequest) => `/blocs/${encodeURIComponent(String(req.params.bloc))}/years/${String(req.params.year)}/decisions`;

  router.get(`${Y}/decisions`, requireUser(async (req, res) => render(req, res, 200, { form: {} }, {})));

  router.post(`${Y}/decisions`, requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    await awards.assertMayDecide(req.user, bloc, year); // role and scope before the form is read
    const form = DecisionForm.safeParse(req.body ?? {});
    if (!form.success) return render(req, res, 422, { id: `p${String(req.body?.proposalId ?? "")}`, form: req.body ?? {} }, formErrors(form.error));
    await awards.decide(req.user, bloc, year, form.data, req.ip);
    setFlash(req, "success", awardMessages.decided);
    res.redirect(303, back(req));
  }));

  router.post(`${Y}/decisions/:id/revoke`, requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const id = IdParam.parse(req.params.id);
    await awards.assertMayDecide(req.user, bloc, year);
    const form = RevokeForm.safeParse(req.body ?? {});
    if (!form.success) return render(req, res, 422, { id: `a${id}`, form: req.body ?? {} }, formErrors(form.error));
    await awards.revokeInYear(req.user, bloc, year, id, form.data.reason, req.ip);
    setFlash(req, "success", awardMessages.revoked);
    res.redirect(303, back(req));
  }));

  return router;
}
