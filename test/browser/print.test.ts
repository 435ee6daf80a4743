import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { getDocumentProxy } from "unpdf";
import { browserTestsEnabled, launchBrowser, loginWithKeyboard, newContext, startPortal, type Portal } from "./harness.js";

const enabled = browserTestsEnabled();
const YEAR = "/blocs/noichinh-tq/years/2022";
/** A4 landscape less the print stylesheet's 12 mm margins, in CSS pixels (96 per inch). */
const PRINTABLE_WIDTH_PX = Math.floor(((297 - 24) / 25.4) * 96);

describe.skipIf(!enabled)("printing from the browser (Chromium)", () => {
  let portal: Portal;
  let browser: Browser;
  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  it("when the leader prints the ranking page, then no button or form prints and no column is cut on an A4 landscape page", async () => {
    const context = await newContext(browser, portal.baseUrl);
    const page = await context.newPage();
    await page.setViewportSize({ width: PRINTABLE_WIDTH_PX, height: 900 });
    await loginWithKeyboard(page, "lanhdao");
    await page.goto(`${YEAR}/ranking`);
    await expect.poll(() => page.locator("button:visible").count()).toBeGreaterThan(0);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("button:visible, form:visible, .site-nav:visible, .actions:visible").count()).toBe(0);
    const widths = await page.locator("table.ranking").evaluate((table) => ({ table: table.scrollWidth, box: table.parentElement!.clientWidth, boxScroll: table.parentElement!.scrollWidth }));
    expect(widths.table).toBeLessThanOrEqual(PRINTABLE_WIDTH_PX);
    expect(widths.boxScroll).toBeLessThanOrEqual(widths.box);

    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    const view = (await doc.getPage(1)).view;
    expect([Math.round(view[2]!), Math.round(view[3]!)]).toEqual([842, 595]);
    let text = "";
    for (const item of (await (await doc.getPage(1)).getTextContent()).items) if ("str" in item) text += item.str + " ";
    text = text.replace(/\s+/g, " ");
    for (const part of ["Hạng", "Nhóm", "Tổng", "Đề nghị khen thưởng", "Công an tỉnh Tuyên Quang", "Sở Tư pháp tỉnh Tuyên Quang", "6/7"]) expect([part, text.includes(part)]).toEqual([part, true]);
    expect(text).not.toContain("Công bố kết quả xếp hạng");
    expect(text).not.toContain("Tải PDF");
    await context.close();
  }, 60_000);
});
