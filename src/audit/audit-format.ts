/**
 * The audit log as people read it: which fields changed, by their Vietnamese names, old → new.
 * Pure: the criteria's codes come in as a lookup.
 */

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

const FIELD_LABELS: Record<string, string> = {
  status: "Trạng thái",
  lateDays: "Số ngày chậm",
  comment: "Ý kiến",
  returnComment: "Ý kiến khi trả lại",
  filename: "Tên tệp",
  kind: "Loại tệp",
  size: "Dung lượng (byte)",
  published: "Đã công bố",
  reason: "Lý do",
  disciplineFlag: "Vi phạm kỷ luật",
  disciplineReason: "Lý do vi phạm kỷ luật",
  username: "Tên đăng nhập",
  fullName: "Họ và tên",
  role: "Vai trò",
  active: "Đang hoạt động",
  agencyId: "Cơ quan",
  email: "Thư điện tử",
  name: "Tên",
  shortName: "Tên viết tắt",
  code: "Mã",
  title: "Tiêu đề",
  dueOn: "Hạn gửi",
  locked: "Khóa sổ",
  joinedYear: "Năm vào Khối",
  leftYear: "Năm rời Khối",
  general: "Kết quả chung",
  shortcomings: "Tồn tại, hạn chế",
  proposals: "Đề xuất, kiến nghị",
  targets: "Chỉ tiêu, nhiệm vụ",
  titles: "Danh hiệu đăng ký",
  signerName: "Người ký",
  signerPosition: "Chức vụ người ký",
  validBallots: "Số phiếu hợp lệ",
  topic: "Nội dung kiến nghị",
  subject: "Đơn vị được kiến nghị",
  reasons: "Nội dung, lý do kiến nghị",
  file: "Tệp kèm theo",
  answer: "Trả lời",
  revoked: "Đã thu hồi",
  proposed: "Đề nghị của Khối",
  outcome: "Kết quả",
  award: "Hình thức khen thưởng",
  awardTitle: "Tên hình thức khen thưởng",
  decisionNumber: "Số quyết định",
  decidedOn: "Ngày quyết định",
  authority: "Cấp ra quyết định",
  note: "Ghi chú",
  proposalId: "Đề nghị số",
  year: "Năm",
  conferenceHeldOn: "Ngày Hội nghị",
  nextHead: "Trưởng khối năm sau",
  nextDeputy: "Phó trưởng khối năm sau",
};

const ENTRY_LABELS: Record<string, string> = {
  selfPoints: "Điểm tự chấm",
  selfCount: "Số lần (tự chấm)",
  blocPoints: "Điểm Khối chấm",
  blocCount: "Số lần (Khối chấm)",
  blocReason: "Lý do Khối chấm",
  reason: "Lý do Khối chấm",
  evidence: "Minh chứng",
};

const SECTION_LABELS: Record<string, string> = { done: "Nội dung đã triển khai", results: "Kết quả đạt được", figures: "Số liệu cụ thể" };

const VALUE_LABELS: Record<string, string> = {
  draft: "Đang soạn (nháp)",
  submitted: "Đã gửi",
  returned: "Bị trả lại",
  accepted: "Đã tiếp nhận",
  reviewed: "Đã thẩm định",
  signed_scan: "Bản scan có chữ ký",
  other: "Tài liệu khác",
  pending: "Chờ trả lời",
  rejected: "Không chấp nhận",
  awarded: "Được khen thưởng",
  not_awarded: "Không được khen thưởng",
};

const EMPTY = "(trống)";

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return EMPTY;
  if (typeof v === "boolean") return v ? "Có" : "Không";
  if (typeof v === "number") return v.toLocaleString("vi-VN");
  if (typeof v === "string") {
    const label = VALUE_LABELS[v];
    if (label) return label;
    return v.length > 300 ? `${v.slice(0, 300)}…` : v;
  }
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join("; ") || EMPTY;
  const text = JSON.stringify(v);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => Boolean(v) && typeof v === "object" && !Array.isArray(v);

/** Score-sheet entries keyed by criterion, so a change reads "Điểm Khối chấm 1.1: 40 → 38". */
function entryChanges(before: unknown, after: unknown, criterionCode: (id: number) => string | undefined): FieldChange[] {
  const byId = (list: unknown) => new Map((Array.isArray(list) ? list : []).filter(isObj).map((e) => [Number(e.criterionId), e]));
  const [b, a] = [byId(before), byId(after)];
  const out: FieldChange[] = [];
  for (const id of new Set([...b.keys(), ...a.keys()])) {
    const [eb, ea] = [b.get(id) ?? {}, a.get(id) ?? {}];
    // Only the fields the new state speaks of: a clerk's save carries no bloc points.
    for (const key of Object.keys(ea)) {
      const label = ENTRY_LABELS[key];
      if (!label) continue;
      const [vb, va] = [show(eb[key]), show(ea[key])];
      if (vb !== va) out.push({ field: `${label} ${criterionCode(id) ?? `#${id}`}`, before: vb, after: va });
    }
  }
  return out;
}

/** A report's content: each movement's section and the narrative parts. */
function contentChanges(before: unknown, after: unknown): FieldChange[] {
  const [b, a] = [isObj(before) ? before : {}, isObj(after) ? after : {}];
  const out: FieldChange[] = [];
  const [sb, sa] = [isObj(b.sections) ? b.sections : {}, isObj(a.sections) ? a.sections : {}];
  for (const code of new Set([...Object.keys(sb), ...Object.keys(sa)])) {
    const [xb, xa] = [isObj(sb[code]) ? sb[code] : {}, isObj(sa[code]) ? sa[code] : {}];
    for (const [key, label] of Object.entries(SECTION_LABELS)) {
      const [vb, va] = [show(xb[key]), show(xa[key])];
      if (vb !== va) out.push({ field: `Phong trào ${code} — ${label}`, before: vb, after: va });
    }
  }
  for (const key of ["general", "shortcomings", "proposals", "targets", "titles"]) {
    const [vb, va] = [show(b[key]), show(a[key])];
    if (vb !== va) out.push({ field: FIELD_LABELS[key]!, before: vb, after: va });
  }
  return out;
}

/** Every field that differs between `before` and `after`, named for people. */
export function describeChanges(before: unknown, after: unknown, criterionCode: (id: number) => string | undefined = () => undefined): FieldChange[] {
  const [b, a] = [isObj(before) ? before : {}, isObj(after) ? after : {}];
  const out: FieldChange[] = [];
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (key === "entries") out.push(...entryChanges(b[key], a[key], criterionCode));
    else if (key === "content") out.push(...contentChanges(b[key], a[key]));
    else if (key === "proposals" && Array.isArray(a[key] ?? b[key])) continue; // the ranking's rows: on the ranking page
    else {
      const [vb, va] = [show(b[key]), show(a[key])];
      if (vb !== va) out.push({ field: FIELD_LABELS[key] ?? key, before: vb, after: va });
    }
  }
  return out;
}

/** Criterion ids named in entries, to look their codes up. */
export function criterionIdsIn(...values: unknown[]): number[] {
  const ids = new Set<number>();
  for (const v of values) {
    if (isObj(v) && Array.isArray(v.entries)) for (const e of v.entries) if (isObj(e) && e.criterionId !== undefined) ids.add(Number(e.criterionId));
  }
  return [...ids];
}

/** An IPv4 address as people know it: `::ffff:10.0.0.5` → `10.0.0.5`. */
export function readableIp(ip: string | null): string {
  if (!ip) return "";
  return ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
}

const ENTITY_LABELS: Record<string, string> = {
  report: "Báo cáo",
  report_attachment: "Tệp đính kèm",
  registration: "Đăng ký thi đua",
  score_sheet: "Bảng điểm",
  emulation_year: "Năm thi đua",
  user: "Tài khoản",
  agency: "Cơ quan, đơn vị",
  campaign: "Phong trào",
  period: "Đợt báo cáo",
  criterion: "Tiêu chí",
  objection: "Kiến nghị",
  award: "Khen thưởng",
};

export function entityLabel(entity: string | null): string {
  return entity ? (ENTITY_LABELS[entity] ?? "Dữ liệu khác") : "";
}
