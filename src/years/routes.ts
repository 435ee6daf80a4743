import { Router, type NextFunction, type Request, type Response } from "express";
import type { Services } from "../services.js";
import { requireUser, type SignedInRequest } from "../web/middleware/require-user.js";
import { setFlash } from "../web/middleware/locals.js";
import { formErrors, YearParam } from "../setup/schemas.js";
import { RuleViolationError } from "../errors.js";
import { formatDate, localDate } from "../lib/dates.js";
import { BlocParam, ConferenceForm, NewYearForm, ReopenYearForm } from "./schemas.js";
import { lifecycleMessages } from "./year-lifecycle-service.js";
import { namedYear } from "./years-service.js";

const yearUrl = (bloc: string, year: number) => `/blocs/${encodeURIComponent(bloc)}/years/${year}`;

/**
 * Posts that stay allowed on a closed year: the admin's reopening, making the next year from it, and
 * what comes after the final ranking (issue 18): the province's decisions (months later) and their
 * revocations, and the annual conference's choice of next year's head.
 */
const ALLOWED_ON_CLOSED = [/^\/reopen$/, /^\/next-year$/, /^\/decisions$/, /^\/decisions\/\d+\/revoke$/, /^\/conference$/];

/**
 * Mounted on /blocs/:bloc/years/:year before the feature routes: a closed year refuses every change
 * (one guard for all features), and its GET pages get the year switcher and the "year is over" banner.
 */
export function yearPagesMiddleware(services: Services) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const named = namedYear(String(req.params.bloc), String(req.params.year));
    if (!named) return next();
    const { blocCode: bloc, year } = named;
    const writing = req.method !== "GET" && req.method !== "HEAD";
    if (!req.user && !writing) return next();
    // One read (shared with the page's own, issue 16): is the year closed, and the bloc's years for the switcher.
    const { closed, spans } = await services.years.nav(req.user ?? null, bloc, year);
    if (closed === undefined) return next();
    // No session (e.g. a form posted after it expired, which would otherwise be kept as a draft): a closed year keeps nothing.
    if (!req.user) return closed ? next(new RuleViolationError(lifecycleMessages.readOnly)) : next();
    // Readers of other blocs go on to the feature's own answer (404).
    if (!spans.length) return next();
    if (writing) {
      if (closed && !ALLOWED_ON_CLOSED.some((p) => p.test(req.path))) return next(new RuleViolationError(lifecycleMessages.readOnly));
      return next();
    }
    const rest = req.originalUrl.slice(yearUrl(bloc, year).length);
    res.locals.yearNav = {
      year,
      closed,
      // The pages whose forms a closed year still takes say so instead of "read only".
      stillWritable: closed && ALLOWED_ON_CLOSED.some((p) => p.test(req.path)),
      years: spans.map((s) => ({ year: s.year, closed: s.closed, href: `${yearUrl(bloc, s.year)}${rest}`, current: s.year === year })),
    };
    next();
  };
}

export function yearRoutes(services: Services): Router {
  const router = Router();
  const { yearLifecycle } = services;

  const renderNew = async (req: SignedInRequest, res: Response, status: number, form: Record<string, unknown>, errors: Record<string, string[]>) => {
    const bloc = BlocParam.parse(req.params.bloc);
    const year = Number(form.year) || Number(localDate(services.now()).slice(0, 4));
    const page = await yearLifecycle.newYearForm(req.user, bloc, year);
    res.status(status).render("years/new", { title: "Tạo năm thi đua", ...page, form, errors });
  };

  router.get("/blocs/:bloc/years/new", requireUser(async (req, res) => {
    const thisYear = localDate(services.now()).slice(0, 4);
    await renderNew(req, res, 200, { year: thisYear, source: "template", headAgencyId: null, deputyAgencyId: null }, {});
  }));

  router.post("/blocs/:bloc/years/new", requireUser(async (req, res) => {
    const bloc = BlocParam.parse(req.params.bloc);
    const form = NewYearForm.safeParse(req.body);
    const result = form.success ? await yearLifecycle.create(req.user, bloc, form.data, req.ip) : { errors: formErrors(form.error) };
    if (result.errors || result.year === undefined) {
      const b = (req.body ?? {}) as Record<string, string>;
      return renderNew(req, res, 422, { ...b, headAgencyId: Number(b.headAgencyId) || null, deputyAgencyId: Number(b.deputyAgencyId) || null }, result.errors ?? {});
    }
    setFlash(req, "success", `Đã tạo năm thi đua ${result.year}. Kiểm tra các đợt, phong trào và bộ tiêu chí của năm.`);
    res.redirect(303, `${yearUrl(bloc, result.year)}/setup`);
  }));

  // The annual conference: next year's head and deputy (issue 18).
  const renderConference = async (req: SignedInRequest, res: Response, status: number, form: Record<string, unknown> | null, errors: Record<string, string[]>) => {
    const [bloc, year] = [BlocParam.parse(req.params.bloc), YearParam.parse(req.params.year)];
    const page = await yearLifecycle.conferencePage(req.user, bloc, year);
    const values = form ?? { heldOn: page.ctx.year.conferenceHeldOn ? formatDate(page.ctx.year.conferenceHeldOn) : "", nextHeadAgencyId: page.ctx.year.nextHeadAgencyId, nextDeputyAgencyId: page.ctx.year.nextDeputyAgencyId };
    res.status(status).render("years/conference", { title: `Trưởng khối, Phó trưởng khối năm ${year + 1}`, page, form: values, errors });
  };

  router.get("/blocs/:bloc/years/:year/conference", requireUser((req, res) => renderConference(req, res, 200, null, {})));

  router.post("/blocs/:bloc/years/:year/conference", requireUser(async (req, res) => {
    const [bloc, year] = [BlocParam.parse(req.params.bloc), YearParam.parse(req.params.year)];
    await yearLifecycle.assertMayRecordConference(req.user, bloc, year); // role and scope before the form is read
    const form = ConferenceForm.safeParse(req.body ?? {});
    const result = form.success ? await yearLifecycle.recordConference(req.user, bloc, year, form.data, req.ip) : { errors: formErrors(form.error) };
    if (result.errors) return renderConference(req, res, 422, req.body ?? {}, result.errors);
    setFlash(req, "success", lifecycleMessages.conferenceSaved);
    res.redirect(303, `${yearUrl(bloc, year)}/conference`);
  }));

  router.post("/blocs/:bloc/years/:year/close", requireUser(async (req, res) => {
    const [bloc, year] = [BlocParam.parse(req.params.bloc), YearParam.parse(req.params.year)];
    await yearLifecycle.close(req.user, bloc, year, req.ip);
    setFlash(req, "success", `Đã kết thúc năm thi đua ${year}: mọi dữ liệu của năm chỉ còn để xem.`);
    res.redirect(303, `${yearUrl(bloc, year)}/dashboard`);
  }));

  router.post("/blocs/:bloc/years/:year/reopen", requireUser(async (req, res) => {
    const [bloc, year] = [BlocParam.parse(req.params.bloc), YearParam.parse(req.params.year)];
    await yearLifecycle.authorizeReopen(req.user, bloc, year); // 404 / 403 before the form is read
    const form = ReopenYearForm.safeParse(req.body);
    if (!form.success) {
      const page = await services.setup.yearPage(req.user, bloc, year);
      const reopenReason = typeof req.body?.reason === "string" ? req.body.reason : "";
      return res.status(422).render("setup/year", { title: `Thiết lập năm thi đua ${year}`, ...page, errors: formErrors(form.error), reopenReason, base: page.ctx.basePath });
    }
    await yearLifecycle.reopen(req.user, bloc, year, form.data.reason, req.ip);
    setFlash(req, "success", `Đã mở lại năm thi đua ${year}; lý do đã được ghi vào nhật ký.`);
    res.redirect(303, `${yearUrl(bloc, year)}/setup`);
  }));

  return router;
}
