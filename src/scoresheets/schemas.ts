import { z } from "zod";

export const SheetParams = z.object({
  bloc: z.string().regex(/^[a-z0-9-]{1,40}$/),
  year: z.coerce.number().int().min(2000).max(2100),
  agency: z.string().regex(/^[a-z0-9._-]{1,40}$/),
});
export type SheetParams = z.infer<typeof SheetParams>;

/** Every text field of the form, by name (p_<id>, e_<id>, b_<id>, r_<id>, …); checked against the criteria by the service. */
const fields = z
  .record(z.string(), z.unknown())
  .transform((body) =>
    Object.fromEntries(
      Object.entries(body).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : Array.isArray(v) && typeof v[0] === "string" ? [[k, v[0]]] : [])),
    ) as Record<string, string>,
  );

/** The hidden `version` field: the sheet's version when the page was opened; empty for a new sheet. */
const version = z.preprocess(
  (v) => (Array.isArray(v) ? v[0] : v),
  z.union([z.string().trim().regex(/^\d{1,9}$/).transform(Number), z.literal("").transform(() => null), z.undefined().transform(() => null)]),
);

/** The clerk's form: "Lưu nháp" (save) or "Gửi bảng điểm" (submit), plus the values. */
export function parseOwnSheet(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  return z.object({ action: z.enum(["save", "submit"]), version, values: fields }).parse({ action: b.action, version: b.version, values: b });
}

/** The secretariat's form: "Lưu", "Hoàn tất thẩm định" (reviewed) or "Trả lại" (return), plus the values. */
export function parseReviewSheet(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  return z.object({ action: z.enum(["save", "reviewed", "return"]), version, values: fields }).parse({ action: b.action, version: b.version, values: b });
}

export type OwnSheetForm = ReturnType<typeof parseOwnSheet>;
export type ReviewSheetForm = ReturnType<typeof parseReviewSheet>;
