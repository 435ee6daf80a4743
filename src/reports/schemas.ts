import { z } from "zod";
import { FormId, INT_MAX, BlocCodeParam, YearParam, NumberParam, pathParam } from "../web/params.js";
import type { ReportContent } from "./reports-repo.js";

const MAX_TEXT = 20_000;
const text = z.string().max(MAX_TEXT, `Tối đa ${MAX_TEXT.toLocaleString("vi-VN")} ký tự.`).optional().default("");

export const SECTION_FIELDS = [
  ["done", "Nội dung đã triển khai"],
  ["results", "Kết quả đạt được"],
  ["figures", "Số liệu cụ thể"],
] as const;

export const sectionField = (code: string, field: string) => `s.${code}.${field}`;

const version = z
  .string()
  .optional()
  .transform((v) => (v ? Number(v) : null))
  .pipe(z.number().int().positive().max(INT_MAX).nullable());

/** The report form: one section per movement of the year, then the narrative parts. */
export function reportFormSchema(campaignCodes: string[]) {
  const shape: Record<string, z.ZodType> = {
    action: z.enum(["save", "submit", "attach"], "Thao tác không hợp lệ."),
    version,
    // Set by the confirmation page: the clerk has seen what sending will do.
    confirm: z.literal("yes").optional(),
    kind: z.enum(["signed_scan", "other"]).optional(),
    general: text,
    shortcomings: text,
    proposals: text,
  };
  for (const code of campaignCodes) for (const [f] of SECTION_FIELDS) shape[sectionField(code, f)] = text;
  return z.object(shape).transform((v) => {
    const get = (k: string) => String((v as Record<string, unknown>)[k] ?? "");
    const content: ReportContent = {
      sections: Object.fromEntries(
        campaignCodes.map((code) => [code, { done: get(sectionField(code, "done")), results: get(sectionField(code, "results")), figures: get(sectionField(code, "figures")) }]),
      ),
      general: get("general"),
      shortcomings: get("shortcomings"),
      proposals: get("proposals"),
    };
    const f = v as { action: "save" | "submit" | "attach"; version: number | null; confirm?: "yes"; kind?: "signed_scan" | "other" };
    return { action: f.action, version: f.version, confirmed: f.confirm === "yes", kind: f.kind, content };
  });
}

export const ReviewForm = z.object({
  action: z.enum(["return", "accept"], "Thao tác không hợp lệ."),
  comment: z.string().max(5000, "Ý kiến tối đa 5.000 ký tự.").optional().default(""),
  version: FormId,
});

export const ReportParams = z.object({
  bloc: BlocCodeParam,
  year: YearParam,
  period: NumberParam,
  agency: pathParam(z.string().regex(/^[a-z0-9._-]{1,40}$/)),
});

export const AttachmentForm = z.object({ kind: z.enum(["signed_scan", "other"], "Vui lòng chọn loại tệp.") });
export { IdParam } from "../web/params.js";
