import path from "node:path";
import { Router, type Response } from "express";
import { z } from "zod";
import type { Services } from "../services.js";
import { NotFoundError } from "../errors.js";
import { requireUser } from "../web/middleware/require-user.js";
import { renderOnce } from "../web/render-once.js";
import { setFlash } from "../web/middleware/locals.js";
import { YearParams } from "../ranking/schemas.js";
import type { OfficialDocument } from "./document-model.js";
import { FONT_DIR, SERVED_FONT } from "./fonts.js";
import { renderPdf } from "./pdf.js";
import { renderDocx } from "./docx.js";
import { rankingCsv, rankingXlsx } from "./spreadsheets.js";
import { registerMessages } from "./documents-service.js";
import { RegisterForm, RegisterKindParam, ReportParams } from "./schemas.js";

type Built = { doc: OfficialDocument; ctx: { basePath: string }; filename: string };

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** A document's print page shows the document alone: rendered once per document built (issue 16). */
function printPage(res: Response, built: Built, fileHref: string, backHref: string): Promise<void> {
  return renderOnce(res, built.doc, `${fileHref}\n${backHref}`, "documents/document", {
    title: built.doc.title, doc: built.doc, pdfHref: `${fileHref}.pdf`, docxHref: `${fileHref}.docx`, backHref,
  });
}

async function sendPdf(res: Response, built: Built) {
  const pdf = await renderPdf(built.doc);
  res.attachment(`${built.filename}.pdf`).type("application/pdf").send(pdf);
}

async function sendDocx(res: Response, built: Built) {
  const docx = await renderDocx(built.doc);
  res.attachment(`${built.filename}.docx`).type(DOCX_TYPE).send(docx);
}

const reportTarget = (params: unknown) => {
  const p = ReportParams.parse(params);
  return { blocCode: p.bloc, year: p.year, period: p.period, agencyCode: p.agency };
};

/** The printable documents and downloads of a year: they live beside the page they export. */
export function documentRoutes({ documents }: Services): Router {
  const router = Router();
  const year = "/blocs/:bloc/years/:year";

  // Tinos from node_modules (@fontsource/tinos): whitelisted names only.
  router.get("/fonts/tinos/:file", (req, res, next) => {
    if (!SERVED_FONT.test(req.params.file)) return next(new NotFoundError());
    res.sendFile(path.join(FONT_DIR, req.params.file), { maxAge: "30d", immutable: true });
  });

  // The three documents of the year, each as a print page, a PDF and a Word file.
  const documentsOfYear = [
    { print: "ranking/print", file: "ranking", back: "ranking", build: documents.rankingSummary, filename: (b: string, y: number) => `xep-hang-${b}-${y}` },
    { print: "ballots/minutes", file: "ballots/minutes", back: "ranking", build: documents.minutes, filename: null },
    { print: "ranking/proposal-letter", file: "ranking/proposal-letter", back: "ranking", build: documents.proposalLetter, filename: null },
  ] as const;
  for (const d of documentsOfYear) {
    router.get(`${year}/${d.print}`, requireUser(async (req, res) => {
      const { bloc, year: y } = YearParams.parse(req.params);
      const built = await d.build(req.user, bloc, y);
      await printPage(res, built, `${built.ctx.basePath}/${d.file}`, `${built.ctx.basePath}/${d.back}`);
    }));
    router.get(`${year}/${d.file}.pdf`, requireUser(async (req, res) => {
      const { bloc, year: y } = YearParams.parse(req.params);
      const built = await d.build(req.user, bloc, y);
      await sendPdf(res, d.filename ? { ...built, filename: d.filename(bloc, y) } : built);
    }));
    router.get(`${year}/${d.file}.docx`, requireUser(async (req, res) => {
      const { bloc, year: y } = YearParams.parse(req.params);
      const built = await d.build(req.user, bloc, y);
      await sendDocx(res, d.filename ? { ...built, filename: d.filename(bloc, y) } : built);
    }));
  }

  router.get(`${year}/ranking.xlsx`, requireUser(async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    const file = await documents.rankingWorkbook(req.user, bloc, y);
    res.attachment(`${file.filename}.xlsx`).type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").send(await rankingXlsx(file));
  }));
  router.get(`${year}/ranking.csv`, requireUser(async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    const file = await documents.rankingFile(req.user, bloc, y);
    res.attachment(`${file.filename}.csv`).type("text/csv; charset=utf-8").send(rankingCsv(file));
  }));

  // The register of the year's documents: numbers and dates set by the secretariat.
  router.get(`${year}/documents`, requireUser(async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    const view = await documents.register(req.user, bloc, y);
    res.render("documents/register", { title: `Sổ văn bản năm ${view.ctx.year.year}`, view });
  }));
  router.post(`${year}/documents/:kind`, requireUser(async (req, res) => {
    const { bloc, year: y } = YearParams.parse(req.params);
    const kind = RegisterKindParam.parse(req.params.kind);
    const form = RegisterForm.safeParse(req.body);
    const result = form.success
      ? await documents.setRegisterEntry(req.user, bloc, y, kind, { number: form.data.number, issuedOn: form.data.issued_on }, req.ip)
      : { errors: z.flattenError(form.error).fieldErrors as Record<string, string[]> };
    if (result.errors) {
      const typed = { kind, number: String(req.body?.number ?? ""), issuedOn: String(req.body?.issued_on ?? ""), errors: result.errors };
      const view = await documents.register(req.user, bloc, y, typed);
      return res.status(422).render("documents/register", { title: `Sổ văn bản năm ${view.ctx.year.year}`, view });
    }
    setFlash(req, "success", registerMessages.saved);
    res.redirect(303, `/blocs/${encodeURIComponent(bloc)}/years/${y}/documents`);
  }));

  // An agency's own report, to print, sign and stamp.
  const report = `${year}/periods/:period/reports/:agency`;
  router.get(`${report}/print`, requireUser(async (req, res) => {
    const built = await documents.agencyReport(req.user, reportTarget(req.params));
    await printPage(res, built, `${built.ctx.basePath}/report`, built.ctx.basePath);
  }));
  router.get(`${report}/report.pdf`, requireUser(async (req, res) => {
    await sendPdf(res, await documents.agencyReport(req.user, reportTarget(req.params)));
  }));
  router.get(`${report}/report.docx`, requireUser(async (req, res) => {
    await sendDocx(res, await documents.agencyReport(req.user, reportTarget(req.params)));
  }));

  // The reminder letter (công văn đôn đốc) of a period, for the agencies behind.
  router.get(`${year}/periods/:period/reminder`, requireUser(async (req, res) => {
    const { bloc, year: y, period } = PeriodParams.parse(req.params);
    const built = await documents.reminderLetter(req.user, bloc, y, period);
    await printPage(res, built, `${built.ctx.basePath}/periods/${period}/reminder.pdf`, `${built.ctx.basePath}/periods/${period}/reports`);
  }));
  router.get(`${year}/periods/:period/reminder.pdf`, requireUser(async (req, res) => {
    const { bloc, year: y, period } = PeriodParams.parse(req.params);
    await sendPdf(res, await documents.reminderLetter(req.user, bloc, y, period));
  }));

  return router;
}

const PeriodParams = YearParams.extend({ period: z.coerce.number().int().min(1).max(9) });
