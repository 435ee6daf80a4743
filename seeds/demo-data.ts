/**
 * The demo bloc of ../shared/domain: Khối thi đua Nội chính tỉnh Tuyên Quang, year 2022.
 * Plain data only; seeds/demo.ts writes it. Timestamps carry +07:00 (the bloc's local time).
 */

import { DEMO_CRITERIA } from "../src/scoring/index.js";
import { usualPeriods } from "../src/years/year-template.js";

export const DEMO_PASSWORD = "thidua2022";

/** When 2022's ranking was published and the year closed (after the bloc's meeting of 10/01/2023). */
export const PUBLISHED_AT = "2023-01-16T10:00:00+07:00";
// After the objection window (5 days from publication: until 21/01/2023).
export const CLOSED_AT = "2023-01-30T10:00:00+07:00";

export const BLOC = {
  code: "noichinh-tq",
  name: "Khối thi đua Nội chính tỉnh Tuyên Quang",
  kind: "bloc",
  issuing_body: "UBND TỈNH TUYÊN QUANG",
  short_name: "KTĐNC",
  place_name: "Tuyên Quang",
} as const;

// governing_body: the body above the agency's name in its own documents (demo values).
export const AGENCIES = [
  { code: "bchqs", name: "Bộ Chỉ huy Quân sự tỉnh Tuyên Quang", short_name: "Bộ CHQS tỉnh", head_position: "Chỉ huy trưởng", governing_body: "BỘ TƯ LỆNH QUÂN KHU 2" },
  { code: "congan", name: "Công an tỉnh Tuyên Quang", short_name: "Công an tỉnh", head_position: "Giám đốc", governing_body: "BỘ CÔNG AN" },
  { code: "toaan", name: "Tòa án nhân dân tỉnh Tuyên Quang", short_name: "TAND tỉnh", head_position: "Chánh án", governing_body: "TÒA ÁN NHÂN DÂN TỐI CAO" },
  { code: "vks", name: "Viện kiểm sát nhân dân tỉnh Tuyên Quang", short_name: "VKSND tỉnh", head_position: "Viện trưởng", governing_body: "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO" },
  { code: "stp", name: "Sở Tư pháp tỉnh Tuyên Quang", short_name: "Sở Tư pháp", head_position: "Giám đốc", governing_body: "UBND TỈNH TUYÊN QUANG" },
  { code: "thanhtra", name: "Thanh tra tỉnh Tuyên Quang", short_name: "Thanh tra tỉnh", head_position: "Chánh Thanh tra", governing_body: "UBND TỈNH TUYÊN QUANG" },
  { code: "thads", name: "Cục Thi hành án dân sự tỉnh Tuyên Quang", short_name: "Cục THADS tỉnh", head_position: "Cục trưởng", governing_body: "TỔNG CỤC THI HÀNH ÁN DÂN SỰ" },
] as const;

export type AgencyCode = (typeof AGENCIES)[number]["code"];

export const YEAR = {
  year: 2022,
  theme:
    "Đảng bộ, chính quyền và nhân dân các dân tộc tỉnh Tuyên Quang quyết tâm thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội năm 2022",
  // The plan's number and day are unreadable in the source ("[?]/KH-KTĐNC", "ngày [?]4 tháng 01"): demo values.
  plan_number: "01/KH-KTĐNC",
  plan_date: "2022-01-14",
  plan_signer_name: "Đại tá Hà Đình Khiêm",
  plan_signer_position: "Chính ủy Bộ CHQS tỉnh — Trưởng Khối thi đua",
  head: "bchqs" as AgencyCode,
  deputy: "congan" as AgencyCode,
  registration_due_on: "2022-02-28",
};

/** Every movement of the plan (section II). */
export const CAMPAIGNS = [
  {
    code: "PT1",
    kind: "annual",
    title: "Phong trào thi đua năm 2022",
    description:
      "Mỗi cơ quan, đơn vị lựa chọn nội dung, chỉ tiêu thi đua trong sáu nội dung: công tác tổ chức, cán bộ, xây dựng ngành tinh gọn, hiệu lực, hiệu quả; hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ trọng tâm năm 2022; phòng, chống tham nhũng, lãng phí, tiêu cực; thực hiện Nghị quyết Đại hội XIII của Đảng và Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII, Chỉ thị 05-CT/TW; cải cách hành chính, ứng dụng công nghệ thông tin, cải cách tư pháp; 100% tổ chức Đảng, đoàn thể đạt hoàn thành tốt nhiệm vụ trở lên.",
    starts_on: "2022-01-01",
    ends_on: "2022-11-30",
  },
  {
    code: "PT2",
    kind: "new_rural",
    title: "“Tuyên Quang chung sức xây dựng nông thôn mới”",
    description: "Phong trào thi đua giai đoạn theo Kế hoạch số 98/KH-UBND ngày 22/11/2017 của UBND tỉnh.",
    starts_on: null,
    ends_on: null,
  },
  {
    code: "PT3",
    kind: "poverty",
    title: "“Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau”",
    description: "Phong trào thi đua giai đoạn theo Kế hoạch số 98/KH-UBND ngày 22/11/2017 của UBND tỉnh.",
    starts_on: null,
    ends_on: null,
  },
  {
    code: "PT4",
    kind: "enterprise",
    title: "“Doanh nghiệp Việt Nam hội nhập và phát triển”",
    description:
      "Theo Quyết định số 354/QĐ-UBND ngày 08/10/2019 của UBND tỉnh về phát triển doanh nghiệp đến năm 2020, định hướng đến năm 2030.",
    starts_on: null,
    ends_on: null,
  },
  {
    code: "PT5",
    kind: "office_culture",
    title: "“Cán bộ, công chức, viên chức tỉnh Tuyên Quang thi đua thực hiện văn hóa công sở”",
    description: "Phong trào thi đua giai đoạn của tỉnh.",
    starts_on: null,
    ends_on: null,
  },
  {
    code: "PT6",
    kind: "covid19",
    title: "“Tuyên Quang đoàn kết, chung sức, đồng lòng thi đua phòng, chống và chiến thắng đại dịch Covid-19”",
    description: "Phong trào thi đua đặc biệt.",
    starts_on: null,
    ends_on: null,
  },
  {
    code: "PT7",
    kind: "other",
    title: "Các phong trào thi đua khác",
    description:
      "Các phong trào thi đua chuyên đề, ngắn ngày do ngành, địa phương phát động; xây dựng tổ chức Đảng, đoàn thể trong sạch, vững mạnh; hoạt động văn hóa, văn nghệ, thể dục, thể thao giữa các cơ quan trong Khối; hoạt động xã hội, nhân đạo, từ thiện, giảm nghèo, khắc phục thiên tai, chăm lo cán bộ, chiến sĩ có hoàn cảnh khó khăn.",
    starts_on: null,
    ends_on: null,
  },
] as const;

/** Section IV of the plan: two peaks with their report deadlines and data windows (the portal's usual two). */
export const PERIODS = usualPeriods(2022);

type Kind = "standard" | "bonus" | "deduction";
interface CriterionSeed {
  code: string;
  title: string;
  kind: Kind;
  max: number;
  auto?: "late_reports";
  items?: CriterionSeed[];
}

const bySortOrder = (a: { sortOrder: number }, b: { sortOrder: number }) => a.sortOrder - b.sortOrder;

/**
 * The demo score sheet of scoring-rules.md (100 + bonus capped at 5, deductions): the scoring
 * core's DEMO_CRITERIA is the one definition; the seed only reshapes it into groups and items.
 */
export const CRITERIA: CriterionSeed[] = DEMO_CRITERIA.filter((g) => g.parentId === null)
  .sort(bySortOrder)
  .map((g) => ({
    code: g.code,
    title: g.title,
    kind: g.kind,
    max: g.maxPoints,
    items: DEMO_CRITERIA.filter((i) => i.parentId === g.id)
      .sort(bySortOrder)
      .map((i) => ({ code: i.code, title: i.title, kind: i.kind, max: i.maxPoints, ...(i.autoSource ? { auto: i.autoSource } : {}) })),
  }));

export const USERS = [
  { username: "quantri", full_name: "Quản trị hệ thống", role: "admin", agency: null },
  { username: "thuongtruc", full_name: "Thường trực Khối (Bộ CHQS tỉnh)", role: "secretariat", agency: null },
  // The deputy's reviewer: the head's own sheet is reviewed only by the deputy agency's secretariat.
  { username: "phokhoi", full_name: "Thường trực Phó Trưởng khối (Công an tỉnh)", role: "secretariat", agency: "congan" },
  { username: "lanhdao", full_name: "Lãnh đạo Khối thi đua", role: "leader", agency: null },
  { username: "bantdkt", full_name: "Ban Thi đua – Khen thưởng tỉnh", role: "observer", agency: null },
  ...AGENCIES.map((a) => ({
    username: `canbo.${a.code}`,
    full_name: `Cán bộ thi đua — ${a.short_name}`,
    role: "clerk",
    agency: a.code as AgencyCode,
  })),
] as const;

type Status = "draft" | "submitted" | "returned" | "accepted";
export interface ReportSeed {
  agency: AgencyCode;
  status: Status;
  /** First submission (lateness counts from it), local time. */
  submittedAt?: string;
  returnComment?: string;
}

/** Activity that makes every page alive: on time, late, draft, returned, missing. */
export const REGISTRATIONS: ReportSeed[] = [
  { agency: "bchqs", status: "accepted", submittedAt: "2022-02-10T09:00:00+07:00" },
  { agency: "congan", status: "accepted", submittedAt: "2022-02-15T10:30:00+07:00" },
  { agency: "toaan", status: "accepted", submittedAt: "2022-02-20T08:15:00+07:00" },
  { agency: "vks", status: "accepted", submittedAt: "2022-02-25T14:00:00+07:00" },
  { agency: "stp", status: "accepted", submittedAt: "2022-02-28T16:45:00+07:00" },
  { agency: "thanhtra", status: "accepted", submittedAt: "2022-02-18T09:20:00+07:00" },
  { agency: "thads", status: "submitted", submittedAt: "2022-03-04T10:00:00+07:00" },
];

export const SIX_MONTH_REPORTS: ReportSeed[] = [
  { agency: "bchqs", status: "accepted", submittedAt: "2022-06-10T09:00:00+07:00" },
  { agency: "congan", status: "accepted", submittedAt: "2022-06-14T15:20:00+07:00" },
  { agency: "toaan", status: "accepted", submittedAt: "2022-06-20T08:40:00+07:00" },
  {
    agency: "vks",
    status: "returned",
    submittedAt: "2022-06-13T10:05:00+07:00",
    returnComment:
      "Đề nghị bổ sung số liệu kết quả thực hiện phong trào phòng, chống Covid-19 và gửi kèm bản scan có chữ ký, đóng dấu.",
  },
  { agency: "stp", status: "draft" },
  { agency: "thanhtra", status: "submitted", submittedAt: "2022-06-15T16:30:00+07:00" },
];

export const ANNUAL_REPORTS: ReportSeed[] = [
  { agency: "bchqs", status: "accepted", submittedAt: "2022-12-12T09:00:00+07:00" },
  { agency: "congan", status: "accepted", submittedAt: "2022-12-14T10:00:00+07:00" },
  { agency: "toaan", status: "accepted", submittedAt: "2022-12-15T11:00:00+07:00" },
  { agency: "vks", status: "accepted", submittedAt: "2022-12-16T08:30:00+07:00" },
  { agency: "stp", status: "accepted", submittedAt: "2022-12-13T14:10:00+07:00" },
  { agency: "thanhtra", status: "submitted", submittedAt: "2022-12-10T15:00:00+07:00" },
  { agency: "thads", status: "draft" },
];

export interface SheetSeed {
  agency: AgencyCode;
  status: "draft" | "submitted" | "reviewed";
  submittedAt?: string;
  /** Points below each standard item's maximum in the agency's own scoring. */
  selfShortfall: Record<string, number>;
  bonus: Record<string, number>;
  deductions: Record<string, number>;
  /** The bloc's points where it differs, with the reason. */
  blocPoints?: Record<string, [number, string]>;
  discipline?: string;
}

export const SCORE_SHEETS: SheetSeed[] = [
  {
    agency: "congan", status: "reviewed", submittedAt: "2022-12-14T10:05:00+07:00",
    selfShortfall: { "1.1": 2, "1.2": 1, "2.2": 1, "3.2": 1, "3.4": 1, "4.3": 1 },
    bonus: { "5.1": 3, "5.2": 1 }, deductions: {},
  },
  {
    agency: "bchqs", status: "reviewed", submittedAt: "2022-12-12T09:10:00+07:00",
    selfShortfall: { "1.1": 3, "2.3": 1, "3.2": 1, "3.3": 1, "4.3": 1 },
    bonus: { "5.1": 2, "5.2": 1 }, deductions: {},
    blocPoints: { "1.2": [9, "Chưa triển khai phần mềm quản lý văn bản điện tử đến cấp cơ sở."] },
  },
  {
    agency: "vks", status: "reviewed", submittedAt: "2022-12-16T08:35:00+07:00",
    selfShortfall: { "1.1": 4, "1.3": 1, "3.2": 2, "3.4": 1, "4.2": 1 },
    bonus: { "5.1": 3, "5.2": 2 }, deductions: {},
    blocPoints: { "5.1": [2, "Mô hình mới mới được cấp cơ sở công nhận, chưa đủ điều kiện 3 điểm."] },
  },
  {
    agency: "toaan", status: "reviewed", submittedAt: "2022-12-15T11:05:00+07:00",
    selfShortfall: { "1.1": 5, "1.2": 2, "2.1": 1, "3.1": 1, "3.2": 1, "4.2": 1, "4.3": 1 },
    bonus: { "5.2": 2 }, deductions: {},
  },
  {
    agency: "stp", status: "reviewed", submittedAt: "2022-12-13T14:15:00+07:00",
    selfShortfall: { "1.1": 6, "1.2": 2, "1.3": 1, "2.2": 1, "3.1": 2, "3.3": 1, "4.3": 2 },
    bonus: { "5.1": 1 }, deductions: { "6.3": 1 },
    discipline: "Một công chức bị xử lý kỷ luật cảnh cáo, vượt tỷ lệ cho phép của ngành.",
  },
  {
    agency: "thanhtra", status: "submitted", submittedAt: "2022-12-10T15:05:00+07:00",
    selfShortfall: { "1.1": 3, "1.2": 1, "3.2": 1, "4.3": 1 },
    bonus: { "5.1": 1 }, deductions: { "6.2": 1 },
  },
  {
    agency: "thads", status: "draft",
    selfShortfall: { "1.1": 5, "1.2": 3 }, bonus: {}, deductions: {},
  },
];

/** The review meeting's secret ballot (7 valid ballots). */
export const BALLOT_MEETING = {
  held_on: "2023-01-10",
  place: "Hội trường Bộ Chỉ huy Quân sự tỉnh Tuyên Quang",
  chair: "Đại tá Hà Đình Khiêm — Chính ủy Bộ CHQS tỉnh, Trưởng Khối",
  secretary: "Đại diện Công an tỉnh — Phó Trưởng Khối",
  attendees: "Đại diện lãnh đạo 07/07 cơ quan, đơn vị thành viên Khối thi đua Nội chính tỉnh",
  valid_ballots: 7,
};
export const VOTES: Partial<Record<AgencyCode, number>> = { congan: 6, bchqs: 5, vks: 5, toaan: 4, stp: 3 };
