import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import { access } from "../auth/access.js";
import type { Bloc, BlocsRepo } from "../blocs/blocs-repo.js";
import { NotFoundError } from "../errors.js";
import { RuleSetSchema, type RuleSet } from "../scoring/index.js";
import type { Period, YearAgency, YearSpan, YearsRepo } from "./years-repo.js";
import { localDate } from "../lib/dates.js";

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

export function yearsService(deps: { repo: YearsRepo; blocs: BlocsRepo; now: () => Date }) {
  const { repo, blocs, now } = deps;

  /** The current year of the user's first bloc, for the menu links and the home page; null when there is none. */
  async function currentFor(user: User): Promise<{ blocCode: string; year: number } | null> {
    const all = await blocs.list();
    const bloc = all.find((b) => access.canReadBloc(user, b.id));
    if (!bloc) return null;
    const year = currentYear(await repo.spansOf(bloc.id), localDate(now()));
    return year === undefined ? null : { blocCode: bloc.code, year };
  }

  /** Loads a year by bloc code and year number, with no access check (CLI, exports). */
  async function load(blocCode: string, yearNumber: number): Promise<YearContext> {
    const bloc = await blocs.findByCode(blocCode);
    if (!bloc) throw new NotFoundError(`Không có khối thi đua mã "${blocCode}".`);
    const row = Number.isInteger(yearNumber) ? await repo.findYear(bloc.id, yearNumber) : undefined;
    if (!row) throw new NotFoundError(`Khối "${blocCode}" không có năm thi đua ${yearNumber}.`);
    const [agencies, periods] = [await repo.agenciesOf(row.id), await repo.periodsOf(row.id)];
    return {
      bloc,
      year: { ...row, rules: RuleSetSchema.parse(row.rules) },
      agencies,
      periods,
      basePath: `/blocs/${encodeURIComponent(bloc.code)}/years/${row.year}`,
    };
  }

  return {
    load,
    /** A period of the year, fresh from the database (inside `conn`, the caller's transaction). */
    findPeriod: (yearId: number, number: number, conn?: Knex) => repo.findPeriod(yearId, number, conn),
    /** The year as `user` may open it: bloc readers of the bloc, clerks of its member agencies (else 404). */
    async open(user: User, blocCode: string, yearNumber: number): Promise<YearContext> {
      const bloc = await blocs.findByCode(blocCode);
      if (!bloc) throw new NotFoundError();
      access.assertBloc(user, bloc.id);
      return load(blocCode, yearNumber);
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
