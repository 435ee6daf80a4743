import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserTestsEnabled, expectAccessible, loginWithKeyboard, screenshot, useBrowserPortal } from "./harness.js";

// Issue 18: after publication a clerk objects, the secretariat answers, and once the window has
// closed the ranking becomes final. The portal's clock is the test's, so the window can end.
const enabled = browserTestsEnabled();
const Y = "/blocs/noichinh-tq/years/2022";
const PDF = Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

describe.skipIf(!enabled)("browser journey: an objection to the published ranking (Chromium)", () => {
  let clock = new Date("2023-01-16T10:00:00+07:00");
  const portal = useBrowserPortal({ now: () => clock });

  async function open(username: string): Promise<Page> {
    const page = await portal.page();
    await page.setViewportSize({ width: 1280, height: 900 });
    await loginWithKeyboard(page, username);
    return page;
  }

  it("a clerk objects, the secretariat answers, and after the window the ranking is final", async () => {
    const leader = await open("lanhdao");
    await leader.goto(`${Y}/ranking/publish`);
    await leader.getByLabel(/Tôi đã xem danh sách kiểm tra/).check();
    await leader.getByRole("button", { name: "Công bố kết quả xếp hạng" }).click();
    await leader.waitForURL(`**${Y}/ranking`);
    await leader.getByText("Kết quả tạm thời").first().waitFor();
    await leader.context().close();

    // The clerk reads the provisional ranking and objects to another agency's proposal, with a file.
    const clerk = await open("canbo.stp");
    await clerk.goto(`${Y}/ranking`);
    expect(await clerk.locator("main").textContent()).toContain("gửi kiến nghị đến hết ngày 21/01/2023");
    await clerk.getByRole("link", { name: "Xem kiến nghị" }).click();
    await clerk.waitForURL(`**${Y}/objections`);
    await clerk.getByRole("button", { name: "Gửi kiến nghị" }).click();
    await clerk.getByText("Vui lòng chọn cơ quan, đơn vị được kiến nghị.").first().waitFor();
    await expectAccessible(clerk);
    await clerk.getByLabel("Kiến nghị về cơ quan, đơn vị").selectOption({ label: "Công an tỉnh Tuyên Quang" });
    await clerk.getByLabel("Đề nghị khen thưởng").check();
    await clerk.getByLabel("Nội dung, lý do kiến nghị").fill("Đề nghị Thường trực Khối kiểm tra lại số phiếu bình xét Cờ thi đua của Công an tỉnh.");
    await clerk.getByLabel(/Tài liệu kèm theo/).setInputFiles({ name: "kien-nghi.pdf", mimeType: "application/pdf", buffer: PDF });
    await screenshot(clerk, "objection-form");
    await clerk.getByRole("button", { name: "Gửi kiến nghị" }).click();
    await clerk.getByText("Đã gửi kiến nghị.").first().waitFor();
    const filed = await clerk.locator("main").textContent();
    expect(filed).toContain("Chờ trả lời");
    expect(filed).toContain("kien-nghi.pdf");
    await expectAccessible(clerk);
    const objectionUrl = new URL(clerk.url()).pathname;

    // The secretariat answers from the list.
    const sec = await open("thuongtruc");
    await sec.goto(`${Y}/objections`);
    await sec.getByRole("link", { name: /kiểm tra lại số phiếu bình xét/ }).click();
    await sec.waitForURL(`**${objectionUrl}`);
    await sec.getByLabel("Không chấp nhận").check();
    await sec.getByLabel(/Nội dung trả lời/).fill("Số phiếu đã được tổ kiểm phiếu kiểm và ghi trong biên bản; giữ nguyên kết quả.");
    await screenshot(sec, "objection-answer-form");
    await sec.getByRole("button", { name: "Gửi trả lời" }).click();
    await sec.getByText("Đã trả lời kiến nghị (không chấp nhận).").first().waitFor();
    expect(await sec.locator("main").textContent()).toContain("Không chấp nhận kiến nghị");
    await expectAccessible(sec);
    await sec.context().close();

    // The clerk is told and reads the answer; while the window is open the ranking stays provisional.
    await clerk.goto("/notifications");
    await clerk.getByText("Kiến nghị về kết quả năm 2022 đã được trả lời").first().waitFor();
    await clerk.goto(objectionUrl);
    expect(await clerk.locator("main").textContent()).toContain("giữ nguyên kết quả");
    await screenshot(clerk, "objection-answered");
    await clerk.goto(`${Y}/ranking`);
    expect(await clerk.locator("main").textContent()).toContain("Kết quả tạm thời");

    clock = new Date("2023-01-22T08:00:00+07:00");
    await clerk.reload();
    const final = await clerk.locator("main").textContent();
    expect(final).toContain("Kết quả chính thức");
    expect(final).not.toContain("Kết quả tạm thời");
    await screenshot(clerk, "ranking-final");
    await clerk.goto(`${Y}/objections`);
    expect(await clerk.locator("main").textContent()).toContain("Đã hết thời hạn gửi kiến nghị (đến hết ngày 21/01/2023).");
    expect(await clerk.getByRole("button", { name: "Gửi kiến nghị" }).count()).toBe(0);
    await clerk.context().close();
  }, 120_000);
});
