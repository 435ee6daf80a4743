import { reviewsForAgency } from "../auth/access.js";
// Conflict of interest (scoring-rules.md, "Around the numbers"): nobody reviews the sheet, or accepts
// the reports, of their own agency. Pure: the caller gives the reviewer's agency and the year's head
// and deputy.

export interface BlocLeadership {
  headAgencyId: number | null;
  deputyAgencyId: number | null;
}

export interface Reviewer {
  role: string;
  /** The agency a secretariat account belongs to; null counts as the head's (the head's office). */
  agencyId: number | null;
}

export type ReviewDecision =
  | { allowed: true }
  /** `mustReview`: the agency whose secretariat must review instead (null: not set up for the year). */
  | { allowed: false; cause: "own_agency" | "head_needs_deputy"; mustReview: number | null };

/** The agency a reviewer acts for: their own, or the head's when a secretariat account has none. */
export function reviewerAgency(reviewer: Reviewer, bloc: BlocLeadership): number | null {
  if (!reviewsForAgency(reviewer.role)) return null;
  return reviewer.agencyId ?? bloc.headAgencyId;
}

/**
 * Who may review `agencyId`'s sheet or accept its reports. The head's own sheet only the deputy's
 * secretariat reviews; any other agency's sheet any reviewer not belonging to it (admins stand in).
 */
export function mayReview(reviewer: Reviewer, agencyId: number, bloc: BlocLeadership): ReviewDecision {
  const acting = reviewerAgency(reviewer, bloc);
  if (bloc.headAgencyId !== null && agencyId === bloc.headAgencyId) {
    const isDeputy = reviewsForAgency(reviewer.role) && acting !== null && acting === bloc.deputyAgencyId;
    return isDeputy ? { allowed: true } : { allowed: false, cause: "head_needs_deputy", mustReview: bloc.deputyAgencyId };
  }
  if (acting !== null && acting === agencyId) return { allowed: false, cause: "own_agency", mustReview: bloc.headAgencyId };
  return { allowed: true };
}

export type AnswerDecision = { allowed: true } | { allowed: false; ownAgency: number };

/**
 * Who may answer an objection (kiến nghị): nobody acting for the agency that filed it, nor for the
 * agency whose result it disputes — the same rule as reviewing, applied to both sides. An admin acts
 * for no agency and stands in.
 */
export function mayAnswerObjection(reviewer: Reviewer, objection: { filedBy: number; about: number }, bloc: BlocLeadership): AnswerDecision {
  const acting = reviewerAgency(reviewer, bloc);
  if (acting !== null && (acting === objection.filedBy || acting === objection.about)) return { allowed: false, ownAgency: acting };
  return { allowed: true };
}
