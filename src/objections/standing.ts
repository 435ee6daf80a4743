// Whether a published ranking is still provisional (objections may come or wait for an answer) or
// final. Pure: the clock and the year's objections are passed in.
import { addDays, localDate } from "../lib/dates.js";

export type RankingStanding = "unpublished" | "provisional" | "final";

export interface StandingInput {
  publishedAt: Date | null;
  /** The year's rule `objectionDays`. */
  objectionDays: number;
  now: Date;
  /** Objections still waiting for the secretariat's answer. */
  pending: number;
  /** Objections accepted since the last publication whose ranking the leader has not reopened yet. */
  awaitingReopen: number;
}

export interface Standing {
  state: RankingStanding;
  /** Last day (Vietnam time, 'YYYY-MM-DD') on which objections are received; null before publication or with no window. */
  windowEndsOn: string | null;
  windowOpen: boolean;
  pending: number;
  awaitingReopen: number;
}

/**
 * The window runs from the day of publication to the end of its `objectionDays`-th day after it
 * (published 16/01 with 5 days: objections until 21/01 inclusive); 0 days: no window. The ranking
 * is final once the window has closed and every objection is answered (an accepted one: once the
 * ranking was reopened for it, which unpublishes it).
 */
export function rankingStanding(i: StandingInput): Standing {
  if (!i.publishedAt) return { state: "unpublished", windowEndsOn: null, windowOpen: false, pending: i.pending, awaitingReopen: i.awaitingReopen };
  const windowEndsOn = i.objectionDays > 0 ? addDays(localDate(i.publishedAt), i.objectionDays) : null;
  const windowOpen = windowEndsOn !== null && localDate(i.now) <= windowEndsOn;
  const final = !windowOpen && i.pending === 0 && i.awaitingReopen === 0;
  return { state: final ? "final" : "provisional", windowEndsOn, windowOpen, pending: i.pending, awaitingReopen: i.awaitingReopen };
}
