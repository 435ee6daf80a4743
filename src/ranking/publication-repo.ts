import type { Knex } from "knex";

export interface ProposalRow {
  agencyId: number;
  award: "flag" | "merit";
  rank: number;
  total: number;
  votesFor: number;
  validBallots: number;
  reason: string | null;
}

/** Writes of the ranking's publication; callers pass their transaction. */
export function publicationRepo() {
  return {
    /** Marks the year published unless it already is; false when someone published it first. */
    async markPublished(trx: Knex, yearId: number, at: Date): Promise<boolean> {
      const n = await trx("emulation_years").where({ id: yearId }).whereNull("ranking_published_at").update({ ranking_published_at: at, updated_at: trx.fn.now() });
      return n === 1;
    },
    async markReopened(trx: Knex, yearId: number): Promise<boolean> {
      const n = await trx("emulation_years").where({ id: yearId }).whereNotNull("ranking_published_at").update({ ranking_published_at: null, updated_at: trx.fn.now() });
      return n === 1;
    },
    async insertProposals(trx: Knex, yearId: number, rows: ProposalRow[]): Promise<void> {
      if (!rows.length) return;
      await trx("proposals").insert(
        rows.map((p) => ({
          year_id: yearId, agency_id: p.agencyId, award: p.award, rank: p.rank, total: p.total.toFixed(2),
          votes_for: p.votesFor, valid_ballots: p.validBallots, reason: p.reason, status: "proposed",
        })),
      );
    },
    /** The proposals still only proposed (not yet awarded or revoked) go with a reopening. */
    async deleteProposed(trx: Knex, yearId: number): Promise<{ agency_id: number; award: string }[]> {
      return trx("proposals").where({ year_id: yearId, status: "proposed" }).del().returning(["agency_id", "award"]);
    },
  };
}

export type PublicationRepo = ReturnType<typeof publicationRepo>;
