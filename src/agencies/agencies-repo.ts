import type { Knex } from "knex";

export interface Agency {
  id: number;
  code: string;
  name: string;
  shortName: string;
  headName: string | null;
  headPosition: string | null;
  governingBody: string | null;
}

export interface Membership {
  id: number;
  agencyId: number;
  joinedYear: number;
  leftYear: number | null;
}

export interface AgencyFields {
  name: string;
  shortName: string;
  headName: string | null;
  headPosition: string | null;
  governingBody: string | null;
}

type Row = Record<string, unknown>;

const toAgency = (r: Row): Agency => ({
  id: r.id as number,
  code: r.code as string,
  name: r.name as string,
  shortName: r.short_name as string,
  headName: r.head_name as string | null,
  headPosition: r.head_position as string | null,
  governingBody: (r.governing_body as string | null | undefined) ?? null,
});

const toMembership = (r: Row): Membership => ({
  id: r.id as number,
  agencyId: r.agency_id as number,
  joinedYear: r.joined_year as number,
  leftYear: r.left_year as number | null,
});

export function agenciesRepo(db: Knex) {
  return {
    /** Agencies that ever belonged to the bloc. */
    async ofBloc(blocId: number): Promise<Agency[]> {
      const rows: Row[] = await db("agencies")
        .whereIn("id", db("bloc_memberships").where({ bloc_id: blocId }).select("agency_id"))
        .select("*");
      return rows.map(toAgency);
    },
    async memberships(blocId: number, q: Knex = db): Promise<Membership[]> {
      const rows: Row[] = await q("bloc_memberships").where({ bloc_id: blocId }).orderBy([{ column: "agency_id" }, { column: "joined_year" }]);
      return rows.map(toMembership);
    },
    /** Every bloc the agency belongs to (any year): who may edit it depends on all of them. */
    async blocIdsOf(agencyId: number, q: Knex = db): Promise<number[]> {
      const rows: { bloc_id: number }[] = await q("bloc_memberships").where({ agency_id: agencyId }).distinct("bloc_id");
      return rows.map((r) => r.bloc_id);
    },
    async findByCode(code: string, q: Knex = db): Promise<Agency | undefined> {
      const r = await q("agencies").where({ code }).first();
      return r && toAgency(r);
    },
    async insert(trx: Knex, code: string, a: AgencyFields): Promise<number> {
      const [{ id }] = await trx("agencies")
        .insert({ code, name: a.name, short_name: a.shortName, head_name: a.headName, head_position: a.headPosition, governing_body: a.governingBody })
        .returning("id");
      return id;
    },
    /** Changes the current name only: each year keeps its own in year_agencies. */
    async update(trx: Knex, id: number, a: AgencyFields): Promise<void> {
      await trx("agencies").where({ id }).update({ name: a.name, short_name: a.shortName, head_name: a.headName, head_position: a.headPosition, governing_body: a.governingBody, updated_at: trx.fn.now() });
    },
    async join(trx: Knex, blocId: number, agencyId: number, year: number): Promise<void> {
      await trx("bloc_memberships").insert({ bloc_id: blocId, agency_id: agencyId, joined_year: year });
    },
    /** Every agency of the installation (to pick ones that already exist). */
    async all(): Promise<Agency[]> {
      return (await db("agencies").orderBy("id")).map(toAgency);
    },
    async existingIds(ids: number[], q: Knex = db): Promise<Set<number>> {
      if (!ids.length) return new Set();
      return new Set((await q("agencies").whereIn("id", ids).select("id")).map((r: { id: number }) => r.id));
    },
    async allCodes(q: Knex = db): Promise<Set<string>> {
      return new Set((await q("agencies").select("code")).map((r: { code: string }) => r.code));
    },
    /**
     * New members also join the bloc's open years from `fromYear` on (years made before they
     * joined), with their current names, after the year's other agencies.
     */
    async addToOpenYears(trx: Knex, blocId: number, fromYear: number, agencyIds: number[]): Promise<void> {
      if (!agencyIds.length) return;
      const years: { id: number }[] = await trx("emulation_years").where({ bloc_id: blocId }).where("year", ">=", fromYear).whereNull("closed_at").select("id");
      const agencies: Row[] = await trx("agencies").whereIn("id", agencyIds).orderBy("id");
      for (const { id: yearId } of years) {
        const present = new Set((await trx("year_agencies").where({ year_id: yearId }).select("agency_id")).map((r: { agency_id: number }) => r.agency_id));
        const max = Number((await trx("year_agencies").where({ year_id: yearId }).max("sort_order as m").first())?.m ?? 0);
        const rows = agencies.filter((a) => !present.has(a.id as number)).map((a, i) => ({ year_id: yearId, agency_id: a.id, name: a.name, short_name: a.short_name, sort_order: max + i + 1 }));
        if (rows.length) await trx("year_agencies").insert(rows);
      }
    },
    async setLeftYear(trx: Knex, membershipId: number, leftYear: number): Promise<void> {
      await trx("bloc_memberships").where({ id: membershipId }).update({ left_year: leftYear });
    },
  };
}

export type AgenciesRepo = ReturnType<typeof agenciesRepo>;
