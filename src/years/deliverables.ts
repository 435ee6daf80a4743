import { daysBetween } from "../lib/dates.js";
import type { Period } from "./years-repo.js";

/**
 * Issue 16: the year's deliverables — the registration, each period's report, the score sheet — with
 * their names, status labels and due texts, defined once. The dashboard, the clerk's home and the
 * ranking's late-report count all take them from here.
 */
export type DeliverableKind = "registration" | "six_month" | "annual" | "score_sheet";

/** The names of each deliverable: the dashboard's column, the clerk's to-do line, the late-report cause. */
export const DELIVERABLE_NAMES: Record<DeliverableKind, { column: string; todo: string; cause: string }> = {
  registration: { column: "Đăng ký thi đua", todo: "Đăng ký thi đua", cause: "Bản đăng ký thi đua" },
  six_month: { column: "Báo cáo sơ kết 6 tháng", todo: "Báo cáo sơ kết 6 tháng", cause: "Báo cáo sơ kết 6 tháng" },
  annual: { column: "Báo cáo tổng kết năm", todo: "Báo cáo tổng kết năm", cause: "Báo cáo tổng kết năm" },
  score_sheet: { column: "Bảng chấm điểm", todo: "Bảng tự chấm điểm thi đua", cause: "Bảng chấm điểm thi đua" },
};

/** The annual deadline line of the dashboard covers the report and the score sheet (same due date). */
export const ANNUAL_DEADLINE_LABEL = "Báo cáo tổng kết năm và bảng chấm điểm";

/** The state of a deliverable as the secretariat's matrix says it ("missing": nothing yet). */
export const STATE_LABELS: Record<string, string> = {
  missing: "Chưa gửi",
  none: "Chưa gửi",
  draft: "Đang soạn (nháp)",
  submitted: "Đã gửi, chờ xem xét",
  returned: "Bị trả lại",
  accepted: "Đã tiếp nhận",
  reviewed: "Đã thẩm định",
};

/** The same states as the agency's own clerk reads them on their home page (what to do next). */
export const CLERK_STATE_LABELS: Record<string, string> = {
  ...STATE_LABELS,
  returned: "Bị trả lại — cần sửa và gửi lại",
};

/** Sent: no longer waiting on the agency. */
export const isIn = (status: string | null | undefined): boolean => status === "submitted" || status === "accepted" || status === "reviewed";

/** "còn 3 ngày", "hạn là hôm nay", "đã quá hạn 2 ngày" (the clerk's home says "quá hạn 2 ngày"). */
export function dueText(today: string, dueOn: string, style: "dashboard" | "clerk" = "dashboard"): { daysLeft: number; text: string } {
  return dueTextOf(daysBetween(today, dueOn), style);
}

export function dueTextOf(daysLeft: number, style: "dashboard" | "clerk" = "dashboard"): { daysLeft: number; text: string } {
  const overdue = style === "dashboard" ? `đã quá hạn ${-daysLeft} ngày` : `quá hạn ${-daysLeft} ngày`;
  return { daysLeft, text: daysLeft > 0 ? `còn ${daysLeft} ngày` : daysLeft === 0 ? "hạn là hôm nay" : overdue };
}

/** One deliverable of the year with its due date (before any agency's extension). */
export interface YearDeliverable {
  kind: DeliverableKind;
  dueOn: string | null;
  /** The period whose extensions move it (reports and the score sheet: the annual period). */
  period: Pick<Period, "id" | "number" | "dueOn"> | null;
}

/** The year's required deliverables, in order: registration, the six-month and annual reports, the score sheet. */
export function yearDeliverables(year: { registrationDueOn: string | null }, periods: readonly Pick<Period, "id" | "number" | "kind" | "dueOn">[]): YearDeliverable[] {
  const sixMonth = periods.find((p) => p.kind === "six_month") ?? null;
  const annual = periods.find((p) => p.kind === "annual") ?? null;
  return [
    { kind: "registration", dueOn: year.registrationDueOn, period: null },
    { kind: "six_month", dueOn: sixMonth?.dueOn ?? null, period: sixMonth },
    { kind: "annual", dueOn: annual?.dueOn ?? null, period: annual },
    { kind: "score_sheet", dueOn: annual?.dueOn ?? null, period: annual },
  ];
}
