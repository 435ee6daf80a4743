// Every user-facing string of the scoring rules, in one place.
import { AWARD_LABELS, CLASSIFICATION_LABELS } from "./types.js";
import type { Award, Classification, SheetStatus } from "./types.js";

export const messages = {
  rules: {
    notANumber: (label: string) => `${label} phải là một số`,
    negative: (label: string) => `${label} không được nhỏ hơn 0`,
    tooManyDecimals: (label: string) => `${label} chỉ được có tối đa hai chữ số thập phân`,
    notAnInteger: (label: string) => `${label} phải là số nguyên`,
    denominatorPositive: "Mẫu số của tỷ lệ phiếu phải lớn hơn 0",
    numeratorAboveDenominator: "Tử số của tỷ lệ phiếu không được lớn hơn mẫu số",
    goodAboveExcellent:
      "Ngưỡng Hoàn thành tốt nhiệm vụ không được cao hơn ngưỡng Hoàn thành xuất sắc nhiệm vụ",
    passAboveGood: "Ngưỡng Hoàn thành nhiệm vụ không được cao hơn ngưỡng Hoàn thành tốt nhiệm vụ",
    invalidClassification: "Mức xếp loại không hợp lệ",
    notABoolean: (label: string) => `${label} phải là có hoặc không`,
  },

  unranked: {
    none: "Chưa nộp bảng chấm điểm",
    draft: "Bảng chấm điểm chưa được gửi",
    submitted: "Bảng chấm điểm chưa được Khối thẩm định",
    returned: "Bảng chấm điểm bị trả lại, chưa gửi lại",
  } satisfies Record<Exclude<SheetStatus, "reviewed">, string>,

  proposals: {
    classificationBelow: (actual: Classification, required: Classification) =>
      `Xếp loại ${CLASSIFICATION_LABELS[actual]}, chưa đạt ${CLASSIFICATION_LABELS[required]}`,
    discipline: (reason: string | null) =>
      // Trailing punctuation dropped: reasons are joined with "; " and must not read ".;".
      reason && reason.trim() !== "" ? `Có vi phạm kỷ luật: ${reason.trim().replace(/[.;,\s]+$/u, "")}` : "Có vi phạm kỷ luật",
    noBallot: "Chưa có kết quả bỏ phiếu",
    votesShort: (votesFor: number, over: number, share: string, inclusive: boolean, selfExcluded = false) => {
      const ballots = selfExcluded ? "số phiếu hợp lệ của các đơn vị khác" : "số phiếu hợp lệ";
      return inclusive
        ? `Đạt ${votesFor}/${over} phiếu, chưa đủ ${share} ${ballots}`
        : `Đạt ${votesFor}/${over} phiếu, chưa đạt quá ${share} ${ballots}`;
    },
    tiePending: (award: Award) => `Đồng hạng — Hội nghị quyết định (${AWARD_LABELS[award]})`,
    meetingChoseOther: (award: Award, reason: string) =>
      `Đồng hạng; Hội nghị chọn đơn vị khác để đề nghị ${AWARD_LABELS[award]}: ${reason.trim().replace(/[.;]+$/, "")}`,
    alreadyProposed: (award: Award) => `Đã được đề nghị ${AWARD_LABELS[award]}`,
    quotaFull: (award: Award, quota: number) =>
      `Đã đủ số lượng đề nghị ${AWARD_LABELS[award]} (${quota} đơn vị)`,
  },

  // Errors for inconsistent input data (a bug upstream, not a user mistake).
  data: {
    orphanItem: (code: string) => `Tiêu chí ${code} thuộc một nhóm không tồn tại`,
    nestedItem: (code: string) => `Tiêu chí ${code} lồng quá hai cấp (nhóm → tiêu chí)`,
    duplicateEntry: (criterionId: number) => `Có hai dòng điểm cho cùng tiêu chí ${criterionId}`,
    duplicateBallot: (agencyId: number) => `Có hai kết quả bỏ phiếu cho cùng đơn vị ${agencyId}`,
    invalidDate: (text: string) => `Ngày không hợp lệ: "${text}" (cần dạng YYYY-MM-DD)`,
    invalidPoints: (value: number) => `Số điểm không hợp lệ: ${value}`,
  },
} as const;
