import { Router, type Response } from "express";
import type { Services } from "../services.js";
import { requireUser, type SignedInRequest } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { uploadedFile } from "../web/middleware/multipart.js";
import { IdParam } from "../web/params.js";
import { YearParams } from "../ranking/schemas.js";
import { formErrors } from "../setup/schemas.js";
import { objectionMessages } from "./objections-service.js";
import { AnswerForm, ObjectionForm } from "./schemas.js";

const Y = "/blocs/:bloc/years/:year";

/** Objections (kiến nghị) to a published ranking: list and filing form, one objection, its answer, its reopening. */
export function objectionRoutes({ objections }: Services): Router {
  const router = Router();

  const renderList = async (req: SignedInRequest, res: Response, status: number, form: Record<string, unknown>, errors: Record<string, string[]>) => {
    const { bloc, year } = YearParams.parse(req.params);
    const page = await objections.page(req.user, bloc, year);
    res.status(status).render("objections/list", { title: `Kiến nghị về kết quả xếp hạng năm ${year}`, page, form, errors });
  };
  const renderOne = async (req: SignedInRequest, res: Response, status: number, form: Record<string, unknown>, errors: Record<string, string[]>) => {
    const { bloc, year } = YearParams.parse(req.params);
    const page = await objections.one(req.user, bloc, year, IdParam.parse(req.params.id));
    res.status(status).render("objections/objection", { title: `Kiến nghị số ${page.objection.id} — năm ${year}`, page, form, errors });
  };

  router.get(`${Y}/objections`, requireUser(async (req, res) => renderList(req, res, 200, {}, {})));

  router.post(`${Y}/objections`, requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    await objections.assertMayFile(req.user, bloc, year); // role and scope before the form is read
    const form = ObjectionForm.safeParse(req.body ?? {});
    const file = uploadedFile(req, "file");
    const result = form.success ? await objections.file(req.user, bloc, year, form.data, file, req.ip) : { errors: formErrors(form.error) };
    if (result.errors || result.id === undefined) return renderList(req, res, 422, req.body ?? {}, result.errors ?? {});
    setFlash(req, "success", objectionMessages.filed);
    res.redirect(303, `/blocs/${encodeURIComponent(bloc)}/years/${year}/objections/${result.id}`);
  }));

  router.get(`${Y}/objections/:id`, requireUser(async (req, res) => renderOne(req, res, 200, {}, {})));

  router.post(`${Y}/objections/:id/answer`, requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const id = IdParam.parse(req.params.id);
    await objections.assertMayAnswer(req.user, bloc, year); // role and scope before the form is read
    const form = AnswerForm.safeParse(req.body ?? {});
    if (!form.success) return renderOne(req, res, 422, req.body ?? {}, formErrors(form.error));
    const { status } = await objections.answer(req.user, bloc, year, id, form.data, req.ip);
    setFlash(req, "success", status === "accepted" ? objectionMessages.accepted : objectionMessages.rejected);
    res.redirect(303, `/blocs/${encodeURIComponent(bloc)}/years/${year}/objections/${id}`);
  }));

  router.post(`${Y}/objections/:id/reopen`, requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const id = IdParam.parse(req.params.id);
    await objections.reopen(req.user, bloc, year, id, req.ip);
    setFlash(req, "success", objectionMessages.reopened);
    res.redirect(303, `/blocs/${encodeURIComponent(bloc)}/years/${year}/ranking`);
  }));

  router.get(`${Y}/objections/:id/files/:fileId`, requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const f = await objections.download(req.user, bloc, year, IdParam.parse(req.params.id), IdParam.parse(req.params.fileId));
    res.setHeader("Content-Type", f.mimeType);
    res.setHeader("Content-Disposition", `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
    res.setHeader("Content-Length", String(f.sizeBytes));
    res.setHeader("Cache-Control", "private, no-store");
    res.send(f.content);
  }));

  return router;
}
