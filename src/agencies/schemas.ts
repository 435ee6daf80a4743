import { z } from "zod";
import { CODE_RULES } from "../lib/codes.js";
import { optionalText } from "../web/params.js";

const yearField = z
  .string({ error: "Vui lòng nhập năm." })
  .trim()
  .regex(/^\d{4}$/, "Năm gồm 4 chữ số (ví dụ 2023).")
  .transform(Number)
  .pipe(z.number().min(2000, "Năm phải từ 2000 đến 2100.").max(2100, "Năm phải từ 2000 đến 2100."));

export const agencyFields = {
  name: z.string().trim().min(1, "Vui lòng nhập tên cơ quan, đơn vị.").max(200, "Tên quá dài (tối đa 200 ký tự)."),
  shortName: z.string().trim().min(1, "Vui lòng nhập tên viết tắt.").max(80, "Tên viết tắt quá dài (tối đa 80 ký tự)."),
  headName: optionalText(120),
  headPosition: optionalText(120),
  /** Printed above the agency's name at the top of its own documents, e.g. "BỘ CÔNG AN". */
  governingBody: optionalText(200),
};

export const EditAgencyForm = z.object(agencyFields);

export const NewAgencyForm = z.object({
  code: z
    .string()
    .trim()
    .toLowerCase()
    .regex(CODE_RULES.agency.pattern, CODE_RULES.agency.message),
  ...agencyFields,
  joinedYear: yearField,
});

export const MembershipForm = z.object({ year: yearField });

export { CodeParam as AgencyCodeParam } from "../web/params.js";

const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().regex(/^[1-9][0-9]{0,8}$/, "Giá trị không hợp lệ.").transform(Number)));

const textList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** Step 1: the pasted list (one agency a line). */
export const BulkListForm = z.object({
  list: z.string().optional().transform((v) => v ?? ""),
  joinedYear: yearField,
  existingIds: idList,
});

/** Step 2: the reviewed rows (name, short name and code per row, codes editable). */
export const BulkSaveForm = z
  .object({
    name: textList,
    shortName: textList,
    code: textList,
    existingIds: idList,
    joinedYear: yearField,
  })
  .transform((v, ctx) => {
    const rows = v.name.map((name, i) => ({ name: name.trim(), shortName: (v.shortName[i] ?? "").trim() || name.trim(), code: (v.code[i] ?? "").trim().toLowerCase() }));
    rows.forEach((r, i) => {
      if (!r.name) ctx.addIssue({ code: "custom", path: [`name-${i}`], message: "Vui lòng nhập tên cơ quan, đơn vị." });
      else if (r.name.length > 200) ctx.addIssue({ code: "custom", path: [`name-${i}`], message: "Tên quá dài (tối đa 200 ký tự)." });
      if (r.shortName.length > 80) ctx.addIssue({ code: "custom", path: [`shortName-${i}`], message: "Tên viết tắt quá dài (tối đa 80 ký tự)." });
      if (!/^[a-z0-9._-]{2,40}$/.test(r.code)) ctx.addIssue({ code: "custom", path: [`code-${i}`], message: "Mã gồm 2–40 ký tự: chữ không dấu, số, dấu chấm, gạch ngang." });
    });
    return { rows, existingIds: v.existingIds, joinedYear: v.joinedYear };
  });
