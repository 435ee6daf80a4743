import { z } from "zod";
import { parseVnDate } from "../lib/dates.js";
import { optionalText } from "../web/params.js";

const count = (label: string) =>
  z.string().trim().regex(/^\d{1,5}$/, `${label} phải là số nguyên từ 0 trở lên.`).transform(Number);

/** The meeting's fields; votes (v_<agencyId>) are read by the service against the year's agencies. */
export const MeetingForm = z.object({
  held_on: z
    .string({ error: "Vui lòng nhập ngày bỏ phiếu." })
    .trim()
    .min(1, "Vui lòng nhập ngày bỏ phiếu.")
    .transform((v, ctx) => {
      const iso = parseVnDate(v);
      if (!iso) ctx.addIssue({ code: "custom", message: "Ngày không hợp lệ (nhập dạng dd/mm/yyyy)." });
      return iso ?? "";
    }),
  place: z.string({ error: "Vui lòng nhập địa điểm." }).trim().min(1, "Vui lòng nhập địa điểm.").max(300, "Địa điểm quá dài (tối đa 300 ký tự)."),
  valid_ballots: count("Số phiếu hợp lệ"),
  // Who chaired, who took the minutes ("Họ và tên — Chức vụ": the minutes sign with the name and print
  // the position above it) and who attended; optional, as a meeting may be recorded before the minutes.
  // The limits are the columns' (attendees is text: 2000 is a generous page of the minutes).
  chair: optionalText(200, "Chủ trì cuộc họp"),
  secretary: optionalText(200, "Thư ký cuộc họp"),
  attendees: optionalText(2000, "Thành phần tham dự"),
});

/** Every string field of the body (votes are v_<agencyId>). */
export function formStrings(body: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}
