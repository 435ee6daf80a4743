import type { Knex } from "knex";

/** The province's decisions and the awards entered afterwards (table `awards`); rows are never deleted. */
export function awardsRepo(db: Knex) {
  return {
    /** Whether the province decided on any of the year's proposals. */
    async decidedForYear(yearId: number, conn: Knex = db): Promise<boolean> {
      const row = await conn("awards as w").join("proposals as p", "p.id", "w.proposal_id").where("p.year_id", yearId).first("w.id");
      return row !== undefined;
    },
  };
}

export type AwardsRepo = ReturnType<typeof awardsRepo>;
