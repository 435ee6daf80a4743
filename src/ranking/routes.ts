import { Router, type Response } from "express";
import { z } from "zod";
import type { Services } from "../services.js";
import { NotFoundError } from "../errors.js";
import { requireUser } from "../web/middleware/require-user.js";
import { YearParams } from "./schemas.js";
import { setFlash } from "../web/middleware/locals.js";
import { publicationMessages } from "./publication-service.js";
import { TieForm, tieMessages } from "./ties-service.js";
import { explanationView } from "./explanation-view.js";
import type { RankingService } from "./ranking-service.js";
import type { User } from "../auth/users-repo.js";
import { can } from "../auth/access.js";
import { renderedOnce, sendPage } from "../web/render-once.js";
import { viewHelpers } from "../web/view-helpers.js";

type RankingPageView = Awaited<ReturnType<RankingService["page"]>>;

const ReopenForm = z.object({ reason: z.string().max(2000, "Lý do tối đa 2.000 ký tự.").optional().default("") });
const PublishForm = z.object({ confirm: z.string().optional() });
/** Pages under …/ranking/ that are not an agency's explanation (served by other routers). */
const RESERVED = new Set(["print", "proposal-letter", "publish", "ties"]);
const AgencyParam = z.object({ agency: z.string().regex(/^[a-z0-9._-]{1,40}$/) });

export function rankingRoutes({ ranking, years, publication, ties, objections }: Services): Router {
  const router = Router();
  const title = (year: number) => `Xếp hạng thi đua năm ${year}`;

  /**
   * The ranking page. Its tables and rules present only the view model kept per revision (issue 16): they
   * are rendered once per view model, and per the rows whose history this reader may open.
   */
  async function renderPage(res: Response, user: User, page: RankingPageView, locals: Record<string, unknown>): Promise<void> {
    const historyOf = page.ranked.filter((r) => can(user, "agency.read", { kind: "agencyRecord", blocId: page.ctx.bloc.id, agencyId: r.agencyId })).map((r) => r.agencyId);
    const rankedHtml = await renderedOnce(res.app, page.ranked, historyOf.join(","), "ranking/_ranked", { page, historyOf });
    const restHtml = await renderedOnce(res.app, page.ranked, "", "ranking/_rest", { page, h: viewHelpers });
    await sendPage(res, "ranking/page", {
      title: title(page.year), page, rankedHtml, restHtml,
      standing: await objections.standingOf(page.ctx), mayPublish: publication.mayPublish(user), ...locals,
    });
  }

  router.get("/ranking", requireUser(async (req, res) => {
    const latest = await years.latestFor(req.user);
    if (!latest) throw new NotFoundError();
    res.redirect(303, `/blocs/${encodeURIComponent(latest.blocCode)}/years/${latest.year}/ranking`);
  }));

  router.get("/blocs/:bloc/years/:year/ranking", requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const waiting = await ranking.waitingForPublication(req.user, bloc, year);
    if (waiting) return res.render("ranking/not-published", { title: `Xếp hạng thi đua năm ${waiting.year.year}`, ctx: waiting });
    const page = await ranking.page(req.user, bloc, year);
    await renderPage(res, req.user, page, { errors: {} });
  }));

  // The checklist and the explicit confirmation, as a page of its own (works without scripts).
  router.get("/blocs/:bloc/years/:year/ranking/publish", requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const check = await publication.checklist(req.user, bloc, year);
    res.render("ranking/publish", { title: `Công bố kết quả xếp hạng năm ${year}`, check, errors: {} });
  }));

  router.post("/blocs/:bloc/years/:year/ranking/publish", requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    await publication.assertMayPublish(req.user, bloc, year); // role and scope before the form is read
    const form = PublishForm.parse(req.body ?? {});
    const result = await publication.publish(req.user, bloc, year, form.confirm === "yes", req.ip);
    if (result.errors) {
      const check = await publication.checklist(req.user, bloc, year);
      return res.status(422).render("ranking/publish", { title: `Công bố kết quả xếp hạng năm ${year}`, check, errors: result.errors });
    }
    setFlash(req, "success", publicationMessages.published);
    res.redirect(303, `/blocs/${encodeURIComponent(bloc)}/years/${year}/ranking`);
  }));

  router.post("/blocs/:bloc/years/:year/ranking/reopen", requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    await publication.assertMayPublish(req.user, bloc, year); // role and scope before the form is read
    const form = ReopenForm.safeParse(req.body);
    const result = form.success ? await publication.reopen(req.user, bloc, year, form.data.reason, req.ip) : { errors: z.flattenError(form.error).fieldErrors };
    if (result.errors) {
      return renderPage(res.status(422), req.user, await ranking.page(req.user, bloc, year), { errors: result.errors, reason: req.body?.reason ?? "" });
    }
    setFlash(req, "success", publicationMessages.reopened);
    res.redirect(303, `/blocs/${encodeURIComponent(bloc)}/years/${year}/ranking`);
  }));

  // The secretariat records the meeting's choice for a tie at an award's last place.
  router.post("/blocs/:bloc/years/:year/ranking/ties", requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    await ties.authorize(req.user, bloc, year); // 404 / 403 before the form is read
    const form = TieForm.parse(req.body ?? {}); // a tampered form: 400
    const result = await ties.decide(req.user, bloc, year, form, req.ip);
    if (result.errors) {
      return renderPage(res.status(422), req.user, await ranking.page(req.user, bloc, year), { errors: result.errors, typed: form });
    }
    setFlash(req, "success", tieMessages.saved);
    res.redirect(303, `/blocs/${encodeURIComponent(bloc)}/years/${year}/ranking`);
  }));

  router.get("/blocs/:bloc/years/:year/ranking.json", requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    res.json(await ranking.rows(req.user, bloc, year));
  }));

  // "Why this rank": one agency's place explained.
  router.get("/blocs/:bloc/years/:year/ranking/:agency", requireUser(async (req, res, next) => {
    if (RESERVED.has(String(req.params.agency).replace(/\.[a-z]+$/, ""))) return next();
    const { bloc, year } = YearParams.parse(req.params);
    const parsed = AgencyParam.safeParse(req.params);
    if (!parsed.success) throw new NotFoundError();
    const explained = await ranking.explain(req.user, bloc, year, parsed.data.agency);
    const view = explanationView(explained);
    res.render("ranking/explain", { title: `Vì sao ${view.name} xếp hạng như vậy — năm ${year}`, view });
  }));

  return router;
}
