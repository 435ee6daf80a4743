import { Router, type Response } from "express";
import type { Services } from "../services.js";
import { requireUser, type SignedInRequest } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { CAMPAIGN_KIND_LABELS } from "./labels.js";
import { RuleViolationError } from "../errors.js";
import {
  CampaignForm,
  CriterionForm,
  ExtensionForm,
  formErrors,
  IdParam,
  NumberParam,
  PeriodForm,
  RULE_FIELD_BY_PATH,
  RulesForm,
  YearForm,
  YearParam,
} from "./schemas.js";

type Errors = Record<string, string[]>;
const typed = (req: SignedInRequest) => (req.body ?? {}) as Record<string, string>;
const Y = "/blocs/:bloc/years/:year";

export function setupRoutes(services: Services): Router {
  const router = Router();
  const { setup, years } = services;
  const p = (req: SignedInRequest) => [req.user, String(req.params.bloc), YearParam.parse(req.params.year)] as const;
  const write = (req: SignedInRequest) => setup.open(...p(req), "write");

  /** Menu link: the latest year of the user's first bloc. */
  router.get("/setup", requireUser(async (req, res) => {
    const latest = await years.currentFor(req.user);
    if (!latest) return res.redirect(303, "/");
    res.redirect(303, `/blocs/${encodeURIComponent(latest.blocCode)}/years/${latest.year}/setup`);
  }));

  // The year itself
  const renderYear = async (req: SignedInRequest, res: Response, status: number, form: Record<string, unknown> | null, errors: Errors) => {
    const page = await setup.yearPage(...p(req));
    res.status(status).render("setup/year", { title: `Thiết lập năm thi đua ${page.ctx.year.year}`, ...page, form: form ?? page.form, errors, base: page.ctx.basePath });
  };
  router.get(`${Y}/setup`, requireUser((req, res) => renderYear(req, res, 200, null, {})));
  router.post(`${Y}/setup`, requireUser(async (req, res) => {
    const ctx = await write(req);
    const form = YearForm.safeParse(req.body);
    const result = form.success ? await setup.updateYear(...p(req), form.data) : { errors: formErrors(form.error) };
    if (result.errors) {
      const t = typed(req);
      return renderYear(req, res, 422, { ...t, headAgencyId: Number(t.headAgencyId) || null, deputyAgencyId: Number(t.deputyAgencyId) || null }, result.errors);
    }
    setFlash(req, "success", "Đã lưu thông tin năm thi đua.");
    res.redirect(303, `${ctx.basePath}/setup`);
  }));
  /** "Tạo năm tiếp theo" is one case of creating a year: a copy of this one into year + 1. */
  router.post(`${Y}/next-year`, requireUser(async (req, res) => {
    const ctx = await write(req);
    const next = ctx.year.year + 1;
    const result = await services.yearLifecycle.create(req.user, ctx.bloc.code, { year: next, source: { kind: "copy", blocCode: ctx.bloc.code, year: ctx.year.year }, headAgencyId: null, deputyAgencyId: null }, req.ip);
    if (result.errors) throw new RuleViolationError(Object.values(result.errors).flat()[0] ?? "");
    setFlash(req, "success", `Đã tạo năm thi đua ${next} từ năm ${ctx.year.year}.`);
    res.redirect(303, `/blocs/${encodeURIComponent(ctx.bloc.code)}/years/${next}/setup`);
  }));

  // Movements
  router.get(`${Y}/campaigns`, requireUser(async (req, res) => {
    const page = await setup.campaignsPage(...p(req));
    res.render("setup/campaigns", { title: `Phong trào thi đua năm ${page.ctx.year.year}`, ...page, base: page.ctx.basePath });
  }));
  const renderCampaign = async (req: SignedInRequest, res: Response, status: number, id: number | null, form: Record<string, unknown> | null, errors: Errors) => {
    const page = await setup.campaignForm(...p(req), id);
    res.status(status).render("setup/campaign-form", {
      title: id === null ? "Thêm phong trào thi đua" : "Sửa phong trào thi đua",
      ctx: page.ctx,
      base: page.ctx.basePath,
      id,
      campaign: form ?? page.campaign,
      kindLabels: CAMPAIGN_KIND_LABELS,
      canWrite: page.canWrite,
      errors,
    });
  };
  router.get(`${Y}/campaigns/new`, requireUser(async (req, res) => {
    await write(req);
    await renderCampaign(req, res, 200, null, null, {});
  }));
  router.get(`${Y}/campaigns/:id`, requireUser((req, res) => renderCampaign(req, res, 200, IdParam.parse(req.params.id), null, {})));
  const saveCampaign = (idOf: (req: SignedInRequest) => number | null) => async (req: SignedInRequest, res: Response) => {
    const ctx = await write(req);
    const id = idOf(req);
    const form = CampaignForm.safeParse(req.body);
    const result = form.success ? await setup.saveCampaign(...p(req), id, form.data) : { errors: formErrors(form.error) };
    if (result.errors) return renderCampaign(req, res, 422, id, typed(req), result.errors);
    setFlash(req, "success", "Đã lưu phong trào thi đua.");
    res.redirect(303, `${ctx.basePath}/campaigns`);
  };
  router.post(`${Y}/campaigns`, requireUser(saveCampaign(() => null)));
  router.post(`${Y}/campaigns/:id`, requireUser(saveCampaign((req) => IdParam.parse(req.params.id))));
  router.post(`${Y}/campaigns/:id/delete`, requireUser(async (req, res) => {
    const ctx = await write(req);
    await setup.deleteCampaign(...p(req), IdParam.parse(req.params.id));
    setFlash(req, "success", "Đã xóa phong trào thi đua.");
    res.redirect(303, `${ctx.basePath}/campaigns`);
  }));

  // Periods
  const renderPeriod = async (req: SignedInRequest, res: Response, status: number, form: Record<string, unknown> | null, ext: Record<string, unknown> | null, errors: Errors) => {
    const page = await setup.periodPage(...p(req), NumberParam.parse(req.params.number));
    res.status(status).render("setup/period", {
      title: `${page.period.title}`,
      ...page,
      base: page.ctx.basePath,
      form: form ?? page.form,
      ext: ext ?? {},
      errors,
    });
  };
  const periodUrl = (req: SignedInRequest, basePath: string) => `${basePath}/periods/${NumberParam.parse(req.params.number)}`;
  const renderNewPeriod = async (req: SignedInRequest, res: Response, status: number, form: Record<string, unknown> | null, errors: Errors) => {
    const page = await setup.newPeriodPage(...p(req));
    res.status(status).render("setup/period-new", { title: "Thêm đợt thi đua", ...page, base: page.ctx.basePath, form: form ?? page.form, errors });
  };
  router.get(`${Y}/periods/new`, requireUser((req, res) => renderNewPeriod(req, res, 200, null, {})));
  router.post(`${Y}/periods`, requireUser(async (req, res) => {
    const ctx = await write(req);
    const form = PeriodForm.safeParse(req.body);
    const result = form.success ? await setup.addPeriod(...p(req), form.data) : { errors: formErrors(form.error) };
    if (result.errors || result.number === undefined) return renderNewPeriod(req, res, 422, typed(req), result.errors ?? {});
    setFlash(req, "success", "Đã thêm đợt thi đua.");
    res.redirect(303, `${ctx.basePath}/periods/${result.number}`);
  }));
  router.post(`${Y}/periods/:number/delete`, requireUser(async (req, res) => {
    const ctx = await write(req);
    await setup.removePeriod(...p(req), NumberParam.parse(req.params.number));
    setFlash(req, "success", "Đã xóa đợt thi đua.");
    res.redirect(303, `${ctx.basePath}/setup`);
  }));
  router.get(`${Y}/periods/:number`, requireUser((req, res) => renderPeriod(req, res, 200, null, null, {})));
  router.post(`${Y}/periods/:number`, requireUser(async (req, res) => {
    const ctx = await write(req);
    const form = PeriodForm.safeParse(req.body);
    const result = form.success ? await setup.updatePeriod(...p(req), NumberParam.parse(req.params.number), form.data) : { errors: formErrors(form.error) };
    if (result.errors) return renderPeriod(req, res, 422, typed(req), null, result.errors);
    setFlash(req, "success", "Đã lưu thông tin đợt thi đua.");
    res.redirect(303, periodUrl(req, ctx.basePath));
  }));
  for (const [action, locked] of [["lock", true], ["unlock", false]] as const) {
    router.post(`${Y}/periods/:number/${action}`, requireUser(async (req, res) => {
      const ctx = await write(req);
      await setup.setPeriodLocked(...p(req), NumberParam.parse(req.params.number), locked);
      setFlash(req, "success", locked ? "Đã khóa đợt thi đua: cơ quan, đơn vị không gửi hoặc sửa báo cáo được nữa." : "Đã mở khóa đợt thi đua.");
      res.redirect(303, periodUrl(req, ctx.basePath));
    }));
  }
  router.post(`${Y}/periods/:number/extensions`, requireUser(async (req, res) => {
    const ctx = await write(req);
    const form = ExtensionForm.safeParse(req.body);
    const result = form.success ? await setup.addExtension(...p(req), NumberParam.parse(req.params.number), form.data) : { errors: formErrors(form.error) };
    if (result.errors) {
      const t = typed(req);
      return renderPeriod(req, res, 422, null, { ...t, agencyId: Number(t.agencyId) || null }, Object.fromEntries(Object.entries(result.errors).map(([k, v]) => [`ext_${k}`, v])));
    }
    setFlash(req, "success", "Đã gia hạn cho cơ quan, đơn vị.");
    res.redirect(303, periodUrl(req, ctx.basePath));
  }));
  router.post(`${Y}/periods/:number/extensions/:id/delete`, requireUser(async (req, res) => {
    const ctx = await write(req);
    await setup.removeExtension(...p(req), NumberParam.parse(req.params.number), IdParam.parse(req.params.id));
    setFlash(req, "success", "Đã bỏ gia hạn.");
    res.redirect(303, periodUrl(req, ctx.basePath));
  }));

  // Criteria tree
  const renderCriteria = async (req: SignedInRequest, res: Response, status: number, id: number | null, form: Record<string, unknown> | null, errors: Errors) => {
    const page = id === null ? { ...(await setup.criteriaPage(...p(req))), criterion: null } : await setup.criterionForm(...p(req), id);
    const blank = { kind: "standard", sortOrder: "1", parentId: null };
    res.status(status).render("setup/criteria", {
      title: id === null ? `Bộ tiêu chí chấm điểm năm ${page.ctx.year.year}` : `Sửa tiêu chí ${page.criterion?.code ?? ""}`,
      ...page,
      base: page.ctx.basePath,
      id,
      form: form ?? page.criterion ?? blank,
      errors,
    });
  };
  router.get(`${Y}/criteria`, requireUser((req, res) => renderCriteria(req, res, 200, null, null, {})));
  router.get(`${Y}/criteria/:id`, requireUser((req, res) => renderCriteria(req, res, 200, IdParam.parse(req.params.id), null, {})));
  const saveCriterion = (idOf: (req: SignedInRequest) => number | null) => async (req: SignedInRequest, res: Response) => {
    const ctx = await write(req);
    const id = idOf(req);
    const form = CriterionForm.safeParse(req.body);
    const result = form.success ? await setup.saveCriterion(...p(req), id, form.data) : { errors: formErrors(form.error) };
    if (result.errors) {
      const t = typed(req);
      return renderCriteria(req, res, 422, id, { ...t, parentId: Number(t.parentId) || null }, result.errors);
    }
    setFlash(req, "success", "Đã lưu tiêu chí.");
    res.redirect(303, `${ctx.basePath}/criteria`);
  };
  router.post(`${Y}/criteria`, requireUser(saveCriterion(() => null)));
  router.post(`${Y}/criteria/:id`, requireUser(saveCriterion((req) => IdParam.parse(req.params.id))));
  router.post(`${Y}/criteria/:id/delete`, requireUser(async (req, res) => {
    const ctx = await write(req);
    await setup.deleteCriterion(...p(req), IdParam.parse(req.params.id));
    setFlash(req, "success", "Đã xóa tiêu chí.");
    res.redirect(303, `${ctx.basePath}/criteria`);
  }));

  // Rule set
  const renderRules = async (req: SignedInRequest, res: Response, status: number, form: Record<string, unknown> | null, errors: Errors) => {
    const page = await setup.rulesPage(...p(req));
    res.status(status).render("setup/rules", { title: `Quy tắc chấm điểm năm ${page.ctx.year.year}`, ...page, base: page.ctx.basePath, form: form ?? page.form, errors });
  };
  router.get(`${Y}/rules`, requireUser((req, res) => renderRules(req, res, 200, null, {})));
  router.post(`${Y}/rules`, requireUser(async (req, res) => {
    const ctx = await write(req);
    const form = RulesForm.safeParse(req.body);
    if (!form.success) {
      const t = typed(req);
      const checks = { flagInclusive: Boolean(t.flagInclusive), meritInclusive: Boolean(t.meritInclusive), allowSelfVote: Boolean(t.allowSelfVote), requiredReviewed: Boolean(t.requiredReviewed) };
      return renderRules(req, res, 422, { ...t, ...checks }, formErrors(form.error, RULE_FIELD_BY_PATH));
    }
    await setup.updateRules(...p(req), form.data);
    setFlash(req, "success", "Đã lưu quy tắc chấm điểm của năm.");
    res.redirect(303, `${ctx.basePath}/rules`);
  }));

  return router;
}
