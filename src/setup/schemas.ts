import { z } from "zod";
import { CODE_RULES } from "../lib/codes.js";
import { FormId, optionalText } from "../web/params.js";
import { parseVnDate } from "../lib/dates.js";
import { parsePoints, RuleSetSchema, CLASSIFICATIONS } from "../scoring/index.js";
import { CAMPAIGN_KINDS, CRITERION_KINDS, PERIOD_KINDS } from "./labels.js";

// Form fields arrive as strings; each parser turns them into typed values with a Vietnamese message.

const text = (label: string, max: number) =>
  z.string({ error: `Vui lòng nhập ${label}.` }).trim().min(1, `Vui lòng nhập ${label}.`).max(max, `${label[0]!.toUpperCase()}${label.slice(1)} quá dài (tối đa ${max} ký tự).`);

/** 'dd/mm/yyyy' → 'YYYY-MM-DD'. */
export const vnDate = (label: string) =>
  z
    .string({ error: `Vui lòng nhập ${label}.` })
    .trim()
    .min(1, `Vui lòng nhập ${label}.`)
    .transform((v, ctx) => {
      const iso = parseVnDate(v);
      if (!iso) {
        ctx.addIssue({ code: "custom", message: `${label[0]!.toUpperCase()}${label.slice(1)} không phải ngày hợp lệ (dd/mm/yyyy).` });
        return z.NEVER;
      }
      return iso;
    });

export const optionalVnDate = (label: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").trim();
      if (s === "") return null;
      const iso = parseVnDate(s);
      if (!iso) {
        ctx.addIssue({ code: "custom", message: `${label[0]!.toUpperCase()}${label.slice(1)} không phải ngày hợp lệ (dd/mm/yyyy).` });
        return z.NEVER;
      }
      return iso;
    });

/** "7,5" / "7.5" → 7.5, not negative. */
export const pointsText = (label: string) =>
  z.string({ error: `Vui lòng nhập ${label}.` }).transform((v, ctx) => {
    const p = parsePoints(v);
    if (p === null) {
      ctx.addIssue({ code: "custom", message: `${label[0]!.toUpperCase()}${label.slice(1)} phải là số, tối đa hai chữ số thập phân (ví dụ 7,5).` });
      return z.NEVER;
    }
    if (p < 0) {
      ctx.addIssue({ code: "custom", message: `${label[0]!.toUpperCase()}${label.slice(1)} không được âm.` });
      return z.NEVER;
    }
    return p;
  });

const wholeText = (label: string, min = 0) =>
  z.string({ error: `Vui lòng nhập ${label}.` }).transform((v, ctx) => {
    const s = v.trim();
    if (!/^\d{1,6}$/.test(s) || Number(s) < min) {
      ctx.addIssue({ code: "custom", message: `${label[0]!.toUpperCase()}${label.slice(1)} phải là số nguyên${min > 0 ? ` từ ${min} trở lên` : " không âm"}.` });
      return z.NEVER;
    }
    return Number(s);
  });

const optionalId = z
  .union([z.literal(""), FormId])
  .optional()
  .transform((v) => (v === "" || v === undefined ? null : v));

const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => v !== undefined && v !== "");

export { YearParam, NumberParam, IdParam, CodeParam } from "../web/params.js";

export const YearForm = z
  .object({
    planNumber: optionalText(60),
    planDate: optionalVnDate("ngày kế hoạch"),
    planSignerName: optionalText(120),
    planSignerPosition: optionalText(200),
    theme: optionalText(2000),
    headAgencyId: optionalId,
    deputyAgencyId: optionalId,
    registrationDueOn: optionalVnDate("hạn đăng ký thi đua"),
  })
  .superRefine((v, ctx) => {
    if (v.headAgencyId !== null && v.headAgencyId === v.deputyAgencyId) {
      ctx.addIssue({ code: "custom", path: ["deputyAgencyId"], message: "Phó Trưởng khối phải khác cơ quan Trưởng khối." });
    }
  });
export type YearInput = z.infer<typeof YearForm>;

function datesInOrder(from: string | null, to: string | null, path: string, message: string, ctx: z.RefinementCtx) {
  if (from && to && to <= from) ctx.addIssue({ code: "custom", path: [path], message });
}

export const CampaignForm = z
  .object({
    kind: z.enum(CAMPAIGN_KINDS, "Vui lòng chọn loại phong trào."),
    code: z.string().trim().regex(CODE_RULES.campaign.pattern, CODE_RULES.campaign.message),
    title: text("tên phong trào", 500),
    description: optionalText(5000),
    startsOn: optionalVnDate("ngày bắt đầu"),
    endsOn: optionalVnDate("ngày kết thúc"),
    sortOrder: wholeText("thứ tự"),
  })
  .superRefine((v, ctx) => {
    if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "Ngày kết thúc phải sau ngày bắt đầu." });
  });
export type CampaignInput = z.infer<typeof CampaignForm>;

/** 'mm/yyyy' → 'YYYY-MM'. */
const conferenceMonth = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const s = (v ?? "").trim();
    if (s === "") return null;
    const m = /^(\d{1,2})\s*\/\s*(\d{4})$/.exec(s);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) {
      ctx.addIssue({ code: "custom", message: "Tháng hội nghị ghi theo dạng mm/yyyy (ví dụ 07/2022)." });
      return z.NEVER;
    }
    return `${m[2]}-${m[1]!.padStart(2, "0")}`;
  });

export const PeriodForm = z
  .object({
    kind: z.enum(PERIOD_KINDS, "Vui lòng chọn loại đợt."),
    title: text("tên đợt", 300),
    startsOn: vnDate("ngày bắt đầu đợt"),
    endsOn: vnDate("ngày kết thúc đợt"),
    dataFrom: vnDate("ngày bắt đầu tính số liệu"),
    dataTo: vnDate("ngày kết thúc tính số liệu"),
    dueOn: vnDate("hạn gửi báo cáo"),
    conferenceMonth,
  })
  .superRefine((v, ctx) => {
    datesInOrder(v.startsOn, v.endsOn, "endsOn", "Ngày kết thúc đợt phải sau ngày bắt đầu.", ctx);
    datesInOrder(v.dataFrom, v.dataTo, "dataTo", "Ngày kết thúc tính số liệu phải sau ngày bắt đầu.", ctx);
  });
export type PeriodInput = z.infer<typeof PeriodForm>;

export const ExtensionForm = z.object({
  agencyId: z.coerce.number({ error: "Vui lòng chọn cơ quan, đơn vị." }).int("Vui lòng chọn cơ quan, đơn vị.").positive("Vui lòng chọn cơ quan, đơn vị."),
  dueOn: vnDate("hạn mới"),
  reason: text("lý do gia hạn", 2000),
});
export type ExtensionInput = z.infer<typeof ExtensionForm>;

export const CriterionForm = z.object({
  parentId: optionalId,
  code: z.string().trim().regex(CODE_RULES.criterion.pattern, CODE_RULES.criterion.message),
  title: text("nội dung tiêu chí", 2000),
  kind: z.enum(CRITERION_KINDS, "Vui lòng chọn loại tiêu chí."),
  maxPoints: pointsText("điểm tối đa"),
  sortOrder: wholeText("thứ tự"),
});
export type CriterionInput = z.infer<typeof CriterionForm>;

const classification = z.enum(CLASSIFICATIONS, "Vui lòng chọn mức xếp loại.");

/** The rule set form, flat; turned into a RuleSet and checked again by RuleSetSchema. */
export const RulesForm = z
  .object({
    scale: pointsText("thang điểm"),
    bonusCap: pointsText("điểm thưởng tối đa"),
    thresholdExcellent: pointsText("ngưỡng Hoàn thành xuất sắc"),
    thresholdGood: pointsText("ngưỡng Hoàn thành tốt"),
    thresholdPass: pointsText("ngưỡng Hoàn thành nhiệm vụ"),
    disciplineCap: classification,
    flagQuota: wholeText("số lượng Cờ thi đua"),
    flagMinClassification: classification,
    flagNumerator: wholeText("tử số"),
    flagDenominator: wholeText("mẫu số", 1),
    flagInclusive: checkbox,
    meritQuota: wholeText("số lượng Bằng khen"),
    meritMinClassification: classification,
    meritNumerator: wholeText("tử số"),
    meritDenominator: wholeText("mẫu số", 1),
    meritInclusive: checkbox,
    allowSelfVote: checkbox,
    lateReportPoints: pointsText("điểm trừ mỗi báo cáo chậm"),
    requiredReviewed: checkbox,
    objectionDays: wholeText("số ngày nhận kiến nghị"),
    headMayRepeat: checkbox,
    // "7, 1": the days before a due date at which agencies are reminded.
    reminderDays: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const parts = (v ?? "").split(/[,;\s]+/).filter(Boolean);
        if (!parts.every((p) => /^\d{1,2}$/.test(p))) {
          ctx.addIssue({ code: "custom", message: "Nhập các số ngày nhắc trước hạn, cách nhau bằng dấu phẩy (ví dụ: 7, 1)." });
          return z.NEVER;
        }
        return parts.length ? parts.map(Number) : undefined;
      }),
  })
  .transform((v): z.input<typeof RuleSetSchema> => ({
    scale: v.scale,
    bonusCap: v.bonusCap,
    thresholds: { excellent: v.thresholdExcellent, good: v.thresholdGood, pass: v.thresholdPass },
    disciplineCap: v.disciplineCap,
    flag: { quota: v.flagQuota, minClassification: v.flagMinClassification, voteShare: { numerator: v.flagNumerator, denominator: v.flagDenominator }, inclusive: v.flagInclusive },
    merit: { quota: v.meritQuota, minClassification: v.meritMinClassification, voteShare: { numerator: v.meritNumerator, denominator: v.meritDenominator }, inclusive: v.meritInclusive },
    allowSelfVote: v.allowSelfVote,
    lateReportPoints: v.lateReportPoints,
    requiredReviewed: v.requiredReviewed,
    objectionDays: v.objectionDays,
    headMayRepeat: v.headMayRepeat,
    ...(v.reminderDays ? { reminderDays: v.reminderDays } : {}),
  }))
  .pipe(RuleSetSchema);

/** RuleSetSchema paths → the flat form's field names. */
export const RULE_FIELD_BY_PATH: Record<string, string> = {
  "thresholds.excellent": "thresholdExcellent",
  "thresholds.good": "thresholdGood",
  "thresholds.pass": "thresholdPass",
  "flag.quota": "flagQuota",
  "flag.minClassification": "flagMinClassification",
  "flag.voteShare.numerator": "flagNumerator",
  "flag.voteShare.denominator": "flagDenominator",
  "merit.quota": "meritQuota",
  "merit.minClassification": "meritMinClassification",
  "merit.voteShare.numerator": "meritNumerator",
  "merit.voteShare.denominator": "meritDenominator",
};

/** Field errors keyed by form field name, whatever the depth of the zod path. */
export function formErrors(error: z.ZodError, byPath: Record<string, string> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const joined = issue.path.map(String).join(".");
    const key = byPath[joined] ?? (joined || "form");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
