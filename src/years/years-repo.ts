import type { Knex } from "knex";
import { preparedRaw } from "../db/prepared.js";
import { toBloc, type Bloc } from "../blocs/blocs-repo.js";

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
  /** Bumped by every write to the year's rows (migration 240): the key of the computed-year cache. */
  revision: number;
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
  revision: number | string;
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
  revision: Number(r.revision),
});

const toSpan = (r: { year: number; closed: boolean; starts_on: string | null; ends_on: string | null }): YearSpan => ({
  year: r.year,
  closed: r.closed,
  startsOn: r.starts_on && r.starts_on < `${r.year}-01-01` ? r.starts_on : `${r.year}-01-01`,
  endsOn: r.ends_on && r.ends_on > `${r.year}-12-31` ? r.ends_on : `${r.year}-12-31`,
});

/** A bloc, one of its years (with its revision) and the spans of all its years: what a year page opens with. */
export interface YearContextRow {
  bloc: Bloc;
  year: YearRow | undefined;
  spans: YearSpan[];
}

const BLOC_COLUMNS = ["id", "code", "name", "issuing_body", "short_name", "place_name", "level"] as const;
const YEAR_COLUMNS = [
  "id", "bloc_id", "year", "rules", "head_agency_id", "deputy_agency_id", "registration_due_on", "ranking_published_at", "closed_at", "revision",
  "next_head_agency_id", "next_deputy_agency_id", "conference_held_on",
] as const;

/**
 * The select of `context()`: columns `b_*` (the bloc), `y_*` (the year, all null when the bloc has no such
 * year) and `spans`; no row when there is no such bloc. Its `?`s take `yearContextBindings`. The session
 * read of a GET year page joins it too (web/middleware/session-preload.ts), so the page makes one round
 * trip before its own work.
 */
export const YEAR_CONTEXT_SQL = `select ${[...BLOC_COLUMNS.map((c) => `b.${c} as b_${c}`), ...YEAR_COLUMNS.map((c) => `y.${c} as y_${c}`)].join(", ")},
   (select coalesce(json_agg(json_build_object('year', y2.year, 'closed', y2.closed_at is not null, 'starts_on', s.starts_on, 'ends_on', s.ends_on) order by y2.year desc), '[]'::json)
      from emulation_years y2
      -- Per year, on the periods' (year_id, number) index: a join read every period of the province.
      cross join lateral (select min(p.starts_on)::text as starts_on, max(p.ends_on)::text as ends_on from periods p where p.year_id = y2.id) s
     where y2.bloc_id = b.id) as spans
 from blocs b left join emulation_years y on y.bloc_id = b.id and y.year = ?
 where b.code = ?`;

export const yearContextBindings = (blocCode: string, year: number): [number, string] => [Number.isInteger(year) ? year : -1, blocCode];

/** A row of YEAR_CONTEXT_SQL (or one carrying its columns); undefined when there is no such bloc. */
export function yearContextFromRow(r: Record<string, unknown> | undefined): YearContextRow | undefined {
  if (!r || r.b_id === null || r.b_id === undefined) return undefined;
  const pick = (prefix: string, names: readonly string[]) => Object.fromEntries(names.map((c) => [c, r[`${prefix}${c}`]]));
  const bloc = toBloc(pick("b_", BLOC_COLUMNS) as unknown as Parameters<typeof toBloc>[0]);
  const spansRaw = (typeof r.spans === "string" ? JSON.parse(r.spans) : r.spans) as { year: number; closed: boolean; starts_on: string | null; ends_on: string | null }[];
  return {
    bloc,
    year: r.y_id === null ? undefined : toYear(pick("y_", YEAR_COLUMNS) as unknown as EmulationYearRow),
    spans: spansRaw.map(toSpan),
  };
}

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
      return rows.map((r) => toSpan({ ...r, closed: r.closed_at !== null }));
    },
    /**
     * The bloc by code, its year `year` (undefined when it has none) and the spans of all its years,
     * in ONE query: every year page starts with it (issue 16's query budget).
     */
    async context(blocCode: string, year: number): Promise<YearContextRow | undefined> {
      const { rows } = await preparedRaw(db, YEAR_CONTEXT_SQL, yearContextBindings(blocCode, year));
      return yearContextFromRow(rows[0]);
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
