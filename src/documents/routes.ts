import path from "node:path";
import { Router, type Response } from "express";
import type { Services } from "../services.js";
import { NotFoundError } from "../errors.js";
import { requireUser } from "../web/middleware/require-user.js";
import { YearParams } from "../ranking/schemas.js";
import type { OfficialDocument } from "./document-model.js";
import { FONT_DIR, SERVED_FONT } from "./fonts.js";
import { renderPdf } from "./pdf.js";
import { rankingCsv, rankingXlsx } from "./spreadsheets.js";

type Built = { doc: OfficialDocument; ctx: { basePath: string }; filename: string };

function printPage(res: Response, built: Built, pdfHref: string, backHref: string) {
  res.render("documents/document", { title: built.doc.title, doc: built.doc, pdfHref, backHref });
}

async function sendPdf(res: Response, built: Built) {
  const pdf = await renderPdf(built.doc);
  res.attachment(`${built.filename}.pdf`).type("application/pdf").send(pdf);
}

/** The printable documents and downloads of a year: they live beside the page they export. */
export function documentRoutes({ documents }: Services): Router {
  const router = Router();
  const year = "/blocs/:bloc/years/:year";

  // Tinos from node_modules (@fontsource/tinos): whitelisted names only.
  router.get("/fonts/tinos/:file", (req, res, next) => {
    if (!SERVED_FONT.test(req.params.file)) return next(new NotFoundError());
    res.sendFile(path.join(FONT_DIR, req.params.file), { maxAge: "30d", immutable: true });
  });

  router.get(`${year}/ranking/print`, requireUser, async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    const built = await documents.rankingSummary(req.user!, bloc, y);
    printPage(res, built, `${built.ctx.basePath}/ranking.pdf`, `${built.ctx.basePath}/ranking`);
  });
  router.get(`${year}/ranking.pdf`, requireUser, async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    await sendPdf(res, { ...(await documents.rankingSummary(req.user!, bloc, y)), filename: `xep-hang-${bloc}-${y}` });
  });
  router.get(`${year}/ranking.xlsx`, requireUser, async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    const file = await documents.rankingFile(req.user!, bloc, y);
    res.attachment(`${file.filename}.xlsx`).type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").send(await rankingXlsx(file));
  });
  router.get(`${year}/ranking.csv`, requireUser, async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    const file = await documents.rankingFile(req.user!, bloc, y);
    res.attachment(`${file.filename}.csv`).type("text/csv; charset=utf-8").send(rankingCsv(file));
  });

  router.get(`${year}/ballots/minutes`, requireUser, async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    const built = await documents.minutes(req.user!, bloc, y);
    printPage(res, built, `${built.ctx.basePath}/ballots/minutes.pdf`, `${built.ctx.basePath}/ranking`);
  });
  router.get(`${year}/ballots/minutes.pdf`, requireUser, async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    await sendPdf(res, await documents.minutes(req.user!, bloc, y));
  });

  router.get(`${year}/ranking/proposal-letter`, requireUser, async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    const built = await documents.proposalLetter(req.user!, bloc, y);
    printPage(res, built, `${built.ctx.basePath}/ranking/proposal-letter.pdf`, `${built.ctx.basePath}/ranking`);
  });
  router.get(`${year}/ranking/proposal-letter.pdf`, requireUser, async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    await sendPdf(res, await documents.proposalLetter(req.user!, bloc, y));
  });

  return router;
}
