import { Router, type Response } from "express";
import type { Services } from "../services.js";
import { requireUser } from "../web/middleware/require-user.js";
import { uploadedFile } from "../web/middleware/multipart.js";
import { setFlash } from "../web/middleware/locals.js";
import { YearParams } from "../ranking/schemas.js";
import { parseOwnSheet, parseReviewSheet, SheetParams } from "./schemas.js";
import { messages } from "./messages.js";
import { hasRight } from "../auth/access.js";
import { NotFoundError } from "../errors.js";
import { renderedOnce, sendPage } from "../web/render-once.js";
import type { SheetsService } from "./sheets-service.js";

/** A filled score sheet is small: 2 MB is far above any real one. */
/** A filled score-sheet workbook is small; anything larger is not one downloaded from the portal. */
const MAX_WORKBOOK_BYTES = 2 * 1024 * 1024;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const titleOf = (view: { agency: { name: string }; ctx: { year: { year: number } } }) =>
  `Bảng chấm điểm thi đua năm ${view.ctx.year.year} — ${view.agency.name}`;

type SheetView = Awaited<ReturnType<SheetsService["view"]>>;

/**
 * The sheet page. Its criteria table presents the rows kept per revision and day (and whatever a
 * refused form typed): rendered once per those rows, per mode and columns shown (issue 16).
 */
async function renderSheet(res: Response, view: SheetView, locals: Record<string, unknown> = {}): Promise<void> {
  // Field errors are this response's own: such a table is never kept.
  const source = Object.keys(view.errors).length ? null : view.groups;
  const tableHtml = await renderedOnce(res.app, source, `${view.mode}:${view.showBloc}:${view.showEvidence}:${view.agency.name}`, "scoresheets/_table", { view });
  await sendPage(res, "scoresheets/sheet", { title: titleOf(view), view, tableHtml, ...locals });
}

export function scoreSheetRoutes({ sheets }: Services): Router {
  const router = Router();
  const sheetPath = "/blocs/:bloc/years/:year/sheets/:agency";

  router.get("/sheets", requireUser(async (req, res) => {
    res.redirect(303, await sheets.latestPath(req.user));
  }));

  router.get("/blocs/:bloc/years/:year/sheets", requireUser(async (req, res) => {
    const { bloc, year } = YearParams.parse(req.params);
    const result = await sheets.list(req.user, bloc, year);
    if ("redirect" in result && result.redirect) return res.redirect(303, result.redirect);
    res.render("scoresheets/list", { title: `Bảng chấm điểm thi đua năm ${year}`, view: result.view });
  }));

  // Before `${sheetPath}`: "congan.xlsx" would otherwise read as an agency code.
  router.get(`${sheetPath}.xlsx`, requireUser(async (req, res) => {
    const file = await sheets.workbook(req.user, SheetParams.parse(req.params));
    res.attachment(`${file.filename}.xlsx`).type(XLSX_TYPE).send(file.content);
  }));

  // The filled workbook back into the draft (multipart field `file`, parsed with the token in the body by multipart.ts).
  router.post(`${sheetPath}/import`, requireUser(async (req, res) => {
    const params = SheetParams.parse(req.params);
    const user = req.user;
    if (!hasRight(user, "agency.submit")) throw new NotFoundError(); // the draft is the agency's own: reviewers never import
    await sheets.assertCanPost(user, params);
    const file = uploadedFile(req, "file");
    const tooLarge = Boolean(file && file.size > MAX_WORKBOOK_BYTES);
    const result = tooLarge ? { errors: [messages.importTooLarge] } : await sheets.importOwn(user, params, file?.buffer, req.ip);
    if ("errors" in result) {
      const view = await sheets.view(user, params);
      return renderSheet(res.status(tooLarge ? 413 : 422), view, { importErrors: result.errors });
    }
    setFlash(req, "success", result.message);
    res.redirect(303, req.originalUrl.replace(/\/import$/, ""));
  }));

  router.get(sheetPath, requireUser(async (req, res) => {
    const view = await sheets.view(req.user, SheetParams.parse(req.params));
    await renderSheet(res, view);
  }));

  router.post(sheetPath, requireUser(async (req, res) => {
    const params = SheetParams.parse(req.params);
    const user = req.user;
    await sheets.assertCanPost(user, params, req.ip); // 404 / 403 (conflict of interest: audited) before the form is read
    const result =
      hasRight(user, "agency.submit")
        ? await sheets.saveOwn(user, params, parseOwnSheet(req.body), req.ip)
        : await sheets.review(user, params, parseReviewSheet(req.body), req.ip);
    if ("view" in result && result.view) return renderSheet(res.status("conflict" in result ? 409 : 422), result.view);
    setFlash(req, "success", result.message!);
    res.redirect(303, req.originalUrl);
  }));

  return router;
}
