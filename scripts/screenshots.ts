/**
 * Screenshots for docs/screenshots/: the secretariat's dashboards (2022, closed; the current year), page 1 of ranking.pdf, the documents
 * register, the ranking page as printed, the Word documents (.docx) rendered by LibreOffice to PNG, and a
 * refused score-sheet import.
 * Needs Debian's chromium, poppler-utils, libreoffice-writer-nogui and fonts-liberation2 (Liberation Serif stands in
 * for Times New Roman with the same metrics), and a running app with the demo data:
 *   DATA_DIR=$(mktemp -d) PORT=3456 node --import tsx src/server.ts &
 *   node --import tsx scripts/screenshots.ts            # BASE_URL=http://127.0.0.1:3456 by default
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BASE as base, OUT as out, ROOT as root, docxFirstPage, launchChromium, pdfFirstPage, signedInPage } from "./screenshot-support.js";
const year = "/blocs/noichinh-tq/years/2022";

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const browser = await launchChromium();
  try {
    const { context, page } = await signedInPage(browser, "thuongtruc");

    await page.goto(`${base}${year}/dashboard`);
    await page.screenshot({ path: path.join(out, "dashboard.png"), fullPage: true });
    // The home page opens the running year of the demo.
    await page.goto(`${base}/`);
    await page.screenshot({ path: path.join(out, "dashboard-current-year.png"), fullPage: true });

    await page.goto(`${base}${year}/ranking/print`);
    await page.screenshot({ path: path.join(out, "ranking-print.png"), fullPage: true });

    const pdf = await context.request.get(`${base}${year}/ranking.pdf`);
    if (!pdf.ok()) throw new Error(`ranking.pdf: HTTP ${pdf.status()}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "thidua-shots-"));
    const file = path.join(tmp, "ranking.pdf");
    fs.writeFileSync(file, await pdf.body());
    pdfFirstPage(file, "ranking-pdf-page1");

    await page.goto(`${base}${year}/documents`);
    await page.screenshot({ path: path.join(out, "documents-register.png"), fullPage: true });
    await page.emulateMedia({ media: "print" });
    await page.goto(`${base}${year}/ranking`);
    await page.screenshot({ path: path.join(out, "ranking-page-print-media.png"), fullPage: true });
    await page.emulateMedia({ media: "screen" });

    // Each Word document as the secretariat opens it: LibreOffice converts it to PDF, page 1 to PNG.
    const docx = {
      "docx-ranking-summary": `${year}/ranking.docx`,
      "docx-minutes": `${year}/ballots/minutes.docx`,
      "docx-proposal-letter": `${year}/ranking/proposal-letter.docx`,
      "docx-agency-report": `${year}/periods/2/reports/congan/report.docx`,
    };
    for (const [name, url] of Object.entries(docx)) {
      const res = await context.request.get(`${base}${url}`);
      if (!res.ok()) throw new Error(`${url}: HTTP ${res.status()}`);
      docxFirstPage(tmp, name, await res.body());
    }
    fs.rmSync(tmp, { recursive: true, force: true });

    // A clerk imports a workbook that is not the portal's: the refusal, with nothing saved.
    const { context: clerkContext, page: clerk } = await signedInPage(browser, "canbo.thads");
    await clerk.goto(`${base}${year}/sheets/thads`);
    await clerk.setInputFiles('input[name="file"]', { name: "bang-diem.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.from("không phải bảng tính") });
    await Promise.all([clerk.waitForLoadState("load"), clerk.click('form[enctype="multipart/form-data"] button[type="submit"]')]);
    await clerk.locator("#import-errors").screenshot({ path: path.join(out, "sheet-import-refused.png") });
    await clerkContext.close();
    process.stdout.write(`Screenshots written to ${path.relative(root, out)}/\n`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
