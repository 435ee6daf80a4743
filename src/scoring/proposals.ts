// Commendation proposals after the vote: the flag, then the certificates of merit, in rank order.
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

function voteFailure(ballot: Ballot | undefined, rule: AwardRule): string | null {
  if (!ballot || ballot.validBallots <= 0) return m.noBallot;
  if (hasVoteShare(ballot.votesFor, ballot.validBallots, rule.voteShare, rule.inclusive)) return null;
  const share = `${rule.voteShare.numerator}/${rule.voteShare.denominator}`;
  return m.votesShort(ballot.votesFor, ballot.validBallots, share, rule.inclusive);
}

/** Why the row does not meet the award's conditions; empty when it does. */
function conditionFailures(row: RankedRow, ballot: Ballot | undefined, rule: AwardRule): string[] {
  const failures: string[] = [];
  if (row.disciplineFlag) failures.push(m.discipline(row.disciplineReason));
  if (!isAtLeast(row.classification, rule.minClassification)) {
    failures.push(m.classificationBelow(row.classification, rule.minClassification));
  }
  const votes = voteFailure(ballot, rule);
  if (votes !== null) failures.push(votes);
  return failures;
}

/** The first `quota` evaluations, in rank order, that meet the award's conditions. */
function pickHolders(evaluations: readonly Evaluation[], award: Award, quota: number): Evaluation[] {
  return evaluations.filter((e) => e.failures[award].length === 0).slice(0, quota);
}

function toProposal(
  holder: Evaluation,
  award: Award,
  ordered: readonly Evaluation[],
  holdersOf: Record<Award, Set<number>>,
): Proposal {
  const above = ordered.slice(0, ordered.indexOf(holder));
  const passedOver: PassedOver[] = above
    .filter((e) => !holdersOf[award].has(e.row.agencyId))
    .map((e) => ({
      agencyId: e.row.agencyId,
      name: e.row.name,
      rank: e.row.rank,
      // A flag holder is not also proposed for merit: say so rather than list conditions it meets.
      reasons:
        award === "merit" && holdersOf.flag.has(e.row.agencyId) ? [m.alreadyProposed("flag")] : e.failures[award],
    }));
  return {
    agencyId: holder.row.agencyId,
    code: holder.row.code,
    name: holder.row.name,
    award,
    rank: holder.row.rank,
    total: holder.row.total,
    votesFor: holder.ballot?.votesFor ?? 0,
    validBallots: holder.ballot?.validBallots ?? 0,
    passedOver,
  };
}

/** Per agency: its award, or every reason it got none (conditions not met, or the quota already used). */
function statusOf(e: Evaluation, holdersOf: Record<Award, Set<number>>, rules: RuleSet): AgencyProposalStatus {
  const id = e.row.agencyId;
  if (holdersOf.flag.has(id)) return { award: "flag", reasons: [] };
  if (holdersOf.merit.has(id)) return { award: "merit", reasons: [] };
  const whyNot = (award: Award) =>
    e.failures[award].length > 0 ? e.failures[award] : [m.quotaFull(award, rules[award].quota)];
  return { award: null, reasons: [...new Set([...whyNot("flag"), ...whyNot("merit")])] };
}

/**
 * Proposes the flag (at most rules.flag.quota agencies) and then the certificates of merit (at most
 * rules.merit.quota further agencies), each to the highest-ranked agencies meeting the award's
 * conditions: classification, no disciplinary flag, vote share. Agencies sharing a rank are considered
 * in their display order.
 */
export function proposeAwards(
  ranked: readonly RankedRow[],
  ballots: readonly Ballot[],
  rules: RuleSet,
): ProposalResult {
  const ballotOf = indexBallots(ballots);
  // Stable sort: rows sharing a rank keep the display order they came in.
  const ordered: Evaluation[] = [...ranked]
    .sort((a, b) => a.rank - b.rank)
    .map((row) => {
      const ballot = ballotOf.get(row.agencyId);
      return {
        row,
        ballot,
        failures: {
          flag: conditionFailures(row, ballot, rules.flag),
          merit: conditionFailures(row, ballot, rules.merit),
        },
      };
    });

  const flagHolders = pickHolders(ordered, "flag", rules.flag.quota);
  const flagIds = new Set(flagHolders.map((e) => e.row.agencyId));
  const meritHolders = pickHolders(
    ordered.filter((e) => !flagIds.has(e.row.agencyId)),
    "merit",
    rules.merit.quota,
  );
  const holdersOf: Record<Award, Set<number>> = {
    flag: flagIds,
    merit: new Set(meritHolders.map((e) => e.row.agencyId)),
  };

  const proposals = [
    ...flagHolders.map((h) => toProposal(h, "flag", ordered, holdersOf)),
    ...meritHolders.map((h) => toProposal(h, "merit", ordered, holdersOf)),
  ];
  const byAgency: Record<number, AgencyProposalStatus> = {};
  for (const e of ordered) byAgency[e.row.agencyId] = statusOf(e, holdersOf, rules);
  return { proposals, byAgency };
}
