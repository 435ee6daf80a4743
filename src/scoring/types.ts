// Shared types of the scoring rules. Pure data: no imports from the app.

/** Classification levels, best first. */
export const CLASSIFICATIONS = ["excellent", "good", "pass", "fail"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const CLASSIFICATION_LABELS: Readonly<Record<Classification, string>> = {
  excellent: "Hoàn thành xuất sắc nhiệm vụ",
  good: "Hoàn thành tốt nhiệm vụ",
  pass: "Hoàn thành nhiệm vụ",
  fail: "Không hoàn thành nhiệm vụ",
};

export const AWARDS = ["flag", "merit"] as const;
export type Award = (typeof AWARDS)[number];

export const AWARD_LABELS: Readonly<Record<Award, string>> = {
  flag: "Cờ thi đua của UBND tỉnh",
  merit: "Bằng khen của Chủ tịch UBND tỉnh",
};

// ---------------------------------------------------------------------------
// Score sheet

export type CriterionKind = "standard" | "bonus" | "deduction";

/**
 * One node of the year's criteria tree. Groups have `parentId` null; items point to their group and
 * inherit its kind. For deduction items `maxPoints` is the amount deducted per occurrence.
 */
export interface CriterionDef {
  id: number;
  code: string;
  title: string;
  parentId: number | null;
  kind: CriterionKind;
  maxPoints: number;
  autoSource: "late_reports" | null;
  sortOrder: number;
}

/**
 * An agency's entry for one item. Standard and bonus items use the points; deduction items use the
 * counts (occurrences). The bloc's value, where not null, replaces the agency's own.
 */
export interface SheetEntry {
  criterionId: number;
  selfPoints: number | null;
  blocPoints: number | null;
  selfCount: number | null;
  blocCount: number | null;
  /** The reviewer's written reason for a bloc value that differs (explanations only). */
  blocReason?: string | null;
}

export interface SheetContext {
  /** Number of the year's required reports submitted late (see `countLateReports`). */
  lateReports: number;
}

export interface ItemResult {
  criterionId: number;
  /** The agency's own value as entered (points, or count for deductions); automatic items: the count. */
  selfValue: number | null;
  /** The value that counts: the bloc's where given, else the agency's. */
  finalValue: number | null;
  /** Signed contribution of `finalValue` to the total (clamped; negative for deductions). */
  points: number;
  /** Signed contribution of `selfValue`, for the self-scored total. */
  selfContribution: number;
  /** The bloc gave a value different from the agency's (it needs a written reason). */
  differs: boolean;
}

export interface GroupResult {
  id: number;
  code: string;
  title: string;
  kind: CriterionKind;
  /** Sum of the items' signed contributions from self values (bonus before the cap). */
  selfTotal: number;
  /** Sum of the items' signed contributions from final values (bonus before the cap). */
  finalTotal: number;
}

export interface SheetResult {
  groups: GroupResult[];
  items: ItemResult[];
  standardTotal: number;
  /** Σ bonus items, each clamped to its max, before the cap. */
  bonusRaw: number;
  /** min(bonusRaw, rules.bonusCap). */
  bonusTotal: number;
  /** Σ deductions, as a positive number. */
  deductionTotal: number;
  total: number;
  /** Final total of the first standard group by sortOrder (group I, tie-break 1). */
  groupOneTotal: number;
  /** The total computed from the agency's own values only. */
  selfTotal: number;
}

// ---------------------------------------------------------------------------
// Ranking

export type SheetStatus = "none" | "draft" | "submitted" | "returned" | "reviewed";

export interface GroupTotal {
  code: string;
  total: number;
}

export interface RankCandidate {
  agencyId: number;
  code: string;
  name: string;
  sheetStatus: SheetStatus;
  total: number;
  groupOneTotal: number;
  deductionTotal: number;
  /** ISO timestamp of the score sheet's (last) submission. */
  sheetSubmittedAt: string | null;
  disciplineFlag: boolean;
  disciplineReason: string | null;
  groupTotals: GroupTotal[];
  bonusTotal: number;
}

/** Which tie-break separated a row from the equal-total row displayed just above it. */
export type TieBreak = "group_one" | "deductions" | "submitted_at";

export interface RankedRow extends RankCandidate {
  rank: number;
  classification: Classification;
  tieBreak: TieBreak | null;
  /** Another row has the same rank. */
  shared: boolean;
}

export interface UnrankedRow extends RankCandidate {
  reason: string;
}

export interface RankingResult {
  /** In display order: rank, then name inside a shared rank. */
  ranked: RankedRow[];
  /** Sorted by name. */
  unranked: UnrankedRow[];
}

// ---------------------------------------------------------------------------
// Commendation proposals

export interface Ballot {
  agencyId: number;
  votesFor: number;
  validBallots: number;
}

export interface PassedOver {
  agencyId: number;
  name: string;
  rank: number;
  reasons: string[];
}

export interface Proposal {
  agencyId: number;
  code: string;
  name: string;
  award: Award;
  rank: number;
  total: number;
  votesFor: number;
  validBallots: number;
  /** The ballots its share was taken over: validBallots, less its own when self-votes are off. */
  shareOver: number;
  /** Every agency ranked above (or level with) this one that did not receive this award, and why. */
  passedOver: PassedOver[];
}

export interface AgencyProposalStatus {
  award: Award | null;
  /** Why the agency gets no award (empty when it gets one). */
  reasons: string[];
  /** Tied for the last place of this award: the review meeting decides. */
  pendingTie?: Award;
}

/** The review meeting's choice between agencies tied for the last place(s) of an award. */
export interface TieDecision {
  award: Award;
  /** The qualifying agencies that were tied when the meeting decided. */
  tiedAgencyIds: number[];
  chosenAgencyIds: number[];
  reason: string;
}

/** A tie for the last place(s) of an award: settled by a decision of the meeting, or still open. */
export interface TieOutcome {
  award: Award;
  rank: number;
  /** How many places were left for the tied agencies. */
  places: number;
  agencyIds: number[];
  decision: TieDecision | null;
}

export interface ProposalResult {
  /** Flag proposals first, then merit, each in rank order. */
  proposals: Proposal[];
  byAgency: Record<number, AgencyProposalStatus>;
  /** Ties for the last place of an award; publication waits until each has the meeting's decision. */
  ties: TieOutcome[];
}
