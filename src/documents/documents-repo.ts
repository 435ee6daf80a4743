import type { Knex } from "knex";

export interface DocumentYearInfo {
  planNumber: string | null;
  planDate: string | null;
  planSignerName: string | null;
  planSignerPosition: string | null;
}

export interface MeetingRecord {
  heldOn: string;
  place: string;
  chair: string | null;
  secretary: string | null;
  attendees: string | null;
  validBallots: number;
}

/** What the printed documents need beyond the ranking: the signer, the review meeting and its votes. */
export function documentsRepo(db: Knex) {
  return {
    async yearInfo(yearId: number): Promise<DocumentYearInfo> {
      const row: { plan_number: string | null; plan_date: string | null; plan_signer_name: string | null; plan_signer_position: string | null } | undefined =
        await db("emulation_years").where({ id: yearId }).first("plan_number", "plan_date", "plan_signer_name", "plan_signer_position");
      return { planNumber: row?.plan_number ?? null, planDate: row?.plan_date ?? null, planSignerName: row?.plan_signer_name ?? null, planSignerPosition: row?.plan_signer_position ?? null };
    },
    async meeting(yearId: number): Promise<MeetingRecord | null> {
      const row: { held_on: string; place: string; chair: string | null; secretary: string | null; attendees: string | null; valid_ballots: number } | undefined =
        await db("ballot_meetings").where({ year_id: yearId }).first("held_on", "place", "chair", "secretary", "attendees", "valid_ballots");
      return row
        ? { heldOn: row.held_on, place: row.place, chair: row.chair, secretary: row.secretary, attendees: row.attendees, validBallots: row.valid_ballots }
        : null;
    },
    async votes(yearId: number): Promise<{ agencyId: number; votesFor: number; validBallots: number }[]> {
      const rows: { agency_id: number; votes_for: number; valid_ballots: number }[] = await db("votes").where({ year_id: yearId });
      return rows.map((r) => ({ agencyId: r.agency_id, votesFor: r.votes_for, validBallots: r.valid_ballots }));
    },
  };
}

export type DocumentsRepo = ReturnType<typeof documentsRepo>;
