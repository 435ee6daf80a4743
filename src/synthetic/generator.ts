// Synthetic province-scale data (issue 9): pure and deterministic (a seeded PRNG, no I/O, no clock).
// The writer (writer.ts) turns one generated bloc at a time into rows; tests check the shapes here.

export interface SyntheticOptions {
  blocs: number;
  agencies: number;
  /** Number of criteria ITEMS (leaves) per year; groups come on top. */
  criteria: number;
  years: number;
  seed: number;
  /** Prefix of bloc and agency codes, so several generations can live side by side. */
  prefix: string;
  /** The latest year generated (the others precede it). */
  lastYear: number;
}

export const DEFAULT_OPTIONS: SyntheticOptions = {
  blocs: 40,
  agencies: 25,
  criteria: 120,
  years: 5,
  seed: 1,
  prefix: "sx",
  lastYear: 2025,
};

export type ReportStatus = "draft" | "submitted" | "returned" | "accepted";
export type SheetStatus = "draft" | "submitted" | "returned" | "reviewed";

export interface GenAgency {
  code: string;
  name: string;
  shortName: string;
  headPosition: string;
}

export interface GenCriterion {
  code: string;
  title: string;
  kind: "standard" | "bonus" | "deduction";
  /** Hundredths of a point (exact); groups carry the sum of their standard items. */
  maxHundredths: number;
  parentCode: string | null;
  autoSource: "late_reports" | null;
  sortOrder: number;
}

export interface GenSubmission {
  agency: string;
  status: ReportStatus;
  /** ISO timestamp with +07:00, null for drafts. */
  submittedAt: string | null;
  submittedOn: string | null;
  lateDays: number;
  returnComment: string | null;
}

export interface GenEntry {
  criterion: string;
  selfPoints: number | null;
  blocPoints: number | null;
  selfCount: number | null;
  blocCount: number | null;
  blocReason: string | null;
}

export interface GenSheet {
  agency: string;
  status: SheetStatus;
  submittedAt: string | null;
  submittedOn: string | null;
  lateDays: number;
  reviewed: boolean;
  returnComment: string | null;
  disciplineReason: string | null;
  entries: GenEntry[];
}

export interface GenPeriod {
  kind: "six_month" | "annual";
  number: 1 | 2;
  title: string;
  startsOn: string;
  endsOn: string;
  dataFrom: string;
  dataTo: string;
  dueOn: string;
  conferenceMonth: string;
  reports: GenSubmission[];
}

export interface GenYear {
  year: number;
  theme: string;
  planNumber: string;
  planDate: string;
  head: string;
  deputy: string;
  registrationDueOn: string;
  campaigns: { code: string; kind: string; title: string }[];
  periods: GenPeriod[];
  criteria: GenCriterion[];
  registrations: GenSubmission[];
  sheets: GenSheet[];
  meeting: { heldOn: string; place: string; validBallots: number };
  votes: { agency: string; votesFor: number }[];
}

export interface GenBloc {
  code: string;
  name: string;
  shortName: string;
  agencies: GenAgency[];
  years: GenYear[];
}

export interface GenProvince {
  name: string;
  issuingBody: string;
  districts: string[];
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
function weighted<T extends string>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [v, w] of table) if ((r -= w) < 0) return v;
  return table[table.length - 1]![0];
}

export const PROVINCES: GenProvince[] = [
  { name: "Tuyên Quang", issuingBody: "UBND TỈNH TUYÊN QUANG", districts: ["Yên Sơn", "Sơn Dương", "Hàm Yên", "Chiêm Hóa", "Na Hang", "Lâm Bình"] },
  { name: "Thái Nguyên", issuingBody: "UBND TỈNH THÁI NGUYÊN", districts: ["Đại Từ", "Định Hóa", "Phú Lương", "Đồng Hỷ", "Võ Nhai", "Phú Bình"] },
  { name: "Nghệ An", issuingBody: "UBND TỈNH NGHỆ AN", districts: ["Diễn Châu", "Yên Thành", "Quỳnh Lưu", "Nghi Lộc", "Đô Lương", "Thanh Chương", "Nam Đàn", "Hưng Nguyên"] },
  { name: "Quảng Ngãi", issuingBody: "UBND TỈNH QUẢNG NGÃI", districts: ["Bình Sơn", "Sơn Tịnh", "Tư Nghĩa", "Nghĩa Hành", "Mộ Đức", "Ba Tơ"] },
];

/** Provincial blocs: name, short name and the agencies that really sit in such a bloc. */
const PROVINCIAL_BLOCS: { name: string; short: string; agencies: [string, string, string][] }[] = [
  {
    name: "Khối thi đua Nội chính", short: "KTĐNC",
    agencies: [
      ["Bộ Chỉ huy Quân sự tỉnh", "Bộ CHQS tỉnh", "Chỉ huy trưởng"], ["Công an tỉnh", "Công an tỉnh", "Giám đốc"],
      ["Tòa án nhân dân tỉnh", "TAND tỉnh", "Chánh án"], ["Viện kiểm sát nhân dân tỉnh", "VKSND tỉnh", "Viện trưởng"],
      ["Sở Tư pháp tỉnh", "Sở Tư pháp", "Giám đốc"], ["Thanh tra tỉnh", "Thanh tra tỉnh", "Chánh Thanh tra"],
      ["Cục Thi hành án dân sự tỉnh", "Cục THADS tỉnh", "Cục trưởng"], ["Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "BĐBP tỉnh", "Chỉ huy trưởng"],
    ],
  },
  {
    name: "Khối thi đua các sở quản lý kinh tế", short: "KTĐKT",
    agencies: [
      ["Sở Kế hoạch và Đầu tư tỉnh", "Sở KH&ĐT", "Giám đốc"], ["Sở Tài chính tỉnh", "Sở Tài chính", "Giám đốc"],
      ["Sở Công Thương tỉnh", "Sở Công Thương", "Giám đốc"], ["Sở Xây dựng tỉnh", "Sở Xây dựng", "Giám đốc"],
      ["Sở Giao thông vận tải tỉnh", "Sở GTVT", "Giám đốc"], ["Sở Nông nghiệp và Phát triển nông thôn tỉnh", "Sở NN&PTNT", "Giám đốc"],
      ["Sở Tài nguyên và Môi trường tỉnh", "Sở TN&MT", "Giám đốc"], ["Sở Khoa học và Công nghệ tỉnh", "Sở KH&CN", "Giám đốc"],
    ],
  },
  {
    name: "Khối thi đua văn hóa – xã hội", short: "KTĐVX",
    agencies: [
      ["Sở Giáo dục và Đào tạo tỉnh", "Sở GD&ĐT", "Giám đốc"], ["Sở Y tế tỉnh", "Sở Y tế", "Giám đốc"],
      ["Sở Văn hóa, Thể thao và Du lịch tỉnh", "Sở VHTTDL", "Giám đốc"], ["Sở Lao động – Thương binh và Xã hội tỉnh", "Sở LĐTBXH", "Giám đốc"],
      ["Sở Thông tin và Truyền thông tỉnh", "Sở TT&TT", "Giám đốc"], ["Đài Phát thanh và Truyền hình tỉnh", "Đài PT-TH tỉnh", "Giám đốc"],
      ["Ban Dân tộc tỉnh", "Ban Dân tộc", "Trưởng ban"], ["Sở Nội vụ tỉnh", "Sở Nội vụ", "Giám đốc"],
    ],
  },
  {
    name: "Khối thi đua các cơ quan Trung ương đóng trên địa bàn", short: "KTĐTW",
    agencies: [
      ["Kho bạc Nhà nước tỉnh", "KBNN tỉnh", "Giám đốc"], ["Cục Thuế tỉnh", "Cục Thuế", "Cục trưởng"],
      ["Bảo hiểm xã hội tỉnh", "BHXH tỉnh", "Giám đốc"], ["Ngân hàng Nhà nước Chi nhánh tỉnh", "NHNN tỉnh", "Giám đốc"],
      ["Cục Thống kê tỉnh", "Cục Thống kê", "Cục trưởng"], ["Ngân hàng Chính sách xã hội Chi nhánh tỉnh", "NHCSXH tỉnh", "Giám đốc"],
      ["Bưu điện tỉnh", "Bưu điện tỉnh", "Giám đốc"], ["Viễn thông tỉnh", "Viễn thông tỉnh", "Giám đốc"],
    ],
  },
  {
    name: "Khối thi đua các đoàn thể chính trị – xã hội", short: "KTĐĐT",
    agencies: [
      ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "UBMTTQ tỉnh", "Chủ tịch"], ["Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh", "Chủ tịch"],
      ["Hội Nông dân tỉnh", "Hội Nông dân tỉnh", "Chủ tịch"], ["Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN tỉnh", "Chủ tịch"],
      ["Tỉnh đoàn", "Tỉnh đoàn", "Bí thư"], ["Hội Cựu chiến binh tỉnh", "Hội CCB tỉnh", "Chủ tịch"],
      ["Hội Chữ thập đỏ tỉnh", "Hội CTĐ tỉnh", "Chủ tịch"], ["Liên minh Hợp tác xã tỉnh", "Liên minh HTX tỉnh", "Chủ tịch"],
    ],
  },
];

/** District-level blocs: one per district and theme; agencies built from real name patterns. */
const DISTRICT_THEMES: { name: string; short: string; units: [string, string, string][] }[] = [
  {
    name: "Khối thi đua các cơ quan nội chính huyện", short: "KNCH",
    units: [
      ["Công an huyện", "CA huyện", "Trưởng Công an"], ["Ban Chỉ huy Quân sự huyện", "BCHQS huyện", "Chỉ huy trưởng"],
      ["Tòa án nhân dân huyện", "TAND huyện", "Chánh án"], ["Viện kiểm sát nhân dân huyện", "VKSND huyện", "Viện trưởng"],
      ["Chi cục Thi hành án dân sự huyện", "Chi cục THADS", "Chi cục trưởng"], ["Phòng Tư pháp huyện", "Phòng Tư pháp", "Trưởng phòng"],
      ["Thanh tra huyện", "Thanh tra huyện", "Chánh Thanh tra"], ["Phòng Nội vụ huyện", "Phòng Nội vụ", "Trưởng phòng"],
    ],
  },
  {
    name: "Khối thi đua các phòng, ban huyện", short: "KPBH",
    units: [
      ["Phòng Tài chính – Kế hoạch huyện", "Phòng TC-KH", "Trưởng phòng"], ["Phòng Kinh tế và Hạ tầng huyện", "Phòng KT-HT", "Trưởng phòng"],
      ["Phòng Nông nghiệp và Phát triển nông thôn huyện", "Phòng NN&PTNT", "Trưởng phòng"], ["Phòng Tài nguyên và Môi trường huyện", "Phòng TN&MT", "Trưởng phòng"],
      ["Phòng Giáo dục và Đào tạo huyện", "Phòng GD&ĐT", "Trưởng phòng"], ["Phòng Y tế huyện", "Phòng Y tế", "Trưởng phòng"],
      ["Phòng Văn hóa và Thông tin huyện", "Phòng VH&TT", "Trưởng phòng"], ["Phòng Lao động – Thương binh và Xã hội huyện", "Phòng LĐTBXH", "Trưởng phòng"],
      ["Trung tâm Y tế huyện", "TTYT huyện", "Giám đốc"], ["Kho bạc Nhà nước huyện", "KBNN huyện", "Giám đốc"],
    ],
  },
  { name: "Cụm thi đua các xã, thị trấn huyện", short: "CXH", units: [] },
  { name: "Khối thi đua các trường học huyện", short: "KTHH", units: [] },
];

const SYLLABLES_A = ["Tân", "Phú", "Bình", "Hòa", "Minh", "Trung", "Thượng", "Đông", "Kim", "Vĩnh", "Thành", "Đức", "Xuân", "Hồng", "Thái", "Quang", "Yên", "Phúc", "Lạc", "Tiến"];
const SYLLABLES_B = ["An", "Lợi", "Sơn", "Hưng", "Thịnh", "Lộc", "Hà", "Phong", "Trào", "Long", "Thủy", "Bình", "Hiệp", "Tiến", "Quý", "Thắng", "Nghĩa", "Hòa", "Đạt", "Kiên"];
const FIRST_NAMES = ["Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị", "Hoàng Văn", "Vũ Thị", "Đặng Văn", "Bùi Thị", "Đỗ Văn", "Ma Văn"];
const GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Minh", "Nga", "Phúc", "Quang", "Sơn", "Thảo", "Tuấn"];

const CAMPAIGNS = [
  { code: "PT1", kind: "annual", title: (y: number) => `Phong trào thi đua năm ${y}` },
  { code: "PT2", kind: "new_rural", title: () => "“Chung sức xây dựng nông thôn mới”" },
  { code: "PT3", kind: "poverty", title: () => "“Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau”" },
  { code: "PT4", kind: "office_culture", title: () => "“Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”" },
  { code: "PT5", kind: "other", title: () => "Các phong trào thi đua chuyên đề, ngắn ngày" },
];

const GROUP_TITLES = [
  "Thực hiện nhiệm vụ chính trị, chuyên môn được giao",
  "Xây dựng tổ chức, kỷ luật, kỷ cương",
  "Thực hiện các phong trào thi đua",
  "Công tác thi đua, khen thưởng và tham gia hoạt động của Khối",
  "Cải cách hành chính và chuyển đổi số",
  "Công tác phòng, chống tham nhũng, lãng phí",
  "Công tác dân vận, xây dựng khối đại đoàn kết",
  "Công tác xây dựng Đảng và các đoàn thể",
];
const ITEM_TOPICS = [
  "Hoàn thành các chỉ tiêu, nhiệm vụ trọng tâm",
  "Ứng dụng công nghệ thông tin trong chỉ đạo, điều hành",
  "Thực hiện quy chế dân chủ ở cơ sở",
  "Chấp hành kỷ luật, kỷ cương hành chính",
  "Thực hiện văn hóa công sở",
  "Giải quyết đơn thư, khiếu nại, tố cáo đúng hạn",
  "Gửi báo cáo đầy đủ, đúng thời hạn",
  "Tham gia các hoạt động chung của Khối",
  "Bồi dưỡng, nâng cao trình độ cán bộ, công chức",
  "Thực hành tiết kiệm, chống lãng phí",
];
const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Splits `total` units over `n` parts, each ≥ 1, randomly but deterministically. */
export function splitUnits(rng: Rng, total: number, n: number): number[] {
  if (n <= 0) return [];
  if (total < n) throw new Error(`cannot split ${total} units into ${n} parts of at least 1`);
  const weights = Array.from({ length: n }, () => 0.5 + rng());
  const sum = weights.reduce((s, w) => s + w, 0);
  const parts = weights.map((w) => 1 + Math.floor(((total - n) * w) / sum));
  let rest = total - parts.reduce((s, p) => s + p, 0);
  for (let i = 0; rest > 0; i = (i + 1) % n, rest--) parts[i]!++;
  return parts;
}

/**
 * A criteria tree of `items` leaves: standard groups whose items' maxima sum to exactly 100 points,
 * one bonus group and one deduction group (one deduction counted automatically from late reports).
 */
export function generateCriteria(rng: Rng, items: number): GenCriterion[] {
  if (items < 4) throw new Error("at least 4 criteria items are needed");
  const bonusItems = Math.max(1, Math.round(items * 0.05));
  const deductionItems = Math.max(2, Math.round(items * 0.05));
  const standardItems = items - bonusItems - deductionItems;
  const groups = Math.min(standardItems, Math.max(2, Math.min(GROUP_TITLES.length, Math.round(standardItems / 15))));
  // Whole points when there are few items, halves up to 200 items, hundredths beyond.
  const unit = standardItems <= 100 ? 100 : standardItems <= 200 ? 50 : 1;
  const maxima = splitUnits(rng, 10_000 / unit, standardItems).map((u) => u * unit);
  const perGroup = splitUnits(rng, standardItems, groups);
  const out: GenCriterion[] = [];
  let k = 0;
  perGroup.forEach((count, g) => {
    const code = ROMAN[g]!;
    const leaves = maxima.slice(k, k + count);
    k += count;
    out.push({ code, title: GROUP_TITLES[g]!, kind: "standard", maxHundredths: leaves.reduce((s, x) => s + x, 0), parentCode: null, autoSource: null, sortOrder: g + 1 });
    leaves.forEach((max, i) =>
      out.push({
        code: `${g + 1}.${i + 1}`,
        title: `${pick(rng, ITEM_TOPICS)} (nội dung ${g + 1}.${i + 1})`,
        kind: "standard", maxHundredths: max, parentCode: code, autoSource: null, sortOrder: i + 1,
      }),
    );
  });
  const bonusCode = ROMAN[groups]!;
  const dedCode = ROMAN[groups + 1]!;
  out.push({ code: bonusCode, title: "Điểm thưởng", kind: "bonus", maxHundredths: 500, parentCode: null, autoSource: null, sortOrder: groups + 1 });
  for (let i = 0; i < bonusItems; i++) {
    out.push({ code: `${groups + 1}.${i + 1}`, title: i % 2 ? "Được cấp trên khen thưởng đột xuất trong năm" : "Có mô hình mới, cách làm hay được công nhận", kind: "bonus", maxHundredths: pick(rng, [100, 200, 300]), parentCode: bonusCode, autoSource: null, sortOrder: i + 1 });
  }
  out.push({ code: dedCode, title: "Điểm trừ", kind: "deduction", maxHundredths: 0, parentCode: null, autoSource: null, sortOrder: groups + 2 });
  for (let i = 0; i < deductionItems; i++) {
    out.push({
      code: `${groups + 2}.${i + 1}`,
      title: i === 0 ? "Mỗi báo cáo gửi chậm so với thời hạn (tính tự động theo ngày gửi)" : "Có cán bộ, công chức bị xử lý kỷ luật, mỗi trường hợp",
      kind: "deduction", maxHundredths: i === 0 ? 100 : 200, parentCode: dedCode, autoSource: i === 0 ? "late_reports" : null, sortOrder: i + 1,
    });
  }
  return out;
}

function submission(rng: Rng, agency: string, dueOn: string, status: ReportStatus | "missing"): GenSubmission | null {
  if (status === "missing") return null;
  if (status === "draft") return { agency, status, submittedAt: null, submittedOn: null, lateDays: 0, returnComment: null };
  const late = rng() < 0.15;
  const on = addDays(dueOn, late ? int(rng, 1, 12) : -int(rng, 0, 14));
  return {
    agency, status,
    submittedAt: `${on}T${pad(int(rng, 7, 16))}:${pad(int(rng, 0, 59))}:00+07:00`,
    submittedOn: on,
    lateDays: Math.max(0, daysBetween(dueOn, on)),
    returnComment: status === "returned" ? "Đề nghị bổ sung số liệu kết quả thực hiện các phong trào thi đua và gửi kèm bản scan có chữ ký, đóng dấu." : null,
  };
}

const REPORT_STATES = [["missing", 8], ["draft", 10], ["submitted", 25], ["returned", 9], ["accepted", 48]] as const;
const SHEET_STATES = [["none", 8], ["draft", 12], ["submitted", 20], ["returned", 5], ["reviewed", 55]] as const;

function sheetFor(rng: Rng, agency: string, criteria: GenCriterion[], annualDue: string, status: SheetStatus): GenSheet {
  const sub = status === "draft" ? null : submission(rng, agency, annualDue, "submitted");
  const reviewed = status === "reviewed";
  const entries: GenEntry[] = criteria
    .filter((c) => c.parentCode !== null && !c.autoSource)
    .map((c) => {
      if (c.kind === "deduction") {
        const n = rng() < 0.1 ? 1 : 0;
        return { criterion: c.code, selfPoints: null, blocPoints: null, selfCount: n, blocCount: reviewed ? n : null, blocReason: null };
      }
      const self = c.kind === "bonus" ? (rng() < 0.3 ? c.maxHundredths : 0) : rng() < 0.8 ? c.maxHundredths : Math.floor(c.maxHundredths * (0.5 + rng() / 2));
      const adjust = reviewed && self > 0 && rng() < 0.05;
      const bloc = reviewed ? (adjust ? Math.floor(self / 2) : self) : null;
      return {
        criterion: c.code,
        selfPoints: self / 100,
        blocPoints: bloc === null ? null : bloc / 100,
        selfCount: null, blocCount: null,
        blocReason: adjust ? "Chưa có minh chứng đầy đủ theo hướng dẫn của Khối." : null,
      };
    });
  return {
    agency, status,
    submittedAt: sub?.submittedAt ?? null,
    submittedOn: sub?.submittedOn ?? null,
    lateDays: sub?.lateDays ?? 0,
    reviewed,
    returnComment: status === "returned" ? "Đề nghị bổ sung minh chứng cho các nội dung tự chấm điểm tối đa." : null,
    disciplineReason: rng() < 0.03 ? "Có 01 công chức bị xử lý kỷ luật khiển trách trong năm." : null,
    entries,
  };
}

function generateYear(rng: Rng, year: number, agencies: GenAgency[], criteriaItems: number, blocShort: string, place: string): GenYear {
  const criteria = generateCriteria(rng, criteriaItems);
  const periods: GenPeriod[] = [
    { kind: "six_month", number: 1, title: `Đợt 1 — Sơ kết thi đua 6 tháng đầu năm ${year}`, startsOn: `${year}-01-01`, endsOn: `${year}-05-31`, dataFrom: `${year - 1}-12-01`, dataTo: `${year}-05-31`, dueOn: `${year}-06-15`, conferenceMonth: `${year}-07`, reports: [] },
    { kind: "annual", number: 2, title: `Đợt 2 — Tổng kết thi đua năm ${year}`, startsOn: `${year}-06-01`, endsOn: `${year}-11-30`, dataFrom: `${year - 1}-12-01`, dataTo: `${year}-11-30`, dueOn: `${year}-12-15`, conferenceMonth: `${year + 1}-01`, reports: [] },
  ];
  const registrationDueOn = `${year}-02-28`;
  const registrations: GenSubmission[] = [];
  const sheets: GenSheet[] = [];
  for (const a of agencies) {
    const reg = submission(rng, a.code, registrationDueOn, weighted(rng, REPORT_STATES));
    if (reg) registrations.push(reg);
    for (const p of periods) {
      const r = submission(rng, a.code, p.dueOn, weighted(rng, REPORT_STATES));
      if (r) p.reports.push(r);
    }
    const st = weighted(rng, SHEET_STATES);
    if (st !== "none") sheets.push(sheetFor(rng, a.code, criteria, periods[1]!.dueOn, st));
  }
  const validBallots = agencies.length;
  return {
    year,
    theme: `Thi đua thực hiện thắng lợi nhiệm vụ chính trị năm ${year}`,
    planNumber: `01/KH-${blocShort}`,
    planDate: `${year}-01-${pad(int(rng, 5, 25))}`,
    head: agencies[0]!.code,
    deputy: agencies[1]!.code,
    registrationDueOn,
    campaigns: CAMPAIGNS.map((c) => ({ code: c.code, kind: c.kind, title: c.title(year) })),
    periods,
    criteria,
    registrations,
    sheets,
    meeting: { heldOn: `${year + 1}-01-${pad(int(rng, 8, 20))}`, place: `Hội trường ${agencies[0]!.shortName}, ${place}`, validBallots },
    votes: agencies.map((a) => ({ agency: a.code, votesFor: int(rng, Math.floor(validBallots / 3), validBallots) })),
  };
}

function communeName(rng: Rng, used: Set<string>): string {
  for (let i = 0; i < 50; i++) {
    const n = `${pick(rng, SYLLABLES_A)} ${pick(rng, SYLLABLES_B)}`;
    if (!used.has(n)) {
      used.add(n);
      return n;
    }
  }
  const n = `${pick(rng, SYLLABLES_A)} ${pick(rng, SYLLABLES_B)} ${used.size}`;
  used.add(n);
  return n;
}

/** The agencies and name of bloc number `index` (0-based) of the province. */
function blocShape(rng: Rng, province: GenProvince, index: number, size: number, usedPlaces: Set<string>) {
  const P = province.name;
  const agencies: [string, string, string][] = [];
  let name: string;
  let short: string;
  if (index < PROVINCIAL_BLOCS.length) {
    const b = PROVINCIAL_BLOCS[index]!;
    name = `${b.name} tỉnh ${P}`;
    short = b.short;
    for (const [n, s, h] of b.agencies) agencies.push([`${n} ${P}`, s, h]);
    while (agencies.length < size) {
      const place = communeName(rng, usedPlaces);
      agencies.push([`Trung tâm Dịch vụ công ${place} tỉnh ${P}`, `TT ${place}`, "Giám đốc"]);
    }
  } else {
    const k = index - PROVINCIAL_BLOCS.length;
    const district = province.districts[k % province.districts.length]!;
    const round = Math.floor(k / province.districts.length);
    const theme = DISTRICT_THEMES[round % DISTRICT_THEMES.length]!;
    const cycle = Math.floor(round / DISTRICT_THEMES.length);
    name = `${theme.name} ${district}${cycle ? ` (cụm số ${cycle + 1})` : ""}`;
    short = theme.short;
    if (!cycle) for (const [n, s, h] of theme.units) agencies.push([`${n} ${district}`, `${s} ${district}`, h]);
    while (agencies.length < size) {
      const place = communeName(rng, usedPlaces);
      if (theme.short === "KTHH") agencies.push([`Trường Trung học cơ sở ${place}, huyện ${district}`, `THCS ${place}`, "Hiệu trưởng"]);
      else if (theme.short === "CXH" || rng() < 0.5) agencies.push([`Ủy ban nhân dân xã ${place}, huyện ${district}`, `UBND xã ${place}`, "Chủ tịch"]);
      else agencies.push([`Trạm Y tế xã ${place}, huyện ${district}`, `TYT xã ${place}`, "Trạm trưởng"]);
    }
  }
  return { name, short, agencies: agencies.slice(0, size) };
}

export function provinceOf(opts: Pick<SyntheticOptions, "seed">): GenProvince {
  return PROVINCES[opts.seed % PROVINCES.length]!;
}

/**
 * Bloc number `index` of the synthetic province: deterministic for (options, index), so the writer
 * can generate and write one bloc at a time (memory stays flat at province scale).
 */
export function generateBloc(opts: SyntheticOptions, index: number): GenBloc {
  if (opts.agencies < 2) throw new Error("a bloc needs at least 2 agencies (head and deputy)");
  const rng = prng(opts.seed * 1_000_003 + index * 7919 + 17);
  const province = provinceOf(opts);
  // Place names must differ across blocs: draw them from one stream per province, in bloc order.
  const placeRng = prng(opts.seed * 31 + 5);
  const used = new Set<string>();
  for (let i = 0; i < index; i++) blocShape(placeRng, province, i, opts.agencies, used);
  const shape = blocShape(placeRng, province, index, opts.agencies, used);
  const code = `${opts.prefix}${pad(index + 1)}`;
  const agencies: GenAgency[] = shape.agencies.map(([name, shortName, headPosition], i) => ({
    code: `${code}-a${pad(i + 1)}`,
    name,
    shortName: shortName.slice(0, 80),
    headPosition,
  }));
  const years: GenYear[] = [];
  for (let y = opts.lastYear - opts.years + 1; y <= opts.lastYear; y++) {
    years.push(generateYear(rng, y, agencies, opts.criteria, shape.short, province.name));
  }
  return { code, name: shape.name, shortName: shape.short, agencies, years };
}

/** A name for a synthetic person (secretariat accounts). */
export function personName(rng: Rng): string {
  return `${pick(rng, FIRST_NAMES)} ${pick(rng, GIVEN)}`;
}
