// Vietnamese labels and messages of the year set-up pages.

export const CAMPAIGN_KINDS = ["annual", "covid19", "new_rural", "poverty", "enterprise", "office_culture", "other"] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];
export const CAMPAIGN_KIND_LABELS: Record<CampaignKind, string> = {
  annual: "Phong trào thi đua thường xuyên (năm)",
  covid19: "Phòng, chống dịch Covid-19",
  new_rural: "Xây dựng nông thôn mới",
  poverty: "Vì người nghèo, giảm nghèo bền vững",
  enterprise: "Doanh nghiệp hội nhập và phát triển",
  office_culture: "Văn hóa công sở",
  other: "Phong trào khác",
};

export const PERIOD_KINDS = ["six_month", "annual", "quarter", "other"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = {
  six_month: "Sơ kết 6 tháng",
  annual: "Tổng kết năm",
  quarter: "Quý",
  other: "Đợt khác",
};
/** A year has at most one 6-month review and one annual review; quarters and other periods are free. */
export const SINGLE_PERIOD_KINDS: readonly PeriodKind[] = ["six_month", "annual"];

export const CRITERION_KINDS = ["standard", "bonus", "deduction"] as const;
export type CriterionKindName = (typeof CRITERION_KINDS)[number];
export const CRITERION_KIND_LABELS: Record<CriterionKindName, string> = {
  standard: "Tiêu chí chấm điểm",
  bonus: "Điểm thưởng",
  deduction: "Điểm trừ",
};

export const messages = {
  sheetsSubmitted:
    "Đã có cơ quan, đơn vị gửi bảng chấm điểm của năm này, nên không thể thay đổi bộ tiêu chí hay quy tắc chấm điểm nữa (để điểm đã chấm không bị sai lệch).",
  codeTaken: "Mã này đã được dùng.",
  kindTaken: "Năm này đã có một đợt thuộc loại này (mỗi năm chỉ có một đợt sơ kết 6 tháng và một đợt tổng kết năm).",
  periodOutsideYear: (y: number) => `Ngày bắt đầu và kết thúc của đợt phải nằm trong năm ${y} (01/01/${y} – 31/12/${y}).`,
  periodOverlaps: (others: string) => `Thời gian của đợt trùng với ${others}.`,
  periodHasReports: "Không thể xóa đợt này vì đã có cơ quan, đơn vị gửi báo cáo của đợt. Có thể khóa đợt thay vì xóa.",
  parentNotGroup: "Chỉ chọn nhóm tiêu chí (cấp I, II, …) làm nhóm cha.",
  kindOfParent: "Loại của tiêu chí phải trùng với loại của nhóm.",
  groupHasItems: "Không thể chuyển nhóm đang có tiêu chí con thành tiêu chí con.",
  agencyNotInYear: "Cơ quan, đơn vị không thuộc năm thi đua này.",
  yearOrder: "Năm rời khối phải sau năm gia nhập.",
  alreadyMember: "Cơ quan, đơn vị đang là thành viên của Khối.",
  notMember: "Cơ quan, đơn vị hiện không là thành viên của Khối.",
};
