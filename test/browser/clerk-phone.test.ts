import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserTestsEnabled, expectAccessible, loginWithKeyboard, useBrowserPortal } from "./harness.js";

// The clerk's daily work on a phone (390 × 844): home and score sheet without a sideways scroll,
// attaching a file without losing typed text (scripts on: no reload), and confirming before sending.
const enabled = browserTestsEnabled();
const Y = "/blocs/noichinh-tq/years/2022";
const DOCS_SCREENSHOTS = path.resolve("docs/screenshots");
const PDF = Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

describe.skipIf(!enabled)("a clerk on a phone (Chromium, 390 × 844)", () => {
  const portal = useBrowserPortal();

  async function phone(javaScriptEnabled = true): Promise<Page> {
    const context = await portal.browser.newContext({ baseURL: portal.baseUrl, locale: "vi-VN", javaScriptEnabled, viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    return context.newPage();
  }

  /** No horizontal page scroll: the page is no wider than the screen. */
  async function expectFitsWidth(page: Page): Promise<void> {
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth }));
    expect(widths.page, `page wider than the screen on ${page.url()}`).toBeLessThanOrEqual(widths.screen);
  }

  async function keep(page: Page, name: string): Promise<void> {
    fs.mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(DOCS_SCREENSHOTS, `${name}.png`), fullPage: false });
  }

  it("the home page and the score sheet fit 390 px, tables as cards", async () => {
    const page = await phone();
    await loginWithKeyboard(page, "canbo.thads");
    await page.getByRole("heading", { name: "Việc cần làm" }).waitFor();
    await expectFitsWidth(page);
    await expectAccessible(page);
    expect(await page.getByText("Kết quả xếp hạng thi đua năm 2022 chưa được công bố.").isVisible()).toBe(true);
    await keep(page, "clerk-phone-home");
    await page.goto(`${Y}/sheets/thads`);
    await page.getByLabel("Điểm tự chấm 1.1").waitFor();
    await expectFitsWidth(page);
    // A card row shows what each cell is, and the input is on screen, not past its right edge.
    const box = await page.getByLabel("Điểm tự chấm 1.1").boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await page.getByLabel("Điểm tự chấm 1.1").scrollIntoViewIfNeeded();
    await keep(page, "clerk-phone-score-sheet");
    await page.goto(`${Y}/periods/2/reports/thads`);
    await expectFitsWidth(page);
    await page.context().close();
  });

  it("with scripts on, attaching a file keeps the typed text in the page (no reload); sending asks to confirm first", async () => {
    const page = await phone();
    await loginWithKeyboard(page, "canbo.thads");
    await page.goto(`${Y}/periods/2/reports/thads`);
    await page.getByLabel("Kết quả chung (bắt buộc khi gửi)").fill("Đang gõ, chưa lưu, khi đính kèm tệp.");
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.getByLabel("Loại tệp").selectOption("signed_scan");
    await page.getByLabel(/^Tệp \(tối đa/).setInputFiles({ name: "ban-scan.pdf", mimeType: "application/pdf", buffer: PDF });
    await page.getByRole("button", { name: "Đính kèm tệp" }).click();
    await page.getByRole("link", { name: "ban-scan.pdf" }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.getByLabel("Kết quả chung (bắt buộc khi gửi)").inputValue()).toBe("Đang gõ, chưa lưu, khi đính kèm tệp.");
    await expectFitsWidth(page);
    await expectAccessible(page);
    await keep(page, "clerk-phone-report-attachment");

    // A second file, then deleting it: still no reload, the typed text stays.
    await page.getByLabel("Loại tệp").selectOption("other");
    await page.getByLabel(/^Tệp \(tối đa/).setInputFiles({ name: "nham-tep.pdf", mimeType: "application/pdf", buffer: PDF });
    await page.getByRole("button", { name: "Đính kèm tệp" }).click();
    await page.getByRole("link", { name: "nham-tep.pdf" }).waitFor();
    await page.getByRole("listitem").filter({ hasText: "nham-tep.pdf" }).getByRole("button", { name: "Xóa" }).click();
    await page.getByText("Đã xóa tệp đính kèm.").waitFor();
    expect(await page.getByRole("link", { name: "nham-tep.pdf" }).count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.getByLabel("Kết quả chung (bắt buộc khi gửi)").inputValue()).toBe("Đang gõ, chưa lưu, khi đính kèm tệp.");

    await page.getByRole("button", { name: "Gửi báo cáo" }).click();
    await page.getByRole("heading", { name: "Xác nhận gửi báo cáo" }).waitFor();
    expect(await page.getByText(/Báo cáo gửi chậm \d+ ngày/).isVisible()).toBe(true);
    expect(await page.getByText("Theo mục 6.1 của bảng điểm", { exact: false }).isVisible()).toBe(true);
    expect(await page.getByText("Đã đính kèm bản scan có chữ ký, đóng dấu", { exact: false }).isVisible()).toBe(true);
    await expectFitsWidth(page);
    await expectAccessible(page);
    await keep(page, "clerk-phone-confirm-submit");
    await page.getByRole("button", { name: "Xác nhận gửi báo cáo" }).click();
    // The state comes from the database (the flash message is checked by the HTTP tests).
    await page.locator(".status").first().getByText("Đã gửi, chờ xem xét").waitFor();
    await page.context().close();
  });

  it("with scripts off, the same button saves the draft and the file together, and sending shows a confirmation page", async () => {
    const page = await phone(false);
    await loginWithKeyboard(page, "canbo.vks");
    await page.goto(`${Y}/periods/1/reports/vks`);
    await page.getByLabel("Kết quả chung (bắt buộc khi gửi)").fill("Bổ sung theo ý kiến của Thường trực Khối.");
    await page.getByLabel("Loại tệp").selectOption("other");
    await page.getByLabel(/^Tệp \(tối đa/).setInputFiles({ name: "phu-luc.pdf", mimeType: "application/pdf", buffer: PDF });
    await page.getByRole("button", { name: "Đính kèm tệp" }).click();
    await page.getByText("Đã lưu bản nháp và đính kèm tệp.").waitFor();
    expect(await page.getByLabel("Kết quả chung (bắt buộc khi gửi)").inputValue()).toBe("Bổ sung theo ý kiến của Thường trực Khối.");
    expect(await page.getByRole("link", { name: "phu-luc.pdf" }).isVisible()).toBe(true);

    await page.getByRole("button", { name: "Gửi báo cáo" }).click();
    await page.getByRole("heading", { name: "Xác nhận gửi báo cáo" }).waitFor();
    expect(await page.getByText("Chưa đính kèm bản scan có chữ ký, đóng dấu.").isVisible()).toBe(true);
    // Going back keeps everything: the draft is saved, nothing sent.
    await page.getByRole("button", { name: "Chưa gửi, lưu nháp để sửa tiếp" }).click();
    await page.getByRole("button", { name: "Gửi báo cáo" }).waitFor();
    expect(await page.locator(".status").first().textContent()).toContain("Bị trả lại");
    expect(await page.getByLabel("Kết quả chung (bắt buộc khi gửi)").inputValue()).toBe("Bổ sung theo ý kiến của Thường trực Khối.");
    await page.context().close();
  });
});
