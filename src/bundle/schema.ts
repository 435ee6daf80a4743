// The year bundle: one JSON document holding a bloc's year. This schema IS the format's definition
// (docs/year-bundle.md explains it). Agencies, criteria and periods are referenced by code/number,
// never by database id, so a bundle moves between installations.
import { z } from "zod";
import { RuleSetSchema } from "../scoring/index.js";
import { CODE_RULES } from "../lib/codes.js";

const codeOf = (kind: keyof typeof CODE_RULES) => z.string({ error: "Cần một mã." }).regex(CODE_RULES[kind].pattern, CODE_RULES[kind].message);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** A calendar date 'YYYY-MM-DD'. */
const date = z.string({ error: "Cần một ngày dạng YYYY-MM-DD." }).refine(isRealDate, { error: "Không phải ngày hợp lệ (YYYY-MM-DD)." });
/** An instant in ISO 8601 with its offset, e.g. '2022-12-14T03:05:00.000Z'. */
const instant = z
  .string({ error: "Cần một thời điểm ISO 8601." })
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
    error: "Không phải thời điểm hợp lệ (ISO 8601, ví dụ 2022-12-14T03:05:00.000Z).",
  })
  .transform((s) => new Date(s).toISOString());

/**
 * Points: written as strings with exactly two decimals ("7.50"), the way PostgreSQL's numeric
 * keeps them; numbers (7.5) and strings with fewer decimals are accepted on import and normalised.
 */
const points = z
  .union([z.number(), z.string()], { error: "Cần một số điểm." })
  .transform((v, ctx) => {
    const s = typeof v === "number" ? String(v) : v.trim();
    if (!/^-?\d{1,5}(\.\d{1,2})?$/.test(s)) {
      ctx.addIssue({ code: "custom", message: "Điểm phải là số có tối đa hai chữ số thập phân." });
      return z.NEVER;
    }
    const n = Number(s);
    if (n < 0) {
      ctx.addIssue({ code: "custom", message: "Điểm không được âm." });
      return z.NEVER;
    }
    return n.toFixed(2);
  });

/** An agency's code: the same rule as the web form's. */
const code = codeOf("agency");
const str = (max: number) => z.string().max(max, `Quá dài (tối đa ${max} ký tự).`);
const nullableStr = (max: number) => str(max).nullable();
const count = z.number().int("Cần số nguyên.").min(0, "Không được âm.");
const status = z.enum(["draft", "submitted", "returned", "accepted"]);
const json = z.record(z.string(), z.unknown());

export const BundleAgency = z.object({
  code,
  /** The name the agency had in this year. */
  name: str(200).min(1),
  shortName: str(80).min(1),
  headName: nullableStr(120),
  headPosition: nullableStr(120),
  /** Printed above the agency's name on its own documents; absent in bundles made before it existed. */
  governingBody: nullableStr(200).default(null),
  /** Position in the year's list (1, 2, …). */
  sortOrder: count,
});

export const BundleCampaign = z.object({
  code: codeOf("campaign"),
  kind: z.enum(["annual", "covid19", "new_rural", "poverty", "enterprise", "office_culture", "other"]),
  title: str(500).min(1),
  description: z.string().nullable(),
  startsOn: date.nullable(),
  endsOn: date.nullable(),
  sortOrder: count,
});

export const BundleExtension = z.object({ agency: code, dueOn: date, reason: z.string().min(1, "Cần lý do gia hạn.") });

export const BundlePeriod = z.object({
  number: z.number().int().min(1).max(9),
  kind: z.enum(["six_month", "annual"]),
  title: str(300).min(1),
  startsOn: date,
  endsOn: date,
  dataFrom: date,
  dataTo: date,
  dueOn: date,
  /** 'YYYY-MM' */
  conferenceMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Tháng dạng YYYY-MM.").nullable(),
  locked: z.boolean(),
  extensions: z.array(BundleExtension),
});

export const BundleCriterion = z.object({
  code: codeOf("criterion"),
  /** The group's code; null for a group. */
  parent: codeOf("criterion").nullable(),
  title: z.string().min(1),
  kind: z.enum(["standard", "bonus", "deduction"]),
  maxPoints: points,
  autoSource: z.enum(["late_reports"]).nullable(),
  sortOrder: count,
});

export const BundleRegistration = z.object({
  agency: code,
  status,
  submittedAt: instant.nullable(),
  submittedOn: date.nullable(),
  lateDays: count,
  signerName: nullableStr(120),
  signerPosition: nullableStr(200),
  content: json,
});

export const BundleReport = z.object({
  period: z.number().int(),
  agency: code,
  status,
  submittedAt: instant.nullable(),
  submittedOn: date.nullable(),
  lateDays: count,
  returnComment: z.string().nullable(),
  content: json,
});

export const BundleEntry = z.object({
  criterion: codeOf("criterion"),
  selfPoints: points.nullable(),
  blocPoints: points.nullable(),
  selfCount: count.nullable(),
  blocCount: count.nullable(),
  evidence: z.string().nullable(),
  blocReason: z.string().nullable(),
});

export const BundleScoreSheet = z.object({
  agency: code,
  status: z.enum(["draft", "submitted", "returned", "reviewed"]),
  submittedAt: instant.nullable(),
  submittedOn: date.nullable(),
  lateDays: count,
  reviewedAt: instant.nullable(),
  disciplineFlag: z.boolean(),
  disciplineReason: z.string().nullable(),
  entries: z.array(BundleEntry),
});

export const BundleBallotMeeting = z.object({
  heldOn: date,
  place: str(300).min(1),
  chair: nullableStr(200),
  secretary: nullableStr(200),
  attendees: z.string().nullable(),
  validBallots: count,
});

/** The number and date the secretariat gave one of the year's documents (the register). */
export const BundleDocumentNumber = z.object({
  kind: z.enum(["ranking_summary", "minutes", "proposal_letter"]),
  number: z.string().regex(/^\d{1,6}$/, "Số văn bản gồm 1–6 chữ số.").nullable(),
  issuedOn: date.nullable(),
});

export const BundleVote = z.object({ agency: code, votesFor: count, validBallots: count });

/** The review meeting's choice between agencies tied for the last place(s) of an award (issue 14). */
export const BundleTieDecision = z.object({
  award: z.enum(["flag", "merit"]),
  tied: z.array(code).min(2),
  chosen: z.array(code).min(1),
  reason: str(2000).min(1),
});

export const YearBundleSchema = z.object({
  format: z.literal("thidua-year-bundle"),
  version: z.literal(1),
  bloc: z.object({
    code: codeOf("bloc"),
    name: str(200).min(1),
    kind: z.enum(["bloc", "cluster"]),
    issuingBody: str(200).min(1),
    shortName: str(60).min(1),
    placeName: str(100).min(1),
  }),
  year: z.object({
    year: z.number().int().min(2000).max(2100),
    theme: z.string().nullable(),
    planNumber: nullableStr(60),
    planDate: date.nullable(),
    planSignerName: nullableStr(120),
    planSignerPosition: nullableStr(200),
    headAgency: code.nullable(),
    deputyAgency: code.nullable(),
    registrationDueOn: date.nullable(),
    rankingPublishedAt: instant.nullable(),
    rules: RuleSetSchema,
  }),
  agencies: z.array(BundleAgency),
  campaigns: z.array(BundleCampaign),
  periods: z.array(BundlePeriod),
  criteria: z.array(BundleCriterion),
  registrations: z.array(BundleRegistration),
  reports: z.array(BundleReport),
  scoreSheets: z.array(BundleScoreSheet),
  ballotMeeting: BundleBallotMeeting.nullable(),
  votes: z.array(BundleVote),
  /** Absent in bundles made before the register existed. */
  documents: z.array(BundleDocumentNumber).default([]),
  /** Optional in version 1: bundles written before ties were recorded have none. */
  tieDecisions: z.array(BundleTieDecision).optional().default([]),
});

export type YearBundle = z.infer<typeof YearBundleSchema>;
/** What an export produces (the same shape, before any import normalisation). */
export type YearBundleInput = z.input<typeof YearBundleSchema>;
