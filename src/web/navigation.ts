import type { User } from "../auth/users-repo.js";
import { hasRight, type Action } from "../auth/access.js";

interface NavItem {
  href: string;
  label: string;
  /** The link shows to the roles the permission table gives this right. */
  action: Action;
}

/** The menu; a link shows only where its route lets the role in. */
const NAV: NavItem[] = [
  { href: "/", label: "Trang chủ", action: "session.own" },
  // Feature menu items go here, in the order users meet them.
  { href: "/setup", label: "Thiết lập năm", action: "bloc.overview" },
  { href: "/agencies", label: "Cơ quan, đơn vị", action: "bloc.overview" },
  { href: "/reports", label: "Báo cáo", action: "bloc.overview" },
  { href: "/sheets", label: "Bảng chấm điểm", action: "agency.submit" },
  { href: "/sheets", label: "Bảng điểm", action: "bloc.overview" },
  // Clerks see the ranking once it is published; before, the page says it is not yet.
  { href: "/ranking", label: "Xếp hạng", action: "ranking.readPublished" },
  { href: "/admin/blocs", label: "Khối thi đua", action: "bloc.admin" },
  { href: "/admin/users", label: "Tài khoản", action: "account.list" },
  { href: "/audit", label: "Nhật ký", action: "audit.read" },
  // The same page, limited to the point changes of their blocs (read-only).
  { href: "/audit", label: "Lịch sử điểm", action: "audit.readPoints" },
  { href: "/admin/mail", label: "Thư thông báo", action: "mail.admin" },
  { href: "/account/password", label: "Đổi mật khẩu", action: "session.own" },
];

export function navigationFor(user: User | null, path: string) {
  if (!user) return [];
  return NAV.filter((n) => hasRight(user, n.action)).map((n) => ({
    href: n.href,
    label: n.label,
    active: n.href === "/" ? path === "/" : path.startsWith(n.href),
  }));
}

export const ROLE_LABELS: Record<User["role"], string> = {
  admin: "Quản trị hệ thống",
  secretariat: "Thường trực Khối",
  leader: "Lãnh đạo Khối",
  observer: "Ban Thi đua – Khen thưởng tỉnh",
  clerk: "Cán bộ thi đua",
};
