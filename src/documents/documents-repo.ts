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

/** The documents the secretariat numbers and dates for a year. */
export const REGISTER_KINDS = ["ranking_summary", "minutes", "proposal_letter"] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];

export interface RegisterEntry {
  kind: RegisterKind;
  number: string | null;
  issuedOn: string | null;
  updatedAt: Date;
}

export interface AgencyLetterhead {
  governingBody: string | null;
  headName: string | null;
  headPosition: string | null;
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
    /** The numbers and dates set for the year's documents (kinds never set are absent). */
    async register(yearId: number): Promise<RegisterEntry[]> {
      const rows: { kind: RegisterKind; number: string | null; issued_on: string | null; updated_at: Date }[] = await db("document_numbers")
        .where({ year_id: yearId })
        .select("kind", "number", "issued_on", "updated_at");
      return rows.map((r) => ({ kind: r.kind, number: r.number, issuedOn: r.issued_on, updatedAt: r.updated_at }));
    },
    async saveRegisterEntry(trx: Knex, yearId: number, entry: { kind: RegisterKind; number: string | null; issuedOn: string | null }, userId: number): Promise<void> {
      await trx("document_numbers")
        .insert({ year_id: yearId, kind: entry.kind, number: entry.number, issued_on: entry.issuedOn, updated_by: userId })
        .onConflict(["year_id", "kind"])
        .merge({ number: entry.number, issued_on: entry.issuedOn, updated_by: userId, updated_at: trx.fn.now() });
    },
    async agencyLetterhead(agencyId: number): Promise<AgencyLetterhead> {
      const row: { governing_body: string | null; head_name: string | null; head_position: string | null } | undefined = await db("agencies")
        .where({ id: agencyId })
        .first("governing_body", "head_name", "head_position");
      return { governingBody: row?.governing_body ?? null, headName: row?.head_name ?? null, headPosition: row?.head_position ?? null };
    },
  };
}

export type DocumentsRepo = ReturnType<typeof documentsRepo>;
