import { z } from "zod";
import { parseVnDate } from "../lib/dates.js";

const optionalId = z
  .union([z.literal(""), z.coerce.number().int().positive()])
  .optional()
  .transform((v) => (v === "" || v === undefined ? null : v));

/** `template` | `empty` | `copy:<bloc>/<year>`. */
export type YearSource = { kind: "template" } | { kind: "empty" } | { kind: "copy"; blocCode: string; year: number };

const source = z
  .string({ error: "Vui lòng chọn cách tạo năm." })
  .trim()
  .transform((v, ctx): YearSource => {
    if (v === "template" || v === "empty") return { kind: v };
    const m = /^copy:([a-z0-9._-]{1,40})\/(\d{4})$/i.exec(v);
    if (m) return { kind: "copy", blocCode: m[1]!, year: Number(m[2]) };
    ctx.addIssue({ code: "custom", message: "Vui lòng chọn cách tạo năm: theo mẫu, sao chép một năm đã có, hoặc năm trống." });
    return z.NEVER;
  });

export const NewYearForm = z
  .object({
    year: z
      .string({ error: "Vui lòng nhập năm thi đua." })
      .trim()
      .regex(/^\d{4}$/, "Năm thi đua gồm 4 chữ số (ví dụ 2025).")
      .transform(Number)
      .pipe(z.number().min(2000, "Năm thi đua phải từ 2000 đến 2100.").max(2100, "Năm thi đua phải từ 2000 đến 2100.")),
    source,
    headAgencyId: optionalId,
    deputyAgencyId: optionalId,
  })
  .superRefine((v, ctx) => {
    if (v.headAgencyId !== null && v.headAgencyId === v.deputyAgencyId) {
      ctx.addIssue({ code: "custom", path: ["deputyAgencyId"], message: "Phó Trưởng khối phải khác cơ quan Trưởng khối." });
    }
  });
export type NewYearInput = z.infer<typeof NewYearForm>;

export const ReopenYearForm = z.object({
  reason: z.string({ error: "Vui lòng ghi rõ lý do mở lại năm thi đua." }).trim().min(10, "Vui lòng ghi rõ lý do mở lại năm thi đua (ít nhất 10 ký tự).").max(2000, "Lý do quá dài (tối đa 2000 ký tự)."),
});

export { BlocCodeParam as BlocParam } from "../web/params.js";

/** The annual conference's choice of next year's head and deputy (issue 18). */
export const ConferenceForm = z.object({
  heldOn: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").trim();
      if (!s) return null;
      const iso = parseVnDate(s);
      if (!iso) {
        ctx.addIssue({ code: "custom", message: "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/12/2022." });
        return z.NEVER;
      }
      return iso;
    }),
  nextHeadAgencyId: optionalId,
  nextDeputyAgencyId: optionalId,
});
