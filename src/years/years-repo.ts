import type { Knex } from "knex";

export interface YearRow {
  id: number;
  blocId: number;
  year: number;
  rules: unknown;
  headAgencyId: number | null;
  deputyAgencyId: number | null;
  registrationDueOn: string | null;
  rankingPublishedAt: Date | null;
}

export interface YearAgency {
  id: number;
  code: string;
  /** The name the agency had that year. */
  name: string;
  shortName: string;
  sortOrder: number;
}

export interface Period {
  id: number;
  kind: "six_month" | "annual";
  number: number;
  title: string;
  startsOn: string;
  endsOn: string;
  /** The data window the period's report covers. */
  dataFrom: string;
  dataTo: string;
  dueOn: string;
  conferenceMonth: string | null;
  locked: boolean;
}

interface EmulationYearRow {
  id: number;
  bloc_id: number;
  year: number;
  rules: unknown;
  head_agency_id: number | null;
  deputy_agency_id: number | null;
  registration_due_on: string | null;
  ranking_published_at: Date | null;
}

const toYear = (r: EmulationYearRow): YearRow => ({
  id: r.id,
  blocId: r.bloc_id,
  year: r.year,
  rules: typeof r.rules === "string" ? JSON.parse(r.rules) : r.rules,
  headAgencyId: r.head_agency_id,
  deputyAgencyId: r.deputy_agency_id,
  registrationDueOn: r.registration_due_on,
  rankingPublishedAt: r.ranking_published_at,
});

const toPeriod = (r: Record<string, unknown>): Period => ({
  id: r.id as number,
  kind: r.kind as Period["kind"],
  number: r.number as number,
  title: r.title as string,
  startsOn: r.starts_on as string,
  endsOn: r.ends_on as string,
  dataFrom: r.data_from as string,
  dataTo: r.data_to as string,
  dueOn: r.due_on as string,
  conferenceMonth: (r.conference_month as string | null) ?? null,
  locked: r.locked as boolean,
});

export function yearsRepo(db: Knex) {
  return {
    async findYear(blocId: number, year: number): Promise<YearRow | undefined> {
      const row = await db<EmulationYearRow>("emulation_years").where({ bloc_id: blocId, year }).first();
      return row && toYear(row);
    },
    /** The newest year of a bloc (the one the menus open). */
    async latestYear(blocId: number): Promise<number | undefined> {
      const row = await db("emulation_years").where({ bloc_id: blocId }).orderBy("year", "desc").first("year");
      return row?.year;
    },
    async agenciesOf(yearId: number): Promise<YearAgency[]> {
      const rows: { id: number; code: string; name: string; short_name: string; sort_order: number }[] = await db("year_agencies as ya")
        .join("agencies as a", "a.id", "ya.agency_id")
        .where("ya.year_id", yearId)
        .orderBy([{ column: "ya.sort_order" }, { column: "a.id" }])
        .select("a.id", "a.code", "ya.name", "ya.short_name", "ya.sort_order");
      return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, shortName: r.short_name, sortOrder: r.sort_order }));
    },
    async periodsOf(yearId: number): Promise<Period[]> {
      return (await db("periods").where({ year_id: yearId }).orderBy("number")).map(toPeriod);
    },
    /** One period, read through `conn` (the caller's transaction when it is about to change it). */
    async findPeriod(yearId: number, number: number, conn: Knex = db): Promise<Period | undefined> {
      const row = await conn("periods").where({ year_id: yearId, number }).first();
      return row && toPeriod(row);
    },
  };
}

export type YearsRepo = ReturnType<typeof yearsRepo>;
