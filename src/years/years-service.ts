import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { access } from "../auth/access.js";
import type { Bloc, BlocsRepo } from "../blocs/blocs-repo.js";
import { NotFoundError } from "../errors.js";
import { RuleSetSchema, type RuleSet } from "../scoring/index.js";
import type { Period, YearAgency, YearSpan, YearsRepo } from "./years-repo.js";
import { localDate } from "../lib/dates.js";
import { noYearCache, primeRequestMemo, requestMemo, type ComputedYearCache } from "./year-cache.js";
import type { YearContextRow } from "./years-repo.js";
import { blocHeader } from "../blocs/bloc-header.js";

/** A bloc's emulation year with what every feature of the year needs. */
export interface YearContext {
  bloc: Bloc;
  year: {
    id: number;
    year: number;
    rules: RuleSet;
    headAgencyId: number | null;
    deputyAgencyId: number | null;
    registrationDueOn: string | null;
    rankingPublishedAt: Date | null;
    closedAt: Date | null;
    nextHeadAgencyId: number | null;
    nextDeputyAgencyId: number | null;
    conferenceHeldOn: string | null;
    /** The year's revision when it was opened (migration 240): the computed-year cache's key. */
    revision: number;
  };
  /** The year's agencies with the names they had then, in the year's order. */
  agencies: YearAgency[];
  periods: Period[];
  /** Base of the year's URLs: /blocs/<code>/years/<year>. */
  basePath: string;
}

/** The bloc's current year: the open year whose dates hold today, else the latest. */
export function currentYear(spans: YearSpan[], today: string): number | undefined {
  const running = spans.find((s) => !s.closed && s.startsOn <= today && today <= s.endsOn);
  return (running ?? spans[0])?.year;
}

const contextKey = (blocCode: string, yearNumber: number) => `year-context:${blocCode}:${yearNumber}`;

/** The year context read with something else (the session row): this GET request reads it no more. */
export const primeYearContext = (blocCode: string, yearNumber: number, row: YearContextRow | undefined) =>
  primeRequestMemo(contextKey(blocCode, yearNumber), row);

/**
 * The bloc code and year number a year page names, from its raw path parameters (still percent-decoded by
 * the caller); undefined when they cannot name one (then the year pages' guards leave the request alone).
 */
export function namedYear(blocCode: string, year: string): { blocCode: string; year: number } | undefined {
  return /^\d{4}$/.test(year) && /^[a-z0-9._-]{1,40}$/i.test(blocCode) ? { blocCode, year: Number(year) } : undefined;
}

/** `namedYear` of a year page's path (/blocs/<code>/years/<yyyy>…), for code that has the path but no route params. */
export function yearInPath(path: string): { blocCode: string; year: number } | undefined {
  const m = /^\/blocs\/([^/]+)\/years\/([^/]+)(?:\/|$)/.exec(path);
  if (!m) return undefined;
  try {
    return namedYear(decodeURIComponent(m[1]!), m[2]!);
  } catch {
    return undefined;
  }
}

export function yearsService(deps: { repo: YearsRepo; blocs: BlocsRepo; now: () => Date; cache?: ComputedYearCache }) {
  const { repo, blocs, now } = deps;
  const cache = deps.cache ?? noYearCache;

  /** The current year of the user's first bloc, for the menu links and the home page; null when there is none. */
  // Once per GET request (the menu's route and the home page both ask), from the header's list of blocs.
  const currentFor = (user: User): Promise<{ blocCode: string; year: number } | null> =>
    requestMemo(`current-year:${user.id}`, async () => {
      const all = (await blocHeader(blocs, user.id)).blocs;
      const bloc = all.find((b) => access.canReadBloc(user, b.id));
      if (!bloc) return null;
      const year = currentYear(await repo.spansOf(bloc.id), localDate(now()));
      return year === undefined ? null : { blocCode: bloc.code, year };
    });

  /** The bloc, the year and its revision, the spans of the bloc's years: one query, once per GET request. */
  const contextRow = (blocCode: string, yearNumber: number): Promise<YearContextRow | undefined> =>
    requestMemo(contextKey(blocCode, yearNumber), () => repo.context(blocCode, yearNumber));

  /** The year's context from its row; agencies, periods and parsed rules come from the cache while the revision holds. */
  async function fromRow(row: YearContextRow, blocCode: string, yearNumber: number): Promise<YearContext> {
    const { bloc, year } = row;
    if (!year) throw new NotFoundError(`Khối "${blocCode}" không có năm thi đua ${yearNumber}.`);
    const frame = await cache.memo(year.id, year.revision, "frame", async () => ({
      rules: RuleSetSchema.parse(year.rules),
      agencies: await repo.agenciesOf(year.id),
      periods: await repo.periodsOf(year.id),
    }));
    return {
      bloc,
      year: { ...year, rules: frame.rules },
      agencies: frame.agencies,
      periods: frame.periods,
      basePath: `/blocs/${encodeURIComponent(bloc.code)}/years/${year.year}`,
    };
  }

  /** Loads a year by bloc code and year number, with no access check (CLI, exports). */
  async function load(blocCode: string, yearNumber: number): Promise<YearContext> {
    const row = await contextRow(blocCode, yearNumber);
    if (!row) throw new NotFoundError(`Không có khối thi đua mã "${blocCode}".`);
    return fromRow(row, blocCode, yearNumber);
  }

  return {
    load,
    /** A period of the year, fresh from the database (inside `conn`, the caller's transaction). */
    findPeriod: (yearId: number, number: number, conn?: Knex) => repo.findPeriod(yearId, number, conn),
    /** The year as `user` may open it: bloc readers of the bloc, clerks of its member agencies (else 404). */
    async open(user: User, blocCode: string, yearNumber: number): Promise<YearContext> {
      const row = await contextRow(blocCode, yearNumber);
      if (!row) throw new NotFoundError();
      access.assertBloc(user, row.bloc.id);
      if (!row.year) throw new NotFoundError(`Khối "${blocCode}" không có năm thi đua ${yearNumber}.`);
      return fromRow(row, blocCode, yearNumber);
    },
    /**
     * What the year pages' middleware needs, from the same (request-memoised) read as the page:
     * whether the year is closed (undefined: no such year) and, for a reader of the bloc, its years.
     */
    async nav(user: User | null, blocCode: string, yearNumber: number): Promise<{ closed: boolean | undefined; spans: YearSpan[] }> {
      const row = await contextRow(blocCode, yearNumber);
      const closed = row?.year ? row.year.closedAt !== null : undefined;
      return { closed, spans: row && user && access.canReadBloc(user, row.bloc.id) ? row.spans : [] };
    },
    currentFor,
    /** Former name of `currentFor`, kept for callers written before issue 13. */
    latestFor: currentFor,
    /** The years of a bloc the user may read, newest first, for the year switcher. */
    async switcher(user: User, blocCode: string): Promise<YearSpan[]> {
      const bloc = await blocs.findByCode(blocCode);
      if (!bloc || !access.canReadBloc(user, bloc.id)) return [];
      return repo.spansOf(bloc.id);
    },
  };
}

export type YearsService = ReturnType<typeof yearsService>;
