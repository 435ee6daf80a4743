import { Router, type Request } from "express";
import { z } from "zod";
import type { Services } from "../services.js";
import { requireUser } from "../web/middleware/require-user.js";
import { renderedOnce, sendPage } from "../web/render-once.js";
import { renderDocx } from "../documents/docx.js";
import { provinceProposalsXlsx } from "../documents/spreadsheets.js";
import { AgencyHistoryParams, AwardFilter, BlocHistoryParams, ProvinceParams } from "./schemas.js";

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The award filter, or the field errors of a bad one (the page answers 422 and shows every award). */
function awardOf(req: Request) {
  const parsed = AwardFilter.safeParse(req.query);
  return parsed.success ? { award: parsed.data.award ?? null, errors: {} } : { award: null, errors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>, typed: String(req.query.award ?? "") };
}

/** The province's view (observer, admin) and the year-over-year pages of a bloc and of an agency. */
export function provinceRoutes({ province }: Services): Router {
  const router = Router();

  router.get("/province", requireUser(async (req, res) => {
    res.redirect(303, `/province/${await province.defaultYear(req.user)}`);
  }));

  router.get("/province/:year", requireUser(async (req, res) => {
    const { year } = ProvinceParams.parse(req.params);
    const filter = awardOf(req);
    const view = await province.page(req.user, year, filter.award);
    const status = Object.keys(filter.errors).length ? 422 : 200;
    // The two tables present the kept view alone: rendered once per view (issue 16).
    const [blocsTable, proposalsTable] = [await renderedOnce(req.app, view, "", "province/_blocs", { view }), await renderedOnce(req.app, view, "", "province/_proposals", { view })];
    res.status(status);
    await sendPage(res, "province/page", { title: `Toàn tỉnh — năm thi đua ${year}`, view, blocsTable, proposalsTable, errors: filter.errors, typedAward: filter.typed ?? view.award ?? "" });
  }));

  router.get("/province/:year/proposals.xlsx", requireUser(async (req, res) => {
    const { year } = ProvinceParams.parse(req.params);
    const file = await province.proposalsFile(req.user, year, AwardFilter.parse(req.query).award ?? null);
    res.attachment(`${file.filename}.xlsx`).type(XLSX_TYPE).send(await provinceProposalsXlsx(file));
  }));

  router.get("/province/:year/proposals.docx", requireUser(async (req, res) => {
    const { year } = ProvinceParams.parse(req.params);
    const file = await province.proposalsDocument(req.user, year, AwardFilter.parse(req.query).award ?? null);
    res.attachment(`${file.filename}.docx`).type(DOCX_TYPE).send(await renderDocx(file.doc));
  }));

  router.get("/blocs/:bloc/history", requireUser(async (req, res) => {
    const { bloc } = BlocHistoryParams.parse(req.params);
    const view = await province.blocHistory(req.user, bloc);
    res.render("province/bloc-history", { title: `${view.bloc.name} qua các năm`, view });
  }));

  router.get("/agencies/:agency/history", requireUser(async (req, res) => {
    const { agency } = AgencyHistoryParams.parse(req.params);
    const view = await province.agencyHistory(req.user, agency);
    res.render("province/agency-history", { title: `${view.agency.name} qua các năm`, view });
  }));

  return router;
}
