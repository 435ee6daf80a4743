import type { User } from "../auth/users-repo.js";
import { rolesFor } from "../auth/access.js";

interface NavItem {
  href: string;
  label: string;
  roles: User["role"][] | "all";
}

/** The menu per role; a link shows only where its route lets the role in. */
const NAV: NavItem[] = [
  { href: "/", label: "Trang chủ", roles: "all" },
  // Feature menu items go here, in the order users meet them.
  { href: "/setup", label: "Thiết lập năm", roles: ["secretariat", "admin", "leader", "observer"] },
  { href: "/agencies", label: "Cơ quan, đơn vị", roles: ["secretariat", "admin", "leader", "observer"] },
  { href: "/reports", label: "Báo cáo", roles: ["secretariat", "leader", "observer", "admin"] },
  { href: "/sheets", label: "Bảng chấm điểm", roles: ["clerk"] },
  { href: "/sheets", label: "Bảng điểm", roles: ["secretariat", "leader", "observer", "admin"] },
  // Clerks see the ranking once it is published; before, the page says it is not yet.
  { href: "/ranking", label: "Xếp hạng", roles: [...rolesFor("ranking.readPublished")] },
  // The province's board (and the admin): every bloc given to it side by side.
  { href: "/province", label: "Toàn tỉnh", roles: [...rolesFor("province.read")] },
  { href: "/admin/blocs", label: "Khối thi đua", roles: ["admin"] },
  { href: "/admin/users", label: "Tài khoản", roles: ["admin", "secretariat"] },
  { href: "/audit", label: "Nhật ký", roles: [...rolesFor("audit.read")] },
  // The same page, limited to the point changes of their blocs (read-only).
  { href: "/audit", label: "Lịch sử điểm", roles: [...rolesFor("audit.readPoints")] },
  { href: "/admin/mail", label: "Thư thông báo", roles: ["admin"] },
  { href: "/account/password", label: "Đổi mật khẩu", roles: "all" },
];

export function navigationFor(user: User | null, path: string) {
  if (!user) return [];
  return NAV.filter((n) => n.roles === "all" || n.roles.includes(user.role)).map((n) => ({
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
