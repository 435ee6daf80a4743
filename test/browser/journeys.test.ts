import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserTestsEnabled, expectAccessible, loginWithKeyboard, logout, newContext, screenshot, startPortal, tabTo, useBrowserPortal } from "./harness.js";

const enabled = browserTestsEnabled();
const Y = "/blocs/noichinh-tq/years/2022";

describe.skipIf(!enabled)("browser journeys (Chromium)", () => {
  const portal = useBrowserPortal();

  const pageFor = (javaScriptEnabled = true): Promise<Page> => portal.page({ javaScriptEnabled });

  it("journey 1: a clerk logs in, sees what is due, fills the 6-month report, saves a draft, submits", async () => {
    const page = await pageFor();
    await loginWithKeyboard(page, "canbo.stp");
    await expect(page.getByRole("heading", { name: "Việc cần làm" })).toBeTruthy();
    await expectAccessible(page);
    await screenshot(page, "j1-clerk-home");
    await page.getByRole("link", { name: "Báo cáo sơ kết 6 tháng" }).first().click();
    await page.waitForURL(`**${Y}/periods/1/reports/stp`);
    expect(await page.getByText("Số liệu tính từ").isVisible()).toBe(true);
    await expectAccessible(page);
    await page.getByLabel("Nội dung đã triển khai").first().fill("Tổ chức hội nghị phát động thi đua năm 2022.");
    await page.getByLabel("Kết quả chung (bắt buộc khi gửi)").fill("Sở Tư pháp hoàn thành tốt nhiệm vụ 6 tháng đầu năm.");
    await page.getByRole("button", { name: "Lưu nháp" }).click();
    await page.getByText("Đã lưu bản nháp.").waitFor();
    expect(await page.getByLabel("Nội dung đã triển khai").first().inputValue()).toBe("Tổ chức hội nghị phát động thi đua năm 2022.");
    await screenshot(page, "j1-report-draft");
    await page.getByRole("button", { name: "Gửi báo cáo" }).click();
    await page.getByRole("heading", { name: "Xác nhận gửi báo cáo" }).waitFor();
    await page.getByRole("button", { name: "Xác nhận gửi báo cáo" }).click();
    await page.getByText(/Đã gửi báo cáo/).first().waitFor();
    expect(await page.locator(".status").first().textContent()).toContain("Đã gửi, chờ xem xét");
    await screenshot(page, "j1-report-submitted");
    await page.context().close();
  });

  it("journey 2: the secretariat sees who submitted and who is late, returns a report, the clerk resubmits, the secretariat accepts", async () => {
    const sec = await pageFor();
    await loginWithKeyboard(sec, "thuongtruc");
    // the dashboard: who has submitted, who is late
    await sec.getByRole("heading", { name: /Theo dõi thi đua năm 2022/ }).waitFor();
    const matrixRow = sec.getByRole("row", { name: /Tòa án nhân dân tỉnh Tuyên Quang/ });
    expect(await matrixRow.textContent()).toContain("chậm 5 ngày");
    await expectAccessible(sec);
    await screenshot(sec, "j2-dashboard");
    await sec.getByRole("link", { name: "Báo cáo", exact: true }).click();
    await sec.waitForURL(`**${Y}/periods/1/reports`);
    await expectAccessible(sec);
    await screenshot(sec, "j2-period-overview");
    const toaan = sec.getByRole("row", { name: /Tòa án nhân dân tỉnh Tuyên Quang/ });
    expect(await toaan.textContent()).toContain("5 ngày");
    await sec.getByRole("link", { name: "Thanh tra tỉnh Tuyên Quang" }).click();
    await sec.getByLabel("Ý kiến (bắt buộc khi trả lại)").fill("Đề nghị bổ sung số liệu về tiếp công dân.");
    await sec.getByRole("button", { name: "Trả lại để bổ sung, chỉnh sửa" }).click();
    await sec.getByText("Đã trả lại báo cáo kèm ý kiến.").waitFor();

    const clerk = await pageFor();
    await loginWithKeyboard(clerk, "canbo.thanhtra");
    await clerk.getByText("Đề nghị bổ sung số liệu về tiếp công dân.").first().waitFor();
    await clerk.getByRole("link", { name: "Báo cáo sơ kết 6 tháng" }).first().click();
    await clerk.getByLabel("Số liệu cụ thể").first().fill("Tiếp 152 lượt công dân.");
    await clerk.getByRole("button", { name: "Gửi báo cáo" }).click();
    await clerk.getByRole("button", { name: "Xác nhận gửi báo cáo" }).click();
    await clerk.getByText(/Đã gửi báo cáo/).first().waitFor();
    await clerk.context().close();

    await sec.reload();
    await sec.getByRole("link", { name: /so sánh với lần 1/ }).click();
    await sec.getByText("Tiếp 152 lượt công dân.").waitFor();
    await expectAccessible(sec);
    await sec.goBack();
    await sec.getByRole("button", { name: "Tiếp nhận" }).click();
    await sec.getByText("Đã tiếp nhận báo cáo.").waitFor();
    await screenshot(sec, "j2-accepted");
    await logout(sec);
    await sec.context().close();
  });

  it("journey 3 (scripts off): a clerk self-scores, the secretariat adjusts an item with a reason and records ballots, the ranking shows it", async () => {
    const clerk = await pageFor(false);
    await loginWithKeyboard(clerk, "canbo.thads");
    await clerk.goto(`${Y}/sheets/thads`);
    // every standard and bonus item: the maximum; deductions: none
    for (const input of await clerk.locator('input.points-input[name^="p_"]').all()) {
      const kind = await input.getAttribute("data-kind");
      await input.fill(kind === "deduction" ? "0" : ((await input.getAttribute("data-max")) ?? "0").replace(".", ","));
    }
    await clerk.getByRole("button", { name: "Lưu nháp" }).click();
    await clerk.getByRole("button", { name: "Gửi bảng điểm" }).click();
    await clerk.locator(".sheet-status").getByText(/Đã gửi/).waitFor();
    await screenshot(clerk, "j3-sheet-submitted");
    await clerk.context().close();

    const sec = await pageFor(false);
    await loginWithKeyboard(sec, "thuongtruc");
    await sec.goto(`${Y}/sheets/thads`);
    const first = sec.locator('input.points-input[name^="b_"]').first();
    const reason = sec.locator('textarea[name^="r_"]').first();
    await first.fill("35");
    await reason.fill("Chưa hoàn thành chỉ tiêu thi hành xong về tiền.");
    await sec.getByRole("button", { name: "Hoàn tất thẩm định" }).click();
    await sec.locator(".sheet-status").getByText(/thẩm định/i).waitFor();
    await sec.goto(`${Y}/ballots`);
    await sec.getByRole("button", { name: /Lưu/ }).first().click();
    await sec.goto(`${Y}/ranking`);
    const rows = await sec.locator("table tbody tr").allTextContents();
    expect(rows.join("\n")).toContain("Cục Thi hành án dân sự tỉnh Tuyên Quang");
    await screenshot(sec, "j3-ranking");
    await sec.context().close();

    // the leader prints the ranking summary and downloads it as PDF and as Excel
    const leader = await pageFor(false);
    await loginWithKeyboard(leader, "lanhdao");
    await leader.goto(`${Y}/ranking`);
    await leader.getByRole("link", { name: /Bản in/ }).first().click();
    await leader.getByText("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").waitFor();
    expect(await leader.getByText("Độc lập - Tự do - Hạnh phúc").isVisible()).toBe(true);
    await screenshot(leader, "j3-print");
    await leader.goto(`${Y}/ranking`);
    const [pdf] = await Promise.all([leader.waitForEvent("download"), leader.getByRole("link", { name: /PDF/ }).first().click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const pdfBytes = await pdf.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    });
    expect(pdfBytes.subarray(0, 5).toString()).toBe("%PDF-");
    const [xlsx] = await Promise.all([leader.waitForEvent("download"), leader.getByRole("link", { name: /Excel/ }).first().click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    await leader.context().close();
  });

  it("why this rank and publication (scripts off): the secretariat follows an agency to its explanation, the leader checks and confirms, a clerk then reads it", async () => {
    const own = await startPortal();
    const open = async (username: string) => {
      const page = await (await newContext(portal.browser, own.baseUrl, { javaScriptEnabled: false })).newPage();
      await loginWithKeyboard(page, username);
      return page;
    };
    const sec = await open("thuongtruc");
    await sec.goto(`${Y}/ranking`);
    await sec.getByRole("link", { name: "Viện kiểm sát nhân dân tỉnh Tuyên Quang" }).first().click();
    await sec.waitForURL(`**${Y}/ranking/vks`);
    await sec.getByRole("heading", { name: /Vì sao Viện kiểm sát nhân dân tỉnh Tuyên Quang xếp hạng như vậy/ }).waitFor();
    const body = await sec.locator("main").textContent();
    expect(body).toContain("Hạng 3 với 93,00 điểm");
    expect(body).toContain("= 93,00");
    expect(body).toMatch(/Xếp dưới Bộ Chỉ huy Quân sự tỉnh Tuyên Quang/);
    await sec.setViewportSize({ width: 1366, height: 900 });
    await sec.screenshot({ path: path.resolve("docs/screenshots/why-this-rank.png"), fullPage: true });
    await sec.context().close();

    const leader = await open("lanhdao");
    await leader.goto(`${Y}/ranking`);
    await leader.getByRole("link", { name: "Kiểm tra và công bố kết quả xếp hạng" }).click();
    await leader.waitForURL(`**${Y}/ranking/publish`);
    expect(await leader.locator("main").textContent()).toContain("Bảng chấm điểm chờ thẩm định");
    await leader.setViewportSize({ width: 1366, height: 900 });
    await leader.screenshot({ path: path.resolve("docs/screenshots/publication-checklist.png"), fullPage: true });
    await leader.getByRole("button", { name: "Công bố kết quả xếp hạng" }).click();
    await leader.getByText("Vui lòng đánh dấu xác nhận").first().waitFor();
    await leader.getByLabel(/Tôi đã xem danh sách kiểm tra/).check();
    await leader.getByRole("button", { name: "Công bố kết quả xếp hạng" }).click();
    await leader.waitForURL(`**${Y}/ranking`);
    await leader.getByText("Đã công bố kết quả xếp hạng").first().waitFor();
    await leader.context().close();

    const clerk = await open("canbo.stp");
    await clerk.goto(`${Y}/ranking/stp`);
    const own2 = await clerk.locator("main").textContent();
    expect(own2).toContain("Theo kết quả đã công bố");
    expect(own2).toContain("Có vi phạm kỷ luật");
    expect(own2).not.toContain("cảnh cáo");
    await screenshot(clerk, "j4-clerk-why-this-rank");
    await clerk.context().close();
    await own.close();
  }, 120_000);

  it("keyboard alone: a clerk reaches the report form and saves a draft, then the score sheet, with no mouse", async () => {
    // its own portal and demo data, whatever the journeys above changed
    const own = await startPortal();
    const page = await (await newContext(portal.browser, own.baseUrl)).newPage();
    await loginWithKeyboard(page, "canbo.thads");
    // home → the 6-month report (not yet written)
    await tabTo(page, (el) => el.tag === "a" && el.text === "Báo cáo sơ kết 6 tháng");
    await page.keyboard.press("Enter");
    await page.waitForURL(`**${Y}/periods/1/reports/thads`);
    await tabTo(page, (el) => el.tag === "textarea");
    await page.keyboard.type("Tổ chức quán triệt kế hoạch thi đua bằng bàn phím.");
    await tabTo(page, (el) => el.tag === "button" && el.text === "Lưu nháp");
    await page.keyboard.press("Enter");
    await page.getByText("Đã lưu bản nháp.").waitFor();
    expect(await page.locator("textarea").first().inputValue()).toBe("Tổ chức quán triệt kế hoạch thi đua bằng bàn phím.");
    // back home → the score sheet (a draft), one point typed, saved
    await tabTo(page, (el) => el.tag === "a" && el.text.includes("Trang chủ"));
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.pathname === "/");
    await tabTo(page, (el) => el.tag === "a" && el.text === "Bảng tự chấm điểm thi đua");
    await page.keyboard.press("Enter");
    await page.waitForURL(`**${Y}/sheets/thads`);
    await tabTo(page, (el) => el.tag === "input" && (el.name ?? "").startsWith("p_"));
    await page.keyboard.press("Control+A");
    await page.keyboard.type("33,5");
    await tabTo(page, (el) => el.tag === "button" && el.text === "Lưu nháp");
    await page.keyboard.press("Enter");
    await page.waitForLoadState("load");
    expect(await page.locator('input.points-input[name^="p_"]').first().inputValue()).toBe("33,5");
    await page.context().close();
    await own.close();
  });
});
