import { describe, expect, it } from "vitest";
import { getDocumentProxy } from "unpdf";
import { browserTestsEnabled, loginWithKeyboard, newContext, useBrowserPortal } from "./harness.js";

const enabled = browserTestsEnabled();
const YEAR = "/blocs/noichinh-tq/years/2022";
/** A4 landscape less the print stylesheet's 12 mm margins, in CSS pixels (96 per inch). */
const PRINTABLE_WIDTH_PX = Math.floor(((297 - 24) / 25.4) * 96);

describe.skipIf(!enabled)("printing from the browser (Chromium)", () => {
  const portal = useBrowserPortal();

  it("when the leader prints the ranking page, then no button or form prints and no column is cut on an A4 landscape page", async () => {
    const context = await newContext(portal.browser, portal.baseUrl);
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

  /** The text of each page of a PDF. */
  async function pagesOf(pdf: Buffer): Promise<string[]> {
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      pages.push((await (await doc.getPage(i)).getTextContent()).items.map((t) => ("str" in t ? t.str + (t.hasEOL ? " " : "") : "")).join("").replace(/\s+/g, " "));
    }
    return pages;
  }

  it("when a printed document breaks across pages at any point, then the signature block keeps the closing paragraph or the table's last row with it", async () => {
    const context = await newContext(portal.browser, portal.baseUrl);
    const page = await context.newPage();
    await loginWithKeyboard(page, "lanhdao");
    const cases = [
      // The minutes end with a paragraph; the ranking summary ends with a table (the agencies not ranked).
      { url: `${YEAR}/ballots/minutes`, before: ".doc-closing", signer: "CHỦ TRÌ", kept: "Biên bản được thông qua" },
      { url: `${YEAR}/ranking/print`, before: ".doc-section:last-of-type", signer: "TRƯỞNG KHỐI THI ĐUA", kept: "Thanh tra tỉnh Tuyên Quang" },
    ];
    for (const c of cases) {
      await page.goto(c.url);
      let split = 0;
      for (let spacer = 0; spacer <= 1000; spacer += 100) {
        await page.evaluate(({ selector, height }) => {
          let pad = document.getElementById("test-spacer");
          if (!pad) {
            pad = document.createElement("div");
            pad.id = "test-spacer";
            document.querySelector(selector)!.before(pad);
          }
          pad.style.height = `${height}px`;
        }, { selector: c.before, height: spacer });
        const pages = await pagesOf(await page.pdf({ format: "A4", preferCSSPageSize: true }));
        if (pages.length > 1) split++;
        const signed = pages.findIndex((p) => p.includes(c.signer));
        expect([c.url, spacer, signed >= 0 && pages[signed]!.includes(c.kept)]).toEqual([c.url, spacer, true]);
      }
      // The walk did cross page breaks.
      expect(split).toBeGreaterThan(2);
    }
    await context.close();
  }, 120_000);
});
