import { z } from "zod";
import { INT_MAX } from "../web/params.js";
import { parseVnDate } from "../lib/dates.js";

const optionalDate = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const iso = parseVnDate(v);
      if (!iso) {
        ctx.addIssue({ code: "custom", message: `${label} không hợp lệ (định dạng dd/mm/yyyy).` });
        return z.NEVER;
      }
      return iso;
    });

const optionalId = z
  .string()
  .optional()
  .transform((v) => (v ? Number(v) : undefined))
  .pipe(z.number().int().positive().max(INT_MAX).optional());

export const AuditQuery = z.object({
  userId: optionalId,
  agencyId: optionalId,
  from: optionalDate("Từ ngày"),
  to: optionalDate("Đến ngày"),
  page: z.coerce.number().int().min(1).max(100000).optional().default(1),
});
