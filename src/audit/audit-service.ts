import type { Knex } from "knex";
import type { AuditEntry, AuditFilter, AuditRepo } from "./audit-repo.js";

/** Keys whose values never enter the audit log. */
const SECRET_KEYS = new Set(["password", "password_hash", "passwordHash", "newPassword", "currentPassword"]);

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.has(k) ? "[ẩn]" : scrub(v)]),
    );
  }
  return value;
}

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "login.success": "Đăng nhập",
  "login.failure": "Đăng nhập không thành công",
  "login.locked": "Đăng nhập bị từ chối (tạm khóa)",
  logout: "Đăng xuất",
  "user.create": "Tạo tài khoản",
  "user.update": "Sửa tài khoản",
  "user.deactivate": "Khóa tài khoản",
  "user.activate": "Mở khóa tài khoản",
  "user.reset_password": "Đặt lại mật khẩu",
  "user.change_password": "Đổi mật khẩu",
};

export function auditService(repo: AuditRepo) {
  return {
    /** Append one entry: who, when (now, by the database), what, before and after. */
    record: (entry: AuditEntry, trx?: Knex) =>
      repo.insert({ ...entry, before: scrub(entry.before), after: scrub(entry.after) }, trx),
    list: (filter: AuditFilter) => repo.list(filter),
  };
}

export type AuditService = ReturnType<typeof auditService>;
