import { z } from "zod";
import { FormId } from "../web/params.js";
import { accountShape } from "../auth/access.js";
import type { Role } from "../auth/users-repo.js";

const ROLES = ["admin", "secretariat", "leader", "observer", "clerk"] as const satisfies readonly Role[];

export const PASSWORD_MIN = 10;

const password = z
  .string()
  .min(PASSWORD_MIN, `Mật khẩu cần ít nhất ${PASSWORD_MIN} ký tự.`)
  .max(200, "Mật khẩu quá dài (tối đa 200 ký tự).");

const optionalId = z
  .union([z.literal(""), FormId])
  .optional()
  .transform((v) => (v === "" || v === undefined ? null : v));

/** Checkbox lists arrive as one string or an array. */
const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().regex(/^[1-9][0-9]{0,8}$/, "Giá trị không hợp lệ.").transform(Number)));

const accountFields = {
  fullName: z.string().trim().min(1, "Vui lòng nhập họ tên.").max(120, "Họ tên quá dài (tối đa 120 ký tự)."),
  role: z.enum(ROLES, "Vui lòng chọn vai trò."),
  agencyId: optionalId,
  blocIds: idList,
};

function clerkNeedsAgency<T extends { role: Role; agencyId: number | null }>(v: T, ctx: z.RefinementCtx): void {
  if (accountShape(v.role).needsAgency && v.agencyId === null) {
    ctx.addIssue({ code: "custom", path: ["agencyId"], message: "Cán bộ thi đua phải thuộc một cơ quan, đơn vị." });
  }
}

function notUsername(v: { username: string; password: string }, ctx: z.RefinementCtx): void {
  if (v.password.toLowerCase() === v.username.toLowerCase()) {
    ctx.addIssue({ code: "custom", path: ["password"], message: "Mật khẩu không được trùng tên đăng nhập." });
  }
}

export const NewUserForm = z
  .object({
    username: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9._-]{3,60}$/, "Tên đăng nhập gồm 3–60 ký tự: chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới."),
    password,
    ...accountFields,
  })
  .superRefine((v, ctx) => {
    clerkNeedsAgency(v, ctx);
    notUsername(v, ctx);
  });

export const EditUserForm = z.object(accountFields).superRefine(clerkNeedsAgency);

export const ResetPasswordForm = z.object({ password });

export const ChangePasswordForm = z
  .object({
    currentPassword: z.string().min(1, "Vui lòng nhập mật khẩu hiện tại."),
    newPassword: password,
    confirmPassword: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.newPassword !== v.confirmPassword) {
      ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "Mật khẩu nhập lại không khớp." });
    }
  });

export { IdParam, BlocCodeParam } from "../web/params.js";
