import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { ForbiddenError } from "../errors.js";
import { can } from "../auth/access.js";
import type { AuditEntry, AuditFilter, AuditRepo } from "./audit-repo.js";
import { criterionIdsIn, describeChanges, entityLabel, readableIp } from "./audit-format.js";

/** The point changes the leader and the observer may read (the scoring rules say they should). */
export const POINT_CHANGE_ACTIONS = ["score_sheet.submit", "score_sheet.review", "score_sheet.reviewed", "score_sheet.return", "ballots.save", "ranking.publish", "ranking.reopen"] as const;

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
  "password.failure": "Nhập sai mật khẩu hiện tại khi đổi mật khẩu",
  "password.locked": "Đổi mật khẩu bị từ chối (tạm khóa)",
  logout: "Đăng xuất",
  "user.create": "Tạo tài khoản",
  "user.update": "Sửa tài khoản",
  "user.deactivate": "Khóa tài khoản",
  "user.activate": "Mở khóa tài khoản",
  "user.reset_password": "Đặt lại mật khẩu",
  "user.change_password": "Đổi mật khẩu",
  "user.mail_settings": "Đổi cài đặt nhận thông báo qua thư",
  "mail.retry": "Gửi lại thư thông báo bị lỗi",
  "registration.save": "Lưu nháp đăng ký thi đua",
  "registration.submit": "Gửi đăng ký thi đua",
  "registration.return": "Trả lại đăng ký thi đua để bổ sung",
  "registration.accept": "Tiếp nhận đăng ký thi đua",
  "report.save": "Lưu nháp báo cáo",
  "report.submit": "Gửi báo cáo",
  "report.return": "Trả lại báo cáo để bổ sung, chỉnh sửa",
  "report.accept": "Tiếp nhận báo cáo",
  "report.attach": "Đính kèm tệp vào báo cáo",
  "report.detach": "Xóa tệp đính kèm của báo cáo",
  "score_sheet.save": "Lưu nháp bảng tự chấm điểm",
  "score_sheet.submit": "Gửi bảng tự chấm điểm",
  "score_sheet.review": "Khối chấm điểm bảng điểm",
  "score_sheet.reviewed": "Thẩm định xong bảng điểm",
  "score_sheet.return": "Trả lại bảng điểm",
  "ballots.save": "Ghi kết quả bỏ phiếu bình xét",
  "ranking.publish": "Công bố kết quả xếp hạng",
  "ranking.reopen": "Mở lại kết quả xếp hạng",
  "ranking.tie_decision": "Ghi lựa chọn của Hội nghị khi đồng hạng",
  "score_sheet.review_refused": "Từ chối thẩm định bảng điểm (xung đột lợi ích)",
  "report.review_refused": "Từ chối xem xét báo cáo (xung đột lợi ích)",
  "agency.create": "Thêm cơ quan, đơn vị",
  "agency.update": "Sửa cơ quan, đơn vị",
  "agency.join": "Cơ quan vào Khối",
  "agency.leave": "Cơ quan rời Khối",
  "year.update": "Sửa thông tin năm thi đua",
  "year.create_next": "Tạo năm thi đua tiếp theo",
  "year.create": "Tạo năm thi đua",
  "document.number": "Ghi số, ngày văn bản",
  "year.close": "Kết thúc năm thi đua",
  "year.reopen": "Mở lại năm thi đua đã kết thúc",
  "bloc.create": "Tạo khối thi đua",
  "bloc.update": "Sửa thông tin khối thi đua",
  "bloc.accounts": "Giao tài khoản làm việc với khối",
  "period.create": "Thêm đợt thi đua",
  "period.delete": "Xóa đợt thi đua",
  "year.rules_update": "Sửa bộ quy tắc chấm điểm",
  "year.import": "Nhập gói dữ liệu năm",
  "campaign.create": "Thêm phong trào thi đua",
  "campaign.update": "Sửa phong trào thi đua",
  "campaign.delete": "Xóa phong trào thi đua",
  "period.update": "Sửa đợt thi đua",
  "period.lock": "Khóa sổ đợt báo cáo",
  "period.unlock": "Mở khóa đợt báo cáo",
  "period.extension_set": "Gia hạn gửi báo cáo cho cơ quan",
  "period.extension_remove": "Bỏ gia hạn gửi báo cáo",
  "criterion.create": "Thêm tiêu chí",
  "criterion.update": "Sửa tiêu chí",
  "criterion.delete": "Xóa tiêu chí",
  "objection.file": "Gửi kiến nghị về kết quả xếp hạng",
  "objection.accept": "Chấp nhận kiến nghị",
  "objection.reject": "Không chấp nhận kiến nghị",
  "award.decide": "Ghi quyết định khen thưởng của tỉnh",
  "award.revoke": "Thu hồi khen thưởng",
  "award.backfill": "Ghi bổ sung khen thưởng đã có quyết định",
  "year.conference": "Ghi Trưởng khối, Phó trưởng khối năm sau",
};

/** What an action means, in Vietnamese; never a raw key such as `ranking.publish`. */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? "Thao tác khác trên hệ thống";
}

export function auditService(repo: AuditRepo) {
  return {
    /** Append one entry: who, when (now, by the database), what, before and after. */
    record: (entry: AuditEntry, trx?: Knex) =>
      repo.insert({ ...entry, before: scrub(entry.before), after: scrub(entry.after) }, trx),
    list: (filter: AuditFilter) => repo.list(filter),

    /**
     * The log as people read it, as `user` may see it: the admin everything, a secretariat its
     * blocs, the leader and the observer the point changes of their blocs (read-only). Clerks: 403.
     */
    async page(user: User, filter: Omit<AuditFilter, "blocIds" | "actions">) {
      if (!can(user, "audit.read") && !can(user, "audit.readPoints")) throw new ForbiddenError();
      const blocIds = can(user, "audit.readEveryBloc") ? undefined : user.blocIds;
      const actions = can(user, "audit.read") ? undefined : POINT_CHANGE_ACTIONS;
      const [{ rows, total }, people, agencies] = [await repo.list({ ...filter, blocIds, actions }), await repo.actors(blocIds), await repo.agencies(blocIds)];
      const codes = await repo.criterionCodes(rows.flatMap((r) => criterionIdsIn(r.before, r.after)));
      return {
        pointsOnly: actions !== undefined,
        total,
        people,
        agencies,
        rows: rows.map((r) => ({
          at: r.at,
          who: r.username ?? "",
          what: auditActionLabel(r.action),
          subject: [entityLabel(r.entity), r.agencyName, r.periodTitle].filter(Boolean).join(" · "),
          changes: describeChanges(r.before, r.after, (id) => codes.get(id)),
          ip: readableIp(r.ip),
        })),
      };
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
