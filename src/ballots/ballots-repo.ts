import type { Knex } from "knex";

export interface MeetingInput {
  heldOn: string;
  place: string;
  validBallots: number;
}

export function ballotsRepo(db: Knex) {
  return {
    async meeting(yearId: number) {
      const row: { held_on: string; place: string; valid_ballots: number } | undefined = await db("ballot_meetings")
        .where({ year_id: yearId })
        .first("held_on", "place", "valid_ballots");
      return row ? { heldOn: row.held_on, place: row.place, validBallots: row.valid_ballots } : null;
    },
    async votes(yearId: number): Promise<{ agencyId: number; votesFor: number }[]> {
      const rows: { agency_id: number; votes_for: number }[] = await db("votes").where({ year_id: yearId });
      return rows.map((r) => ({ agencyId: r.agency_id, votesFor: r.votes_for }));
    },
    /** Replaces the year's meeting and votes (one row per candidate with a number). */
    async save(trx: Knex, yearId: number, meeting: MeetingInput, votes: { agencyId: number; votesFor: number }[]): Promise<void> {
      await trx("ballot_meetings")
        .insert({ year_id: yearId, held_on: meeting.heldOn, place: meeting.place, valid_ballots: meeting.validBallots })
        .onConflict("year_id")
        .merge({ held_on: meeting.heldOn, place: meeting.place, valid_ballots: meeting.validBallots, updated_at: trx.fn.now() });
      await trx("votes").where({ year_id: yearId }).del();
      if (votes.length) {
        await trx("votes").insert(
          votes.map((v) => ({ year_id: yearId, agency_id: v.agencyId, votes_for: v.votesFor, valid_ballots: meeting.validBallots })),
        );
      }
    },
  };
}

export type BallotsRepo = ReturnType<typeof ballotsRepo>;
