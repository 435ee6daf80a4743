import type { Knex } from "knex";

export interface MeetingInput {
  heldOn: string;
  place: string;
  validBallots: number;
  /** "Họ và tên — Chức vụ" of who chaired and who took the minutes; who attended. Null: not recorded. */
  chair: string | null;
  secretary: string | null;
  attendees: string | null;
}

interface MeetingRow {
  held_on: string;
  place: string;
  valid_ballots: number;
  chair: string | null;
  secretary: string | null;
  attendees: string | null;
  version: number;
}

export function ballotsRepo(db: Knex) {
  return {
    async meeting(yearId: number) {
      const row: MeetingRow | undefined = await db("ballot_meetings")
        .where({ year_id: yearId })
        .first("held_on", "place", "valid_ballots", "chair", "secretary", "attendees", "version");
      return row
        ? { heldOn: row.held_on, place: row.place, validBallots: row.valid_ballots, chair: row.chair, secretary: row.secretary, attendees: row.attendees, version: row.version }
        : null;
    },
    /** Who last recorded the ballots and when (from the audit log), for the conflict message. */
    async lastChange(yearId: number): Promise<{ by: string; at: Date } | null> {
      const row = await db("audit_log as l")
        .leftJoin("users as u", "u.id", "l.user_id")
        .where({ "l.action": "ballots.save", "l.entity_id": String(yearId) })
        .orderBy("l.id", "desc")
        .first("u.full_name", "l.username", "l.at");
      return row ? { by: row.full_name ?? row.username ?? "người khác", at: row.at } : null;
    },
    async votes(yearId: number): Promise<{ agencyId: number; votesFor: number }[]> {
      const rows: { agency_id: number; votes_for: number }[] = await db("votes").where({ year_id: yearId });
      return rows.map((r) => ({ agencyId: r.agency_id, votesFor: r.votes_for }));
    },
    /**
     * Replaces the year's meeting and votes (one row per candidate with a number), only when the
     * meeting is still at `expectedVersion` (null: no meeting yet). False = someone saved in between;
     * nothing was written.
     */
    async save(trx: Knex, yearId: number, expectedVersion: number | null, meeting: MeetingInput, votes: { agencyId: number; votesFor: number }[]): Promise<boolean> {
      const fields = {
        held_on: meeting.heldOn,
        place: meeting.place,
        valid_ballots: meeting.validBallots,
        chair: meeting.chair,
        secretary: meeting.secretary,
        attendees: meeting.attendees,
      };
      if (expectedVersion === null) {
        const inserted = await trx("ballot_meetings").insert({ year_id: yearId, ...fields }).onConflict("year_id").ignore().returning("id");
        if (inserted.length !== 1) return false;
      } else {
        const n = await trx("ballot_meetings")
          .where({ year_id: yearId, version: expectedVersion })
          .update({ ...fields, version: trx.raw("version + 1"), updated_at: trx.fn.now() });
        if (Number(n) !== 1) return false;
      }
      await trx("votes").where({ year_id: yearId }).del();
      if (votes.length) {
        await trx("votes").insert(
          votes.map((v) => ({ year_id: yearId, agency_id: v.agencyId, votes_for: v.votesFor, valid_ballots: meeting.validBallots })),
        );
      }
      return true;
    },
  };
}

export type BallotsRepo = ReturnType<typeof ballotsRepo>;
