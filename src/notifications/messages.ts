// Every user-facing text of notifications and their e-mails, in Vietnamese. Pure builders: the
// caller passes names, dates and links; nothing here reads the database or the clock.
import { formatDate } from "../lib/dates.js";
import type { ReminderStage } from "./reminders.js";

export type NotificationKind =
  | "deliverable_due"
  | "deliverable_overdue"
  | "returned"
  | "accepted"
  | "sheet_reviewed"
  | "ranking_published"
  | "objection_filed"
  | "objection_answered";

/** What one event tells its recipients; event_key makes it once per user. */
export interface NotificationDraft {
  kind: NotificationKind;
  eventKey: string;
  title: string;
  body: string;
  /** Path inside the portal ('/blocs/…'), made absolute in e-mails. */
  link: string;
}

export const KIND_LABELS: Record<NotificationKind, string> = {
  deliverable_due: "Sắp đến hạn",
  deliverable_overdue: "Quá hạn",
  returned: "Bị trả lại",
  accepted: "Đã tiếp nhận",
  sheet_reviewed: "Đã thẩm định",
  ranking_published: "Công bố xếp hạng",
  objection_filed: "Kiến nghị mới",
  objection_answered: "Trả lời kiến nghị",
};

export const messages = {
  pageTitle: "Thông báo",
  settingsTitle: "Nhận thông báo qua thư điện tử",
  settingsSaved: "Đã lưu cài đặt nhận thông báo.",
  allRead: "Đã đánh dấu tất cả thông báo là đã đọc.",
  emailInvalid: "Địa chỉ thư điện tử không hợp lệ (ví dụ: canbo@tuyenquang.gov.vn).",
  emailRequiredForMail: "Vui lòng nhập địa chỉ thư điện tử để nhận thông báo qua thư.",
  outboxTitle: "Thư thông báo đang chờ và bị lỗi",
  retried: "Đã đưa thư vào hàng chờ gửi lại.",
  notRetryable: "Chỉ gửi lại được thư bị lỗi.",
  outcomeUnknown: "Tiến trình gửi dừng khi đang chuyển thư cho máy chủ thư: không rõ thư đã đi hay chưa, nên không tự gửi lại.",
};

/** How notifications name a period's report. */
export function reportTitle(periodTitle: string): string {
  return `Báo cáo “${periodTitle}”`;
}

export function registrationTitle(year: number): string {
  return `Đăng ký thi đua năm ${year}`;
}

/** A deliverable an agency owes: a period's report or the year's registration. */
export interface DeliverableRef {
  /** e.g. "Báo cáo sơ kết 6 tháng đầu năm 2022" or "Đăng ký thi đua năm 2022". */
  title: string;
  /** Stable name of the deliverable for one agency, e.g. "report:12:5". */
  key: string;
  dueOn: string;
  extended: boolean;
  link: string;
}

export function reminderDraft(d: DeliverableRef, stage: ReminderStage, eventKey: string): NotificationDraft {
  const due = `${formatDate(d.dueOn)}${d.extended ? " (đã được gia hạn)" : ""}`;
  if (stage.kind === "overdue") {
    return {
      kind: "deliverable_overdue",
      eventKey,
      title: `Quá hạn: ${d.title}`,
      body: `${d.title} đã quá hạn ${stage.daysLate} ngày (hạn ${due}) mà đơn vị chưa gửi. Đề nghị hoàn thiện và gửi ngay.`,
      link: d.link,
    };
  }
  const when = stage.daysLeft === 0 ? "hạn cuối là hôm nay" : `còn ${stage.daysLeft} ngày`;
  return {
    kind: "deliverable_due",
    eventKey,
    title: `Sắp đến hạn (${when}): ${d.title}`,
    body: `${d.title} của đơn vị ${when} là đến hạn (hạn ${due}) và chưa được gửi. Đề nghị hoàn thiện và gửi đúng hạn.`,
    link: d.link,
  };
}

export function returnedDraft(what: string, comment: string, link: string, eventKey: string): NotificationDraft {
  return {
    kind: "returned",
    eventKey,
    title: `Bị trả lại: ${what}`,
    body: `Thường trực Khối đã trả lại ${lowerFirst(what)} để hoàn thiện. Ý kiến: “${comment}”`,
    link,
  };
}

export function acceptedDraft(what: string, link: string, eventKey: string): NotificationDraft {
  return {
    kind: "accepted",
    eventKey,
    title: `Đã tiếp nhận: ${what}`,
    body: `Thường trực Khối đã tiếp nhận ${lowerFirst(what)}.`,
    link,
  };
}

export function sheetReviewedDraft(year: number, link: string, eventKey: string): NotificationDraft {
  return {
    kind: "sheet_reviewed",
    eventKey,
    title: `Bảng chấm điểm năm ${year} đã được thẩm định`,
    body: `Thường trực Khối đã thẩm định bảng chấm điểm năm ${year} của đơn vị. Xem điểm Khối chấm và lý do điều chỉnh (nếu có).`,
    link,
  };
}

export function rankingPublishedDraft(blocName: string, year: number, link: string, eventKey: string): NotificationDraft {
  return {
    kind: "ranking_published",
    eventKey,
    title: `Đã công bố kết quả xếp hạng năm ${year}`,
    body: `Lãnh đạo ${blocName} đã công bố kết quả chấm điểm, xếp hạng thi đua năm ${year}.`,
    link,
  };
}

export function objectionFiledDraft(o: { year: number; filedBy: string; about: string; link: string; eventKey: string }): NotificationDraft {
  return {
    kind: "objection_filed",
    eventKey: o.eventKey,
    title: `Kiến nghị mới về kết quả năm ${o.year}`,
    body: `${o.filedBy} gửi kiến nghị về kết quả chấm điểm, xếp hạng năm ${o.year} của ${o.about}. Kiến nghị chờ Thường trực Khối trả lời.`,
    link: o.link,
  };
}

export function objectionAnsweredDraft(year: number, link: string, eventKey: string): NotificationDraft {
  return {
    kind: "objection_answered",
    eventKey,
    title: `Kiến nghị về kết quả năm ${year} đã được trả lời`,
    body: `Thường trực Khối đã trả lời kiến nghị của đơn vị về kết quả chấm điểm, xếp hạng năm ${year}.`,
    link,
  };
}

/** The e-mail of one notification: plain UTF-8 text with the link to the page. */
export function composeEmail(n: { title: string; body: string; link: string }, recipientName: string, publicUrl: string): { subject: string; text: string } {
  return {
    subject: `[Cổng thi đua] ${n.title}`,
    text: [
      `Kính gửi ${recipientName},`,
      "",
      n.body,
      "",
      `Xem chi tiết: ${publicUrl}${n.link}`,
      "",
      "—",
      "Cổng thông tin thi đua — Khối thi đua",
      `Thư này được gửi tự động. Để thôi nhận thông báo qua thư điện tử: ${publicUrl}/account/notifications`,
    ].join("\n"),
  };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLocaleLowerCase("vi") + s.slice(1);
}
