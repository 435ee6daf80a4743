// The year's rule set: every number the scoring rules use. Stored with the year and shown on the
// ranking page; DEMO_RULES holds the demo bloc's defaults (seeds and tests only).
import { z } from "zod";
import { messages } from "./messages.js";
import { hasAtMostTwoDecimals } from "./points.js";
import { CLASSIFICATIONS } from "./types.js";

const m = messages.rules;

function pointsField(label: string) {
  return z
    .number({ error: m.notANumber(label) })
    .min(0, { error: m.negative(label) })
    .refine(hasAtMostTwoDecimals, { error: m.tooManyDecimals(label) });
}

function wholeNumberField(label: string) {
  return z
    .number({ error: m.notANumber(label) })
    .int({ error: m.notAnInteger(label) })
    .min(0, { error: m.negative(label) });
}

function booleanField(label: string) {
  return z.boolean({ error: m.notABoolean(label) });
}

const ClassificationSchema = z.enum(CLASSIFICATIONS, { error: m.invalidClassification });

const ThresholdsSchema = z
  .object({
    excellent: pointsField("Ngưỡng Hoàn thành xuất sắc nhiệm vụ"),
    good: pointsField("Ngưỡng Hoàn thành tốt nhiệm vụ"),
    pass: pointsField("Ngưỡng Hoàn thành nhiệm vụ"),
  })
  .refine((t) => t.excellent >= t.good, { error: m.goodAboveExcellent, path: ["good"] })
  .refine((t) => t.good >= t.pass, { error: m.passAboveGood, path: ["pass"] });

/** A share of the valid ballots, e.g. 2/3. */
const VoteShareSchema = z
  .object({
    numerator: wholeNumberField("Tử số của tỷ lệ phiếu"),
    denominator: wholeNumberField("Mẫu số của tỷ lệ phiếu").min(1, { error: m.denominatorPositive }),
  })
  .refine((s) => s.numerator <= s.denominator, {
    error: m.numeratorAboveDenominator,
    path: ["numerator"],
  });

function awardRuleSchema(awardLabel: string) {
  return z.object({
    /** At most this many agencies per bloc. */
    quota: wholeNumberField(`Số lượng đề nghị ${awardLabel}`),
    /** The lowest classification that may receive the award. */
    minClassification: ClassificationSchema,
    voteShare: VoteShareSchema,
    /** true: share ≥ numerator/denominator; false: share > numerator/denominator. */
    inclusive: booleanField(`Cách so tỷ lệ phiếu (${awardLabel})`),
  });
}

export const RuleSetSchema = z.object({
  /** Sum of the standard items' maxima. */
  scale: pointsField("Thang điểm"),
  /** The bonus points counted at most. */
  bonusCap: pointsField("Điểm thưởng tối đa"),
  /** Inclusive lower bounds of the classifications. */
  thresholds: ThresholdsSchema,
  /** The classification an agency with the disciplinary flag is capped at. */
  disciplineCap: ClassificationSchema,
  flag: awardRuleSchema("Cờ thi đua"),
  merit: awardRuleSchema("Bằng khen"),
  /** Whether an agency may vote for itself (checked where ballots are recorded). */
  allowSelfVote: booleanField("Cho phép tự bỏ phiếu cho đơn vị mình"),
  /** Points deducted per required report submitted late. */
  lateReportPoints: pointsField("Điểm trừ mỗi báo cáo gửi chậm"),
  /** Only sheets that are submitted and reviewed are ranked (false: submitted is enough). */
  requiredReviewed: booleanField("Chỉ xếp hạng bảng điểm đã được Khối thẩm định"),
  /** Days before a due date at which agencies are reminded; absent: 7 and 1 (notifications/reminders.ts). */
  reminderDays: z
    .array(wholeNumberField("Số ngày nhắc trước hạn").max(60, { error: "Số ngày nhắc trước hạn không quá 60 ngày." }))
    .max(5, { error: "Nhắc trước hạn nhiều nhất 5 lần." })
    .optional(),
  /** Days after publication during which a member agency may object (kiến nghị); absent: 5. */
  objectionDays: wholeNumberField("Số ngày nhận kiến nghị sau khi công bố")
    .max(60, { error: "Thời hạn nhận kiến nghị không quá 60 ngày." })
    .default(5),
  /** Whether the same agency may head the bloc two years running; absent: no. */
  headMayRepeat: booleanField("Cho phép một cơ quan làm Trưởng khối hai năm liền").default(false),
});

export type RuleSet = z.infer<typeof RuleSetSchema>;
export type AwardRule = RuleSet["flag"];
export type VoteShare = AwardRule["voteShare"];

/** The demo bloc's defaults (domain/scoring-rules.md). Seeds and tests only. */
export const DEMO_RULES: RuleSet = {
  scale: 100,
  bonusCap: 5,
  thresholds: { excellent: 95, good: 80, pass: 50 },
  disciplineCap: "pass",
  flag: {
    quota: 1,
    minClassification: "excellent",
    voteShare: { numerator: 2, denominator: 3 },
    inclusive: true,
  },
  merit: {
    quota: 2,
    minClassification: "good",
    voteShare: { numerator: 1, denominator: 2 },
    inclusive: false,
  },
  allowSelfVote: true,
  lateReportPoints: 1,
  requiredReviewed: true,
  objectionDays: 5,
  headMayRepeat: false,
};
