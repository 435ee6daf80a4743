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
  /** Set when the secretariat closed the year: everything of it is read-only. */
  closedAt: Date | null;
  /** Next year's head and deputy as the annual conference chose them (issue 18), and the conference's date. */
  nextHeadAgencyId: number | null;
  nextDeputyAgencyId: number | null;
  conferenceHeldOn: string | null;
}

/** A year of a bloc as the year switcher and the current-year choice see it. */
export interface YearSpan {
  year: number;
  closed: boolean;
  /** First and last day the year's periods cover (its calendar year when it has no periods). */
  startsOn: string;
  endsOn: string;
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
  kind: "six_month" | "annual" | "quarter" | "other";
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
  closed_at: Date | null;
  next_head_agency_id: number | null;
  next_deputy_agency_id: number | null;
  conference_held_on: string | null;
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
  closedAt: r.closed_at,
  nextHeadAgencyId: r.next_head_agency_id,
  nextDeputyAgencyId: r.next_deputy_agency_id,
  conferenceHeldOn: r.conference_held_on,
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
    /** Every year of a bloc, newest first, with the span its periods cover. */
    async spansOf(blocId: number): Promise<YearSpan[]> {
      const rows: { year: number; closed_at: Date | null; starts_on: string | null; ends_on: string | null }[] = await db("emulation_years as y")
        .leftJoin("periods as p", "p.year_id", "y.id")
        .where("y.bloc_id", blocId)
        .groupBy("y.id", "y.year", "y.closed_at")
        .orderBy("y.year", "desc")
        .select("y.year", "y.closed_at", db.raw("min(p.starts_on)::text as starts_on"), db.raw("max(p.ends_on)::text as ends_on"));
      return rows.map((r) => ({
        year: r.year,
        closed: r.closed_at !== null,
        startsOn: r.starts_on && r.starts_on < `${r.year}-01-01` ? r.starts_on : `${r.year}-01-01`,
        endsOn: r.ends_on && r.ends_on > `${r.year}-12-31` ? r.ends_on : `${r.year}-12-31`,
      }));
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
