import { z } from "zod";
import { FormId, INT_MAX, BlocCodeParam, YearParam, pathParam } from "../web/params.js";

/** The titles an agency may register for (Luật Thi đua, khen thưởng; the bloc's plan). */
export const TITLE_OPTIONS = [
  "Cờ thi đua của UBND tỉnh",
  "Bằng khen của Chủ tịch UBND tỉnh",
  "Tập thể lao động xuất sắc",
  "Tập thể lao động tiên tiến",
] as const;

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.enum(TITLE_OPTIONS, "Danh hiệu không hợp lệ.")));

const version = z
  .string()
  .optional()
  .transform((v) => (v ? Number(v) : null))
  .pipe(z.number().int().positive().max(INT_MAX).nullable());

export const RegistrationForm = z
  .object({
    action: z.enum(["save", "submit"], "Thao tác không hợp lệ."),
    version,
    titles: list,
    targets: z.string().max(10_000, "Tối đa 10.000 ký tự.").optional().default(""),
    signerName: z.string().trim().max(120, "Tối đa 120 ký tự.").optional().default(""),
    signerPosition: z.string().trim().max(200, "Tối đa 200 ký tự.").optional().default(""),
  })
  .superRefine((v, ctx) => {
    if (v.action !== "submit") return;
    if (v.titles.length === 0) ctx.addIssue({ code: "custom", path: ["titles"], message: "Vui lòng chọn ít nhất một danh hiệu đăng ký." });
    if (!v.targets.trim()) ctx.addIssue({ code: "custom", path: ["targets"], message: "Vui lòng nhập các chỉ tiêu đăng ký." });
    if (!v.signerName) ctx.addIssue({ code: "custom", path: ["signerName"], message: "Vui lòng nhập họ tên thủ trưởng ký đăng ký." });
    if (!v.signerPosition) ctx.addIssue({ code: "custom", path: ["signerPosition"], message: "Vui lòng nhập chức vụ người ký." });
  });

export const RegistrationReview = z.object({
  action: z.enum(["return", "accept"], "Thao tác không hợp lệ."),
  comment: z.string().max(5000, "Ý kiến tối đa 5.000 ký tự.").optional().default(""),
  version: FormId,
});

export const RegistrationParams = z.object({
  bloc: BlocCodeParam,
  year: YearParam,
  agency: pathParam(z.string().regex(/^[a-z0-9._-]{1,40}$/)),
});
