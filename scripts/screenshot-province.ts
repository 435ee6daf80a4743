/**
 * Screenshots of the province's view for docs/screenshots/ (issue 20): /province/2022 as the board's
 * observer, an agency's and a bloc's history, and page 1 of proposals.docx. Needs a running app whose
 * database holds the demo and a small synthetic province given to the observer `bantdkt`:
 *   export DATABASE_URL=postgres://…/thidua_shots
 *   npm run cli -- migrate && npm run cli -- seed-demo
 *   npm run cli -- gen-synthetic --blocs 6 --agencies 6 --criteria 20 --years 3 --last-year 2023 --seed 3
 *   psql "$DATABASE_URL" -c "INSERT INTO user_blocs (user_id, bloc_id) SELECT u.id, b.id FROM users u, blocs b WHERE u.username='bantdkt' ON CONFLICT DO NOTHING"
 *   PORT=3456 SESSION_SECRET=… node --import tsx src/server.ts &
 *   node --import tsx scripts/screenshot-province.ts     # BASE_URL=http://127.0.0.1:3456 by default
 * The Word file goes through LibreOffice and pdftoppm as in scripts/screenshots.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BASE as base, OUT as out, ROOT as root, docxFirstPage, hasCommand, launchChromium, signedInPage } from "./screenshot-support.js";

async function main() {
  const browser = await launchChromium();
  try {
    const { context, page } = await signedInPage(browser, "bantdkt");

    await page.goto(`${base}/province/2022`);
    await page.screenshot({ path: path.join(out, "province.png"), fullPage: true });
    await page.goto(`${base}/agencies/sx03-a05/history`);
    await page.screenshot({ path: path.join(out, "province-agency-history.png"), fullPage: true });
    await page.goto(`${base}/blocs/sx01/history`);
    await page.screenshot({ path: path.join(out, "province-bloc-history.png"), fullPage: true });

    if (!hasCommand("soffice") || !hasCommand("pdftoppm")) {
      process.stdout.write("soffice or pdftoppm missing: proposals.docx not rendered.\n");
      return;
    }
    const res = await context.request.get(`${base}/province/2022/proposals.docx`);
    if (!res.ok()) throw new Error(`proposals.docx: HTTP ${res.status()}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "thidua-province-"));
    docxFirstPage(tmp, "docx-province-proposals", await res.body());
    fs.rmSync(tmp, { recursive: true, force: true });
    process.stdout.write(`Screenshots written to ${path.relative(root, out)}/\n`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
