import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserTestsEnabled, expectAccessible, loginWithKeyboard, logout, screenshot, SCREENSHOTS, useBrowserPortal } from "./harness.js";

const enabled = browserTestsEnabled();
const B = "/blocs/dang-tq";
const AGENCIES = [
  "Văn phòng Tỉnh ủy Tuyên Quang\tVP Tỉnh ủy",
  "Ban Tổ chức Tỉnh ủy\tBan Tổ chức",
  "Ban Tuyên giáo Tỉnh ủy\tBan Tuyên giáo",
  "Ủy ban Kiểm tra Tỉnh ủy\tUBKT Tỉnh ủy",
  "Ban Dân vận Tỉnh ủy\tBan Dân vận",
  "Ban Nội chính Tỉnh ủy\tBan Nội chính",
  "Báo Tuyên Quang",
];

/**
 * The steps of this journey are the README's "Start your own bloc": with UPDATE_DOC_SCREENSHOTS=1
 * their screenshots also replace docs/screenshots/new-bloc-*.png (off by default: no churn in git).
 */
async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  if (process.env.UPDATE_DOC_SCREENSHOTS) fs.copyFileSync(path.join(SCREENSHOTS, `${name}.png`), path.resolve("docs/screenshots", `${name}.png`));
}

describe.skipIf(!enabled)("browser journey: a new bloc starts on the web (Chromium)", () => {
  const portal = useBrowserPortal();

  const pageFor = () => portal.page();
  const year = new Date().getFullYear();

  it("admin → bloc and secretariat; secretariat → agencies, year, periods, clerks; clerk → first login and registration; dashboard", async () => {
    // 1. The admin creates the bloc and its secretariat account.
    const admin = await pageFor();
    await loginWithKeyboard(admin, "quantri");
    await admin.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Khối thi đua", exact: true }).click();
    await admin.getByRole("link", { name: "Tạo khối thi đua" }).click();
    await admin.getByLabel("Mã khối").fill("dang-tq");
    await admin.getByLabel("Tên khối thi đua").fill("Khối thi đua các cơ quan Đảng tỉnh Tuyên Quang");
    await admin.getByLabel("Tên in ở đầu văn bản").fill("KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG");
    await admin.getByLabel("Cơ quan cấp trên in phía trên tên khối").fill("TỈNH ỦY TUYÊN QUANG");
    await admin.getByLabel("Địa danh ghi ngày tháng văn bản").fill("Tuyên Quang");
    await admin.getByRole("button", { name: "Tạo khối" }).click();
    await admin.waitForURL("**/admin/blocs/dang-tq");
    await admin.goto("/admin/users/new");
    await admin.getByLabel("Tên đăng nhập").fill("thuongtruc.dang");
    await admin.getByLabel("Họ tên").fill("Thường trực Khối các cơ quan Đảng");
    await admin.getByLabel("Vai trò").selectOption("secretariat");
    await admin.getByLabel("Mật khẩu ban đầu").fill("TamThoi-2026-Dang");
    await admin.getByRole("button", { name: "Tạo tài khoản" }).click();
    await admin.waitForURL("**/admin/users");
    await admin.goto("/admin/blocs/dang-tq");
    await admin.getByLabel(/thuongtruc\.dang/).check();
    await admin.getByRole("button", { name: "Lưu tài khoản của khối" }).click();
    await admin.getByText("Đã cập nhật các tài khoản làm việc với khối.").waitFor();
    expect(await admin.getByLabel(/thuongtruc\.dang/).isChecked()).toBe(true);
    await expectAccessible(admin);
    await shot(admin, "new-bloc-1-bloc");
    await logout(admin);

    // 2. The secretariat must change the password the admin set, then pastes seven agencies.
    const sec = admin;
    await loginWithKeyboard(sec, "thuongtruc.dang", "TamThoi-2026-Dang");
    await sec.waitForURL("**/account/password");
    await sec.getByLabel("Mật khẩu hiện tại").fill("TamThoi-2026-Dang");
    await sec.getByLabel("Mật khẩu mới", { exact: true }).fill("Rieng-cua-Thuong-truc");
    await sec.getByLabel("Nhập lại mật khẩu mới").fill("Rieng-cua-Thuong-truc");
    await sec.getByRole("button", { name: "Đổi mật khẩu" }).click();
    await sec.goto(`${B}/agencies/bulk`);
    await sec.getByLabel("Danh sách cơ quan, đơn vị").fill(AGENCIES.join("\n"));
    await sec.getByRole("button", { name: "Xem trước danh sách" }).click();
    await sec.getByRole("heading", { name: "Kiểm tra trước khi lưu" }).waitFor();
    expect(await sec.getByLabel("Mã dòng 7").inputValue()).toBe("bao-tuyen-quang");
    await sec.getByLabel("Mã dòng 1").fill("vp-tu");
    await expectAccessible(sec);
    await shot(sec, "new-bloc-2-agencies-preview");
    await sec.getByRole("button", { name: "Lưu các cơ quan, đơn vị" }).click();
    await sec.waitForLoadState("load");
    await sec.getByText("Đã thêm 7 cơ quan, đơn vị vào Khối.").waitFor();

    // 3. The year from the template, with head and deputy.
    await sec.getByRole("link", { name: "Tạo năm thi đua" }).click();
    expect(await sec.getByLabel(/Theo mẫu của cổng/).isChecked()).toBe(true);
    await sec.getByLabel("Trưởng khối", { exact: true }).selectOption({ label: "Văn phòng Tỉnh ủy Tuyên Quang" });
    await sec.getByLabel("Phó Trưởng khối").selectOption({ label: "Ban Tổ chức Tỉnh ủy" });
    await shot(sec, "new-bloc-3-year-from-template");
    await sec.getByRole("button", { name: "Tạo năm thi đua" }).click();
    await sec.waitForURL(`**${B}/years/${year}/setup`);
    await sec.getByText(`Đã tạo năm thi đua ${year}.`).waitFor();

    // 4. A third period, added then removed.
    await sec.getByRole("link", { name: "Thêm đợt" }).click();
    await sec.getByLabel("Tên đợt").fill("Đợt 3 — Thi đua cao điểm cuối năm");
    await sec.getByLabel("Hạn gửi báo cáo").fill(`05/01/${year + 1}`);
    await sec.getByRole("button", { name: "Thêm đợt" }).click();
    await sec.waitForURL(`**${B}/years/${year}/periods/3`);
    await shot(sec, "new-bloc-4-third-period");
    await sec.getByRole("button", { name: "Xóa đợt" }).click();
    await sec.getByText("Đã xóa đợt thi đua.").waitFor();
    expect(await sec.getByRole("link", { name: /Đợt 3/ }).count()).toBe(0);

    // 5. The clerks' accounts, printed on one A4 sheet.
    await sec.goto(`${B}/clerk-accounts`);
    await sec.getByRole("button", { name: "Tạo tài khoản và in danh sách" }).click();
    await sec.getByRole("heading", { name: "Danh sách tài khoản cán bộ thi đua" }).waitFor();
    const row = sec.getByRole("row", { name: /Báo Tuyên Quang/ });
    const [username, password] = await row.locator("code").allTextContents();
    expect(username).toBe("canbo.bao-tuyen-quang");
    await sec.emulateMedia({ media: "print" });
    await shot(sec, "new-bloc-5-clerk-passwords-print");
    const pdf = await sec.pdf({ format: "A4" });
    expect(pdf.subarray(0, 4).toString()).toBe("%PDF");
    await sec.emulateMedia({ media: "screen" });
    await logout(sec);

    // 6. The clerk logs in with the one-time password, must change it, and submits the registration.
    const clerk = sec;
    await loginWithKeyboard(clerk, username!, password!);
    await clerk.waitForURL("**/account/password");
    await clerk.getByText("mật khẩu dùng một lần").waitFor();
    await shot(clerk, "new-bloc-6-forced-password-change");
    await clerk.getByLabel("Mật khẩu hiện tại").fill(password!);
    await clerk.getByLabel("Mật khẩu mới", { exact: true }).fill("Bao-Tuyen-Quang-2026");
    await clerk.getByLabel("Nhập lại mật khẩu mới").fill("Bao-Tuyen-Quang-2026");
    await clerk.getByRole("button", { name: "Đổi mật khẩu" }).click();
    await clerk.getByRole("heading", { name: "Việc cần làm" }).waitFor();
    await clerk.getByRole("link", { name: "Đăng ký thi đua" }).first().click();
    await clerk.getByLabel("Tập thể lao động xuất sắc").check();
    await clerk.getByLabel("Chỉ tiêu, nhiệm vụ đăng ký").fill("Hoàn thành 100% chỉ tiêu tuyên truyền của năm.");
    await clerk.getByLabel("Thủ trưởng cơ quan ký (họ tên)").fill("Nguyễn Văn An");
    await clerk.getByLabel("Chức vụ người ký").fill("Tổng Biên tập");
    await clerk.getByRole("button", { name: "Gửi đăng ký" }).click();
    await clerk.locator(".status").first().waitFor();
    expect(await clerk.locator(".status").first().textContent()).toContain("Đã gửi");
    await logout(clerk);

    // 7. The new bloc's dashboard shows it.
    await loginWithKeyboard(sec, "thuongtruc.dang", "Rieng-cua-Thuong-truc");
    await sec.getByRole("heading", { name: `Theo dõi thi đua năm ${year}` }).waitFor();
    expect(await sec.locator('tr[data-agency="bao-tuyen-quang"]').textContent()).toContain("Đã gửi");
    await expectAccessible(sec);
    await shot(sec, "new-bloc-7-dashboard");
    await sec.context().close();
  }, 180_000);
});
