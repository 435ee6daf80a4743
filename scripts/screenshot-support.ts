// What the screenshot scripts share: where the pictures go, the running app, a signed-in page, and
// page 1 of a PDF or a Word document (through LibreOffice and pdftoppm) as a PNG.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const OUT = path.join(ROOT, "docs", "screenshots");
export const BASE = process.env.BASE_URL ?? "http://127.0.0.1:3456";

export function hasCommand(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
}

/** A 1280 px wide page of a context of its own, signed in as `username` (the demo password). */
export async function signedInPage(browser: Browser, username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', "thidua2022");
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click('button[type="submit"]')]);
  return { context, page };
}

/** Page 1 of a PDF file as OUT/<name>.png. */
export function pdfFirstPage(file: string, name: string): void {
  execFileSync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", file, path.join(OUT, name)]);
}

/** Page 1 of a Word document, as LibreOffice prints it, as OUT/<name>-page1.png (`tmp`: a scratch folder). */
export function docxFirstPage(tmp: string, name: string, docx: Buffer): void {
  fs.writeFileSync(path.join(tmp, `${name}.docx`), docx);
  execFileSync("soffice", [`-env:UserInstallation=file://${tmp}/profile`, "--headless", "--convert-to", "pdf", "--outdir", tmp, path.join(tmp, `${name}.docx`)], { stdio: "ignore" });
  pdfFirstPage(path.join(tmp, `${name}.pdf`), `${name}-page1`);
}
