// Commendation proposals after the vote: the flag, then the certificates of merit, in rank order.
// Nothing here depends on an agency's name, code or id: rows that share a rank are one group, and when
// a group holds more qualifying agencies than the places left, the review meeting decides (TieDecision).
import { isAtLeast } from "./classify.js";
import { messages } from "./messages.js";
import type { AwardRule, RuleSet, VoteShare } from "./rules.js";
import type {
  AgencyProposalStatus,
  Award,
  Ballot,
  PassedOver,
  Proposal,
  ProposalResult,
  RankedRow,
  TieDecision,
  TieOutcome,
} from "./types.js";

const m = messages.proposals;

/** A ranked agency with its ballot and why it fails each award's conditions (empty: it meets them). */
interface Evaluation {
  row: RankedRow;
  ballot: Ballot | undefined;
  failures: Record<Award, string[]>;
}

function indexBallots(ballots: readonly Ballot[]): Map<number, Ballot> {
  const byAgency = new Map<number, Ballot>();
  for (const ballot of ballots) {
    if (byAgency.has(ballot.agencyId)) throw new Error(messages.data.duplicateBallot(ballot.agencyId));
    byAgency.set(ballot.agencyId, ballot);
  }
  return byAgency;
}

/** votesFor/validBallots against the rule's share, exactly: cross-multiplied integers, no division. */
export function hasVoteShare(votesFor: number, validBallots: number, share: VoteShare, inclusive: boolean): boolean {
  if (validBallots <= 0) return false;
  const votes = votesFor * share.denominator;
  const needed = share.numerator * validBallots;
  return inclusive ? votes >= needed : votes > needed;
}

/**
 * The ballots a candidate's share is taken over: all valid ballots, or, when an agency may not vote
 * for itself, the other members' ballots (valid ballots less its own).
 */
export function shareDenominator(validBallots: number, rules: Pick<RuleSet, "allowSelfVote">): number {
  return rules.allowSelfVote ? validBallots : Math.max(0, validBallots - 1);
}

/** The most votes a candidate can receive (a count above it is refused when ballots are recorded). */
export function maxVotesFor(validBallots: number, rules: Pick<RuleSet, "allowSelfVote">): number {
  return shareDenominator(validBallots, rules);
}

function voteFailure(ballot: Ballot | undefined, rule: AwardRule, rules: RuleSet): string | null {
  if (!ballot || ballot.validBallots <= 0) return m.noBallot;
  const over = shareDenominator(ballot.validBallots, rules);
  if (hasVoteShare(ballot.votesFor, over, rule.voteShare, rule.inclusive)) return null;
  const share = `${rule.voteShare.numerator}/${rule.voteShare.denominator}`;
  return m.votesShort(ballot.votesFor, over, share, rule.inclusive, !rules.allowSelfVote);
}

/** Why the row does not meet the award's conditions; empty when it does. */
function conditionFailures(row: RankedRow, ballot: Ballot | undefined, rule: AwardRule, rules: RuleSet): string[] {
  const failures: string[] = [];
  if (row.disciplineFlag) failures.push(m.discipline(row.disciplineReason));
  if (!isAtLeast(row.classification, rule.minClassification)) {
    failures.push(m.classificationBelow(row.classification, rule.minClassification));
  }
  const votes = voteFailure(ballot, rule, rules);
  if (votes !== null) failures.push(votes);
  return failures;
}

const sortedIds = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);
const sameIds = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && sortedIds(a).every((id, i) => id === sortedIds(b)[i]);

/** A decision of the meeting applies only to the very tie it settled (same agencies, same places). */
function decisionFor(decisions: readonly TieDecision[], award: Award, tiedIds: number[], places: number): TieDecision | null {
  return (
    decisions.find(
      (d) =>
        d.award === award &&
        sameIds(d.tiedAgencyIds, tiedIds) &&
        d.chosenAgencyIds.length === places &&
        d.chosenAgencyIds.every((id) => tiedIds.includes(id)),
    ) ?? null
  );
}

interface Allocation {
  holders: Evaluation[];
  tie: TieOutcome | null;
}

/**
 * Gives the award to the qualifying agencies rank by rank while places remain. A rank group with more
 * qualifying agencies than the places left is a tie for the last place(s): nobody gets it by order;
 * the meeting's recorded choice settles it, and without one the places stay open.
 */
function allocate(groups: readonly Evaluation[][], award: Award, quota: number, decisions: readonly TieDecision[]): Allocation {
  const holders: Evaluation[] = [];
  let remaining = quota;
  for (const group of groups) {
    if (remaining <= 0) break;
    const qualifying = group.filter((e) => e.failures[award].length === 0);
    if (qualifying.length <= remaining) {
      holders.push(...qualifying);
      remaining -= qualifying.length;
      continue;
    }
    const agencyIds = sortedIds(qualifying.map((e) => e.row.agencyId));
    const decision = decisionFor(decisions, award, agencyIds, remaining);
    if (decision) holders.push(...qualifying.filter((e) => decision.chosenAgencyIds.includes(e.row.agencyId)));
    return { holders, tie: { award, rank: group[0]!.row.rank, places: remaining, agencyIds, decision } };
  }
  return { holders, tie: null };
}

/** The rows grouped by rank, best first; inside a group the order carries no meaning. */
function rankGroups(evaluations: readonly Evaluation[]): Evaluation[][] {
  const byRank = new Map<number, Evaluation[]>();
  for (const e of evaluations) byRank.set(e.row.rank, [...(byRank.get(e.row.rank) ?? []), e]);
  return [...byRank.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

interface Outcome {
  holdersOf: Record<Award, Set<number>>;
  ties: TieOutcome[];
}

const pendingIn = (tie: TieOutcome | null): number[] => (tie && !tie.decision ? tie.agencyIds : []);

/** Why `e` does not hold `award`: its failed conditions, a higher award, the meeting, or the quota. */
function whyNot(e: Evaluation, award: Award, outcome: Outcome, rules: RuleSet): string[] {
  const id = e.row.agencyId;
  if (e.failures[award].length > 0) return e.failures[award];
  if (award === "merit" && outcome.holdersOf.flag.has(id)) return [m.alreadyProposed("flag")];
  const tie = outcome.ties.find((t) => t.agencyIds.includes(id) && (t.award === award || !t.decision));
  if (tie && !tie.decision) return [m.tiePending(tie.award)];
  if (tie?.decision && tie.award === award) return [m.meetingChoseOther(award, tie.decision.reason)];
  return [m.quotaFull(award, rules[award].quota)];
}

function toProposal(holder: Evaluation, award: Award, ordered: readonly Evaluation[], outcome: Outcome, rules: RuleSet): Proposal {
  const above = ordered.filter(
    (e) => e.row.rank <= holder.row.rank && e !== holder && !outcome.holdersOf[award].has(e.row.agencyId),
  );
  const passedOver: PassedOver[] = above.map((e) => ({
    agencyId: e.row.agencyId,
    name: e.row.name,
    rank: e.row.rank,
    reasons: whyNot(e, award, outcome, rules),
  }));
  const ballot = holder.ballot;
  return {
    agencyId: holder.row.agencyId,
    code: holder.row.code,
    name: holder.row.name,
    award,
    rank: holder.row.rank,
    total: holder.row.total,
    votesFor: ballot?.votesFor ?? 0,
    validBallots: ballot?.validBallots ?? 0,
    shareOver: ballot ? shareDenominator(ballot.validBallots, rules) : 0,
    passedOver,
  };
}

/** Per agency: its award, or every reason it got none (conditions not met, the meeting, the quota). */
function statusOf(e: Evaluation, outcome: Outcome, rules: RuleSet): AgencyProposalStatus {
  const id = e.row.agencyId;
  if (outcome.holdersOf.flag.has(id)) return { award: "flag", reasons: [] };
  if (outcome.holdersOf.merit.has(id)) return { award: "merit", reasons: [] };
  const pending = outcome.ties.find((t) => !t.decision && t.agencyIds.includes(id));
  const reasons = [...new Set([...whyNot(e, "flag", outcome, rules), ...whyNot(e, "merit", outcome, rules)])];
  return pending ? { award: null, reasons, pendingTie: pending.award } : { award: null, reasons };
}

/**
 * Proposes the flag (at most rules.flag.quota agencies) and then the certificates of merit (at most
 * rules.merit.quota further agencies), each to the highest-ranked agencies meeting the award's
 * conditions: classification, no disciplinary flag, vote share. Ties for the last places are left to
 * the meeting (`decisions`); agencies awaiting the meeting for the flag are not considered for merit.
 */
export function proposeAwards(
  ranked: readonly RankedRow[],
  ballots: readonly Ballot[],
  rules: RuleSet,
  decisions: readonly TieDecision[] = [],
): ProposalResult {
  const ballotOf = indexBallots(ballots);
  const ordered: Evaluation[] = [...ranked]
    .sort((a, b) => a.rank - b.rank)
    .map((row) => {
      const ballot = ballotOf.get(row.agencyId);
      return {
        row,
        ballot,
        failures: {
          flag: conditionFailures(row, ballot, rules.flag, rules),
          merit: conditionFailures(row, ballot, rules.merit, rules),
        },
      };
    });

  const flag = allocate(rankGroups(ordered), "flag", rules.flag.quota, decisions);
  const flagIds = new Set(flag.holders.map((e) => e.row.agencyId));
  const awaitingFlag = new Set(pendingIn(flag.tie));
  const merit = allocate(
    rankGroups(ordered.filter((e) => !flagIds.has(e.row.agencyId) && !awaitingFlag.has(e.row.agencyId))),
    "merit",
    rules.merit.quota,
    decisions,
  );
  const outcome: Outcome = {
    holdersOf: { flag: flagIds, merit: new Set(merit.holders.map((e) => e.row.agencyId)) },
    ties: [flag.tie, merit.tie].filter((t): t is TieOutcome => t !== null),
  };

  const proposals = [
    ...flag.holders.map((h) => toProposal(h, "flag", ordered, outcome, rules)),
    ...merit.holders.map((h) => toProposal(h, "merit", ordered, outcome, rules)),
  ];
  const byAgency: Record<number, AgencyProposalStatus> = {};
  for (const e of ordered) byAgency[e.row.agencyId] = statusOf(e, outcome, rules);
  return { proposals, byAgency, ties: outcome.ties };
}
