import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserTestsEnabled, expectAccessible, loginWithKeyboard, screenshot, useBrowserPortal } from "./harness.js";
import { auditService } from "../../src/audit/audit-service.js";
import { auditRepo } from "../../src/audit/audit-repo.js";

// Issue 22, the secretariat's and the leader's daily work in Chromium: reviewing a sheet beside the
// agency's reports, the audit log for people, the reminder letter; the clerk's ranking page.
const enabled = browserTestsEnabled();
const Y = "/blocs/noichinh-tq/years/2022";

describe.skipIf(!enabled)("the secretariat's daily work (Chromium)", () => {
  const portal = useBrowserPortal();

  async function pageFor(javaScriptEnabled = true): Promise<Page> {
    const page = await portal.page({ javaScriptEnabled });
    page.setDefaultTimeout(10_000);
    return page;
  }

  it("reviewing a sheet: the agency's reports and real dates are beside it, 'reviewed' waits for the annual report, the report opens from the sheet", async () => {
    const sec = await pageFor();
    await loginWithKeyboard(sec, "thuongtruc");
    await sec.goto(`${Y}/sheets/thanhtra`);
    await sec.getByRole("heading", { name: "Báo cáo của cơ quan, đơn vị (đối chiếu khi thẩm định)" }).waitFor();
    expect(await sec.getByText(/Ngày gửi thực tế — Đợt 1: gửi ngày/).first().isVisible()).toBe(true);
    expect(await sec.getByText("Báo cáo tổng kết năm của cơ quan, đơn vị này đang chờ xem xét", { exact: false }).isVisible()).toBe(true);
    await expectAccessible(sec);
    await sec.getByRole("button", { name: "Hoàn tất thẩm định" }).click();
    await sec.getByText("vui lòng tiếp nhận hoặc trả lại báo cáo trước khi hoàn tất thẩm định bảng điểm", { exact: false }).first().waitFor();
    await screenshot(sec, "i22-sheet-beside-reports");
    await sec.getByRole("link", { name: /Tổng kết/ }).first().click();
    await sec.waitForURL(`**${Y}/periods/2/reports/thanhtra`);
    await sec.getByRole("button", { name: "Tiếp nhận" }).click();
    await sec.getByText("Đã tiếp nhận báo cáo.").waitFor();
    await sec.context().close();
  });

  it("the audit log reads like a log; the leader sees the point history read-only from the menu", async () => {
    // Something to read in the log, recorded here so the test stands alone: a report accepted, from an
    // IPv4-mapped address (the page shows the plain IPv4).
    const db = portal.database.knex;
    const idOf = async (table: string, where: Record<string, string>) => ((await db(table).where(where).first("id")) as { id: number }).id;
    await auditService(auditRepo(db)).record({
      userId: await idOf("users", { username: "thuongtruc" }), username: "thuongtruc", action: "report.accept", entity: "report",
      blocId: await idOf("blocs", { code: "noichinh-tq" }), agencyId: await idOf("agencies", { code: "vks" }), ip: "::ffff:127.0.0.1",
    });
    const sec = await pageFor();
    await loginWithKeyboard(sec, "thuongtruc");
    await sec.getByRole("link", { name: "Nhật ký" }).click();
    await sec.getByRole("heading", { name: "Nhật ký hệ thống" }).waitFor();
    expect(await sec.getByText("Tiếp nhận báo cáo").first().isVisible()).toBe(true);
    expect(await sec.locator("body").textContent()).not.toContain("::ffff:");
    await expectAccessible(sec);
    await sec.context().close();

    const leader = await pageFor();
    await loginWithKeyboard(leader, "lanhdao");
    await leader.getByRole("link", { name: "Lịch sử điểm" }).click();
    await leader.getByRole("heading", { name: "Lịch sử thay đổi điểm" }).waitFor();
    expect(await leader.locator("form[method=post]").count()).toBe(1); // only the logout button
    await expectAccessible(leader);
    await leader.context().close();
  });

  it("the reminder letter prints from the period page", async () => {
    const sec = await pageFor();
    await loginWithKeyboard(sec, "thuongtruc");
    await sec.goto(`${Y}/periods/1/reports`);
    await sec.getByRole("link", { name: "In công văn đôn đốc các cơ quan chưa gửi" }).click();
    await sec.getByRole("heading", { name: /V\/v đôn đốc gửi báo cáo sơ kết/ }).waitFor();
    expect(await sec.getByText(/^Kính gửi: /).textContent()).toContain("Sở Tư pháp tỉnh Tuyên Quang");
    await expectAccessible(sec);
    await screenshot(sec, "i22-reminder-letter");
    const pdf = await sec.pdf({ format: "A4" }).catch(() => null);
    // page.pdf works only headless; the print view itself is the check when it does not.
    if (pdf) expect(pdf.subarray(0, 4).toString()).toBe("%PDF");
    await sec.context().close();
  });

  it("a clerk finds the ranking in the menu: 'not yet published' before publication", async () => {
    const clerk = await pageFor();
    await loginWithKeyboard(clerk, "canbo.stp");
    await clerk.getByRole("link", { name: "Xếp hạng" }).click();
    await clerk.getByText("Kết quả xếp hạng chưa được công bố.").waitFor();
    await expectAccessible(clerk);
    await clerk.context().close();
  });
});
