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
export function publicationRepo(db: Knex) {
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
    /** The year's reports sent and still waiting for the secretariat's review (the checklist). */
    async waitingReports(yearId: number, conn?: Knex): Promise<{ agencyId: number; period: string }[]> {
      const rows: { agency_id: number; title: string | null; kind: string }[] = await (conn ?? db)("reports as r")
        .join("periods as p", "p.id", "r.period_id")
        .where({ "p.year_id": yearId, "r.status": "submitted" })
        .orderBy(["p.id", "r.agency_id"])
        .select("r.agency_id", "p.kind", "p.title");
      return rows.map((r) => ({ agencyId: r.agency_id, period: r.title ?? (r.kind === "annual" ? "Báo cáo tổng kết năm" : "Báo cáo sơ kết 6 tháng") }));
    },
    /** The proposals still only proposed (not yet awarded or revoked) go with a reopening. */
    async deleteProposed(trx: Knex, yearId: number): Promise<{ agency_id: number; award: string }[]> {
      return trx("proposals").where({ year_id: yearId, status: "proposed" }).del().returning(["agency_id", "award"]);
    },
  };
}

export type PublicationRepo = ReturnType<typeof publicationRepo>;
