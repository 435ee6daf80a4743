import { z } from "zod";
import { parseVnDate } from "../lib/dates.js";
import { FormId, optionalText } from "../web/params.js";

const decisionFields = {
  award: z.enum(["flag", "merit", "other"], "Vui lòng chọn hình thức khen thưởng.").optional(),
  awardTitle: optionalText(255),
  decisionNumber: optionalText(60),
  // Checked in requireDecision (with the other fields' errors shown at the same time), then made ISO.
  decidedOn: optionalText(20),
  authority: optionalText(255),
  note: optionalText(2000),
};

type Fields = { award?: "flag" | "merit" | "other" | undefined; awardTitle: string | null; decisionNumber: string | null; decidedOn: string | null; authority: string | null };

const BAD_DATE = "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 20/03/2023.";

/** A typed date, when there is one, must be a real dd/mm/yyyy date. */
function checkDate(v: { decidedOn: string | null }, ctx: z.RefinementCtx) {
  if (v.decidedOn && !parseVnDate(v.decidedOn)) ctx.addIssue({ code: "custom", path: ["decidedOn"], message: BAD_DATE });
}
const isoDate = (s: string | null) => (s ? parseVnDate(s) : null);

/** An award needs its decision: number, date, issuing authority, and a name when it is not a flag or a merit. */
function requireDecision(v: Fields, ctx: z.RefinementCtx) {
  if (!v.award) ctx.addIssue({ code: "custom", path: ["award"], message: "Vui lòng chọn hình thức khen thưởng." });
  if (v.award === "other" && !v.awardTitle) ctx.addIssue({ code: "custom", path: ["awardTitle"], message: "Vui lòng ghi tên hình thức khen thưởng." });
  if (!v.decisionNumber) ctx.addIssue({ code: "custom", path: ["decisionNumber"], message: "Vui lòng ghi số quyết định." });
  if (!v.decidedOn) ctx.addIssue({ code: "custom", path: ["decidedOn"], message: "Vui lòng ghi ngày quyết định (ngày/tháng/năm)." });
  if (!v.authority) ctx.addIssue({ code: "custom", path: ["authority"], message: "Vui lòng ghi cấp ra quyết định." });
}

/** The province's decision on one proposal. */
export const DecisionForm = z
  .object({
    proposalId: FormId,
    outcome: z.enum(["awarded", "not_awarded"], "Vui lòng chọn kết quả: được hoặc không được khen thưởng."),
    ...decisionFields,
  })
  .superRefine((v, ctx) => {
    checkDate(v, ctx);
    if (v.outcome === "awarded") requireDecision(v, ctx);
  })
  .transform((v) => ({ ...v, award: v.award ?? null, decidedOn: isoDate(v.decidedOn) }));

/** An award decided outside the portal, entered afterwards (any year, past ones too). */
export const BackfillForm = z
  .object({
    year: z
      .string({ error: "Vui lòng nhập năm." })
      .trim()
      .regex(/^\d{4}$/, "Năm gồm 4 chữ số (ví dụ 2019).")
      .transform(Number)
      .pipe(z.number().min(1990, "Năm phải từ 1990 đến 2100.").max(2100, "Năm phải từ 1990 đến 2100.")),
    ...decisionFields,
  })
  .superRefine((v, ctx) => {
    checkDate(v, ctx);
    requireDecision(v, ctx);
  })
  .transform((v) => ({ ...v, award: v.award!, decidedOn: isoDate(v.decidedOn) }));

export const RevokeForm = z.object({
  reason: z.string({ error: "Vui lòng ghi lý do thu hồi (ít nhất 10 ký tự)." }).trim().min(10, "Vui lòng ghi lý do thu hồi (ít nhất 10 ký tự).").max(2000, "Lý do tối đa 2.000 ký tự."),
});
