import { effectiveDueOn, lateDays } from "../scoring/index.js";

/** The life of a submission (registration or report): pure rules, no I/O. */
export type SubmissionStatus = "draft" | "submitted" | "returned" | "accepted";
export type Action = "save" | "submit" | "return" | "accept";

export const STATUS_LABELS: Record<SubmissionStatus | "missing", string> = {
  missing: "Chưa gửi",
  draft: "Đang soạn (nháp)",
  submitted: "Đã gửi, chờ xem xét",
  returned: "Bị trả lại để bổ sung, chỉnh sửa",
  accepted: "Đã tiếp nhận",
};

/** The agency may type into it: a new, draft or returned submission. */
export const isEditableByAgency = (status: SubmissionStatus | null): boolean =>
  status === null || status === "draft" || status === "returned";

const NEXT: Record<Action, Partial<Record<SubmissionStatus | "new", SubmissionStatus>>> = {
  save: { new: "draft", draft: "draft", returned: "returned" },
  submit: { new: "submitted", draft: "submitted", returned: "submitted" },
  return: { submitted: "returned" },
  accept: { submitted: "accepted" },
};

/** The status after `action`, or null when the action is not allowed from `status`. */
export function nextStatus(status: SubmissionStatus | null, action: Action): SubmissionStatus | null {
  return NEXT[action][status ?? "new"] ?? null;
}

/**
 * Lateness counts from the first submission, against the due date or the agency's
 * extension; a resubmission after a return does not make a report late.
 */
export function lateness(firstSubmittedOn: string, dueOn: string, extensionDueOn: string | null): number {
  return lateDays(effectiveDueOn(dueOn, extensionDueOn), firstSubmittedOn);
}
