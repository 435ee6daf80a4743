import type { Knex } from "knex";

export type AwardKind = "flag" | "merit" | "other";

/** What a decision says: the outcome and, when awarded, which award by which decision. */
export interface AwardDecisionFields {
  outcome: "awarded" | "not_awarded";
  award: AwardKind | null;
  awardTitle: string | null;
  decisionNumber: string | null;
  decidedOn: string | null;
  authority: string | null;
  note: string | null;
}

export interface AwardRow extends AwardDecisionFields {
  id: number;
  agencyId: number;
  year: number;
  blocId: number | null;
  proposalId: number | null;
  backfilled: boolean;
  revokedAt: Date | null;
  revokedReason: string | null;
  recordedBy: string;
}

export interface ProposalOfYear {
  id: number;
  agencyId: number;
  award: "flag" | "merit";
  rank: number;
  total: number;
}

export interface PublishedPlace {
  year: number;
  blocId: number;
  blocName: string;
  rank: number | null;
  total: number | null;
  classification: string | null;
}

export interface NewAward extends AwardDecisionFields {
  agencyId: number;
  year: number;
  blocId: number | null;
  proposalId: number | null;
  backfilled: boolean;
  userId: number;
}

const toAward = (r: Record<string, unknown>): AwardRow => ({
  id: r.id as number, agencyId: r.agency_id as number, year: r.year as number, blocId: r.bloc_id as number | null, proposalId: r.proposal_id as number | null,
  outcome: r.outcome as AwardRow["outcome"], award: r.award as AwardKind | null, awardTitle: r.award_title as string | null,
  decisionNumber: r.decision_number as string | null, decidedOn: r.decided_on as string | null, authority: r.authority as string | null,
  note: r.note as string | null, backfilled: r.backfilled as boolean, revokedAt: r.revoked_at as Date | null, revokedReason: r.revoked_reason as string | null,
  recordedBy: (r.recorded_by_name as string) ?? "",
});

/** The province's decisions and the awards entered afterwards (table `awards`); rows are never deleted. */
export function awardsRepo(db: Knex) {
  const base = (conn: Knex) => conn("awards as w").join("users as u", "u.id", "w.recorded_by").select("w.*", "u.full_name as recorded_by_name");

  return {
    /** Whether the province decided on any of the year's proposals. */
    async decidedForYear(yearId: number, conn: Knex = db): Promise<boolean> {
      const row = await conn("awards as w").join("proposals as p", "p.id", "w.proposal_id").where("p.year_id", yearId).first("w.id");
      return row !== undefined;
    },
    async proposalsOf(yearId: number, conn: Knex = db): Promise<ProposalOfYear[]> {
      const rows = await conn("proposals").where({ year_id: yearId }).orderBy(["rank", "award", "id"]).select("id", "agency_id", "award", "rank", "total");
      return rows.map((r) => ({ id: r.id, agencyId: r.agency_id, award: r.award, rank: r.rank, total: Number(r.total) }));
    },
    /** The decisions on the year's proposals, and the awards of the bloc's year entered afterwards. */
    async ofYear(yearId: number, blocId: number, year: number): Promise<AwardRow[]> {
      const rows = await base(db)
        .where((q) => q.whereIn("w.proposal_id", db("proposals").where({ year_id: yearId }).select("id")).orWhere((b) => b.where({ "w.bloc_id": blocId, "w.year": year }).whereNull("w.proposal_id")))
        .orderBy("w.id");
      return rows.map(toAward);
    },
    async find(id: number, conn: Knex = db): Promise<AwardRow | undefined> {
      const row = await base(conn).where("w.id", id).first();
      return row && toAward(row);
    },
    async ofAgency(agencyId: number): Promise<AwardRow[]> {
      return (await base(db).where("w.agency_id", agencyId).orderBy(["w.year", "w.id"])).map(toAward);
    },
    /** The agencies' awards of the years before `year` that still stand (for the proposal letter). */
    async standingBefore(agencyIds: number[], year: number): Promise<AwardRow[]> {
      if (!agencyIds.length) return [];
      return (await base(db).whereIn("w.agency_id", agencyIds).where("w.year", "<", year).where("w.outcome", "awarded").whereNull("w.revoked_at").orderBy(["w.year", "w.id"])).map(toAward);
    },
    /** The agency's place in every published ranking of every bloc it belonged to, from the stored (published) result. */
    async publishedPlaces(agencyId: number): Promise<PublishedPlace[]> {
      const rows = await db("year_agencies as ya")
        .join("emulation_years as y", "y.id", "ya.year_id")
        .join("blocs as b", "b.id", "y.bloc_id")
        .join("ranking_snapshots as s", (j) => j.on("s.year_id", "=", "y.id").andOnVal("s.kind", "=", "published"))
        .where("ya.agency_id", agencyId)
        .whereNotNull("y.ranking_published_at")
        .orderBy("y.year")
        .select(
          "y.year", "b.id as bloc_id", "b.name as bloc_name",
          db.raw("(select r from jsonb_array_elements(s.payload->'result'->'ranking'->'ranked') r where (r->>'agencyId')::int = ?) as place", [agencyId]),
        );
      return rows.map((r) => {
        const place = (typeof r.place === "string" ? JSON.parse(r.place) : r.place) as { rank?: number; total?: number; classification?: string } | null;
        return { year: r.year, blocId: r.bloc_id, blocName: r.bloc_name, rank: place?.rank ?? null, total: place?.total ?? null, classification: place?.classification ?? null };
      });
    },
    async insert(trx: Knex, a: NewAward): Promise<number> {
      const [{ id }] = await trx("awards")
        .insert({
          agency_id: a.agencyId, year: a.year, bloc_id: a.blocId, proposal_id: a.proposalId, outcome: a.outcome, award: a.award, award_title: a.awardTitle,
          decision_number: a.decisionNumber, decided_on: a.decidedOn, authority: a.authority, note: a.note, backfilled: a.backfilled, recorded_by: a.userId,
        })
        .returning("id");
      if (a.proposalId !== null && a.outcome === "awarded") await trx("proposals").where({ id: a.proposalId }).update({ status: "awarded", updated_at: trx.fn.now() });
      return id;
    },
    /** Marks an award revoked (never deleted); false when it was revoked meanwhile. */
    async revoke(trx: Knex, id: number, r: { reason: string; userId: number; at: Date }): Promise<boolean> {
      const n = await trx("awards").where({ id, outcome: "awarded" }).whereNull("revoked_at").update({ revoked_at: r.at, revoked_by: r.userId, revoked_reason: r.reason, updated_at: trx.fn.now() });
      if (n !== 1) return false;
      const row = await trx("awards").where({ id }).first("proposal_id");
      if (row?.proposal_id) await trx("proposals").where({ id: row.proposal_id }).update({ status: "revoked", revoked_reason: r.reason, updated_at: trx.fn.now() });
      return true;
    },
  };
}

export type AwardsRepo = ReturnType<typeof awardsRepo>;
