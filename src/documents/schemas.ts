import { z } from "zod";
import { REGISTER_KINDS } from "./documents-repo.js";
import { ReportParams } from "../reports/schemas.js";

export const RegisterKindParam = z.enum(REGISTER_KINDS);

/** The register's row form: the number and the date as typed (checked by the service, messages beside the field). */
export const RegisterForm = z.object({
  number: z.string().max(20, "Số văn bản tối đa 6 chữ số.").optional().default(""),
  issued_on: z.string().max(20, "Ngày ban hành dạng dd/mm/yyyy.").optional().default(""),
});

export { ReportParams };
