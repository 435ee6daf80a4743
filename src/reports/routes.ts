import { Router, type Response } from "express";
import { z } from "zod";
import type { Services } from "../services.js";
import { requireUser, type SignedInRequest } from "../web/middleware/require-user.js";
import { hasRight } from "../auth/access.js";
import { setFlash } from "../web/middleware/locals.js";
import type { RescueHandler } from "../web/middleware/rescue-expired-form.js";
import { AttachmentForm, IdParam, ReportParams, ReviewForm, reportFormSchema, SECTION_FIELDS, sectionField } from "./schemas.js";
import { uploadedFile } from "../web/middleware/multipart.js";
import { formatFileSize, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_TOTAL_BYTES, MAX_ATTACHMENTS_PER_REPORT } from "./attachments.js";
import { messages } from "./messages.js";
import { renderedOnce, sendPage } from "../web/render-once.js";
import type { ReportTarget } from "./reports-service.js";

const BASE = "/blocs/:bloc/years/:year/periods/:period/reports/:agency";

const target = (params: unknown): ReportTarget => {
  const p = ReportParams.parse(params);
  return { blocCode: p.bloc, year: p.year, period: p.period, agencyCode: p.agency };
};

/** The quota as the form states it. */
const QUOTA = { files: MAX_ATTACHMENTS_PER_REPORT, fileSize: formatFileSize(MAX_ATTACHMENT_BYTES), total: formatFileSize(MAX_ATTACHMENT_TOTAL_BYTES) };

/** The typed fields of a posted report form, to carry through the confirmation page. */
function carriedFields(body: unknown): [string, string][] {
  return Object.entries((body ?? {}) as Record<string, unknown>).filter(
    (e): e is [string, string] => typeof e[1] === "string" && !["_csrf", "action", "confirm", "kind"].includes(e[0]),
  );
}

export function reportRoutes(services: Services): Router {
  const router = Router();
  const { reports } = services;

  /**
   * The report page. Its text fields, as stored, present the report kept per revision of the year: rendered
   * once per stored report (issue 16); what a refused form typed, with its errors, is this response's own.
   */
  async function renderPage(req: SignedInRequest, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const page = await reports.page(req.user, target(req.params));
    const locals = { page, sectionFields: SECTION_FIELDS, sectionField, errors: {}, values: null, ...extra };
    const typed = locals.values !== null || Object.keys(locals.errors).length > 0;
    const fieldsHtml = page.canEdit
      ? await renderedOnce(res.app, typed ? null : (page.report ?? page.campaigns), "", "reports/_fields", locals)
      : "";
    res.status(status);
    await sendPage(res, "reports/report", {
      title: `${page.period.title} — ${page.agency.name}`,
      quota: QUOTA,
      formatFileSize,
      conflict: false,
      fieldsHtml,
      ...locals,
    });
  }

  /** The menu's "Báo cáo": the latest year's first period of the user's bloc. */
  router.get("/reports", requireUser(async (req, res) => {
    const latest = await services.years.latestFor(req.user);
    if (!latest || !hasRight(req.user, "bloc.overview")) return res.redirect(303, "/");
    res.redirect(303, `/blocs/${latest.blocCode}/years/${latest.year}/periods/1/reports`);
  }));

  router.get("/blocs/:bloc/years/:year/periods/:period/reports", requireUser(async (req, res) => {
    const p = ReportParams.pick({ bloc: true, year: true, period: true }).parse(req.params);
    const overview = await reports.periodOverview(req.user, p.bloc, p.year, p.period);
    res.render("reports/period", { title: `${overview.period.title} — tình hình gửi báo cáo`, overview });
  }));

  router.get(BASE, requireUser(async (req, res) => renderPage(req, res, 200)));

  router.post(BASE, requireUser(async (req, res) => {
    const t = target(req.params);
    await reports.assertCanPost(req.user, t, "save");
    const campaigns = await reports.campaignsOf((await reports.open(req.user, t)).ctx.year.id);
    const form = reportFormSchema(campaigns.map((c) => c.code)).safeParse(req.body);
    if (!form.success) {
      return renderPage(req, res, 422, { errors: z.flattenError(form.error).fieldErrors, values: req.body });
    }
    if (form.data.action === "submit" && !form.data.confirmed) {
      // Sending is confirmed on a page of its own (works without scripts); the typed text travels with it.
      const preview = await reports.submitPreview(req.user, t, form.data.content);
      if ("errors" in preview) return renderPage(req, res, 422, { errors: preview.errors, values: req.body });
      return res.render("reports/confirm-submit", { title: `Xác nhận gửi báo cáo — ${preview.agency.name}`, preview, fields: carriedFields(req.body) });
    }
    const file = form.data.action === "attach" ? uploadedFile(req, "file") : undefined;
    const result = await reports.saveAsAgency(req.user, t, { ...form.data, file }, req.ip);
    if (!result.ok) {
      return renderPage(req, res, "conflict" in result ? 409 : 422, {
        errors: "errors" in result ? result.errors : {},
        conflict: "conflict" in result,
        values: req.body,
      });
    }
    const flash = { submit: messages.submitted(result.lateDays), save: messages.saved, attach: messages.savedAndAttached }[form.data.action];
    setFlash(req, "success", flash);
    res.redirect(303, form.data.action === "attach" ? `${req.originalUrl}#attachments` : req.originalUrl);
  }));

  router.post(`${BASE}/review`, requireUser(async (req, res) => {
    await reports.assertCanPost(req.user, target(req.params), "review", req.ip);
    const form = ReviewForm.safeParse(req.body);
    if (!form.success) return renderPage(req, res, 422, { errors: z.flattenError(form.error).fieldErrors, reviewValues: req.body });
    const result = await reports.review(req.user, target(req.params), form.data, req.ip);
    if (result.errors) return renderPage(req, res, 422, { errors: result.errors, reviewValues: req.body });
    setFlash(req, "success", form.data.action === "return" ? messages.returned : messages.accepted);
    res.redirect(303, req.originalUrl.replace(/\/review$/, ""));
  }));

  // The upload made by the page's script (no reload, the typed text stays in the page).
  router.post(`${BASE}/attachments`, requireUser(async (req, res) => {
    await reports.assertCanPost(req.user, target(req.params), "save");
    const form = AttachmentForm.safeParse(req.body);
    if (!form.success) return renderPage(req, res, 422, { errors: z.flattenError(form.error).fieldErrors });
    const file = uploadedFile(req, "file");
    if (file && file.size > MAX_ATTACHMENT_BYTES) return renderPage(req, res, 413, { errors: { file: [messages.fileTooLarge] } });
    const result = await reports.addAttachment(req.user, target(req.params), file, form.data.kind, req.ip);
    if (result.error) return renderPage(req, res, 422, { errors: { file: [result.error] } });
    setFlash(req, "success", messages.attached);
    res.redirect(303, req.originalUrl.replace(/\/attachments$/, "#attachments"));
  }));

  router.get(`${BASE}/attachments/:id`, requireUser(async (req, res) => {
    const file = await reports.attachment(req.user, target(req.params), IdParam.parse(req.params.id));
    res.setHeader("Content-Type", file.mimeType);
    res.setHeader("Content-Disposition", `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    res.setHeader("Content-Length", String(file.sizeBytes));
    res.setHeader("Cache-Control", "private, no-store");
    res.send(file.content);
  }));

  router.post(`${BASE}/attachments/:id/delete`, requireUser(async (req, res) => {
    await reports.removeAttachment(req.user, target(req.params), IdParam.parse(req.params.id), req.ip);
    setFlash(req, "success", messages.detached);
    res.redirect(303, req.originalUrl.replace(/\/attachments\/\d+\/delete$/, ""));
  }));

  router.get(`${BASE}/versions/:number`, requireUser(async (req, res) => {
    const comparison = await reports.compare(req.user, target(req.params), IdParam.parse(req.params.number));
    res.render("reports/compare", { title: `So sánh lần gửi ${comparison.to.number}`, comparison });
  }));

  return router;
}

/** Saves a report form posted after its session expired (see rescue-expired-form.ts). */
export function reportRescueHandler(services: Services): RescueHandler {
  const pattern = /^\/blocs\/([a-z0-9-]+)\/years\/(\d{4})\/periods\/(\d)\/reports\/([a-z0-9._-]+)$/;
  return {
    match(path) {
      const m = pattern.exec(path);
      return m ? { bloc: m[1]!, year: m[2]!, period: m[3]!, agency: m[4]! } : null;
    },
    async save(userId, params, body) {
      const user = await services.users.findSessionUser(userId);
      if (!user) return null;
      const t = target(params);
      const campaigns = await services.reports.campaignsOf((await services.reports.open(user, t)).ctx.year.id);
      const form = reportFormSchema(campaigns.map((c) => c.code)).safeParse({ ...body, action: "save" });
      if (!form.success) return null;
      const result = await services.reports.saveAsAgency(user, t, form.data);
      return result.ok ? `/blocs/${params.bloc}/years/${params.year}/periods/${params.period}/reports/${params.agency}` : null;
    },
  };
}
