// Public API of the scoring rules: pure functions, every number from the year's rule set.
export { AWARD_LABELS, AWARDS, CLASSIFICATION_LABELS, CLASSIFICATIONS } from "./types.js";
export type {
  AgencyProposalStatus,
  Award,
  Ballot,
  Classification,
  CriterionDef,
  CriterionKind,
  GroupResult,
  GroupTotal,
  ItemResult,
  PassedOver,
  Proposal,
  ProposalResult,
  RankCandidate,
  RankedRow,
  RankingResult,
  SheetContext,
  SheetEntry,
  SheetResult,
  SheetStatus,
  TieBreak,
  TieDecision,
  TieOutcome,
  UnrankedRow,
} from "./types.js";
export { DEMO_RULES, RuleSetSchema } from "./rules.js";
export type { AwardRule, RuleSet, VoteShare } from "./rules.js";
export { DEMO_CRITERIA } from "./demo-criteria.js";
export {
  comparePoints,
  formatPoints,
  fromHundredths,
  parsePoints,
  sumPoints,
  toHundredths,
} from "./points.js";
export { checkScale, computeSheet } from "./sheet.js";
export type { ScaleCheck } from "./sheet.js";
export { countLateReports, effectiveDueOn, lateDays, lateReports } from "./deadlines.js";
export type { Deliverable, LateCountOptions, LateReport } from "./deadlines.js";
export { classify, isAtLeast } from "./classify.js";
export { compareForRank, rankAgencies } from "./rank.js";
export type { RankComparison } from "./rank.js";
export { hasVoteShare, maxVotesFor, proposeAwards, shareDenominator } from "./proposals.js";
export { explainAgency, explainedTotal } from "./explain.js";
export type { AwardCheck, ExplainedGroup, ExplainedItem, Explanation, Neighbour } from "./explain.js";
export { mayAnswerObjection, mayReview, reviewerAgency } from "./conflict.js";
export type { BlocLeadership, ReviewDecision, Reviewer } from "./conflict.js";
export { scoreYear } from "./score-year.js";
export type { AgencyYearInput, YearInput, YearResult } from "./score-year.js";
