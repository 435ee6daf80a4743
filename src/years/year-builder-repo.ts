import type { Knex } from "knex";
import type { RuleSet } from "../scoring/index.js";
import type { CriterionDef } from "../scoring/index.js";
import type { TemplateCampaign, TemplatePeriod } from "./year-template.js";

type Row = Record<string, unknown>;

/** Adds whole years to an ISO date; 29/02 becomes 28/02 in a common year. */
export function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const ny = y + years;
  const last = new Date(Date.UTC(ny, m, 0)).getUTCDate();
  return `${ny}-${String(m).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

export interface NewYearRow {
  blocId: number;
  year: number;
  rules: RuleSet;
  registrationDueOn: string | null;
  headAgencyId: number | null;
  deputyAgencyId: number | null;
}

/** A year other years may be copied from: any year of any bloc, filtered by the service for access. */
export interface CopyableYear {
  id: number;
  blocId: number;
  blocCode: string;
  blocName: string;
  year: number;
}

/** Writes a new year of a bloc: its row, its agencies, and its structure (template, copy or nothing). */
export function yearBuilderRepo(db: Knex) {
  return {
    async yearExists(blocId: number, year: number, q: Knex = db): Promise<boolean> {
      return Boolean(await q("emulation_years").where({ bloc_id: blocId, year }).first("id"));
    },
    async copyableYears(): Promise<CopyableYear[]> {
      const rows: Row[] = await db("emulation_years as y")
        .join("blocs as b", "b.id", "y.bloc_id")
        .orderBy([{ column: "b.code" }, { column: "y.year", order: "desc" }])
        .select("y.id", "y.bloc_id", "b.code", "b.name", "y.year");
      return rows.map((r) => ({ id: r.id as number, blocId: r.bloc_id as number, blocCode: r.code as string, blocName: r.name as string, year: r.year as number }));
    },
    /** The agencies that are members of the bloc during `year` (for head and deputy choices). */
    async membersDuring(blocId: number, year: number, q: Knex = db): Promise<{ id: number; name: string }[]> {
      return q("bloc_memberships as m")
        .join("agencies as a", "a.id", "m.agency_id")
        .where("m.bloc_id", blocId)
        .where("m.joined_year", "<=", year)
        .where((w) => w.whereNull("m.left_year").orWhere("m.left_year", ">=", year))
        .distinct("a.id", "a.name");
    },
    async insertYear(trx: Knex, y: NewYearRow): Promise<number> {
      const [{ id }] = await trx("emulation_years")
        .insert({
          bloc_id: y.blocId,
          year: y.year,
          rules: JSON.stringify(y.rules),
          registration_due_on: y.registrationDueOn,
          head_agency_id: y.headAgencyId,
          deputy_agency_id: y.deputyAgencyId,
        })
        .returning("id");
      return id;
    },
    async rulesOf(yearId: number, q: Knex = db): Promise<{ year: number; rules: unknown; registrationDueOn: string | null; nextHeadAgencyId: number | null; nextDeputyAgencyId: number | null }> {
      const r = await q("emulation_years").where({ id: yearId }).first("year", "rules", "registration_due_on", "next_head_agency_id", "next_deputy_agency_id");
      return {
        year: r.year, rules: typeof r.rules === "string" ? JSON.parse(r.rules) : r.rules, registrationDueOn: r.registration_due_on,
        nextHeadAgencyId: r.next_head_agency_id, nextDeputyAgencyId: r.next_deputy_agency_id,
      };
    },
    /** The annual conference's choice of next year's head and deputy (issue 18). */
    async setConference(trx: Knex, yearId: number, c: { heldOn: string | null; nextHeadAgencyId: number | null; nextDeputyAgencyId: number | null }): Promise<void> {
      await trx("emulation_years").where({ id: yearId }).update({ conference_held_on: c.heldOn, next_head_agency_id: c.nextHeadAgencyId, next_deputy_agency_id: c.nextDeputyAgencyId, updated_at: trx.fn.now() });
    },
    /**
     * The year's agencies: the bloc's members during the year, with their current names, in the
     * order they had in `orderFromYearId` (when the bloc had that year) and then by id.
     */
    async addMemberAgencies(trx: Knex, yearId: number, blocId: number, year: number, orderFromYearId: number | null): Promise<number> {
      const members: Row[] = await trx("bloc_memberships as m")
        .join("agencies as a", "a.id", "m.agency_id")
        .leftJoin("year_agencies as ya", function () {
          this.on("ya.agency_id", "=", "a.id").andOn("ya.year_id", "=", trx.raw("?", [orderFromYearId ?? 0]));
        })
        .where("m.bloc_id", blocId)
        .where("m.joined_year", "<=", year)
        .where((w) => w.whereNull("m.left_year").orWhere("m.left_year", ">=", year))
        .distinct("a.id", "a.name", "a.short_name", "ya.sort_order")
        .orderBy([{ column: "ya.sort_order" }, { column: "a.id" }]);
      if (members.length) {
        await trx("year_agencies").insert(members.map((m, i) => ({ year_id: yearId, agency_id: m.id, name: m.name, short_name: m.short_name, sort_order: i + 1 })));
      }
      return members.length;
    },
    /** Marks the year closed; false when it already was (a concurrent close). */
    async markClosed(trx: Knex, yearId: number, at: Date, by: number): Promise<boolean> {
      return (await trx("emulation_years").where({ id: yearId }).whereNull("closed_at").update({ closed_at: at, closed_by: by, updated_at: trx.fn.now() })) > 0;
    },
    async markReopened(trx: Knex, yearId: number): Promise<boolean> {
      return (await trx("emulation_years").where({ id: yearId }).whereNotNull("closed_at").update({ closed_at: null, closed_by: null, updated_at: trx.fn.now() })) > 0;
    },
    /** Whether the year (by bloc code and number) is closed; undefined when there is no such year. */
    async isClosed(blocCode: string, year: number): Promise<boolean | undefined> {
      const row = await db("emulation_years as y").join("blocs as b", "b.id", "y.bloc_id").where({ "b.code": blocCode, "y.year": year }).first("y.closed_at");
      return row ? row.closed_at !== null : undefined;
    },
    /** Copies movements, periods and the criteria tree of `fromYearId`, dates moved by `shift` years. */
    async copyStructure(trx: Knex, fromYearId: number, toYearId: number, fromYear: number, toYear: number): Promise<void> {
      const shiftBy = toYear - fromYear;
      const shift = (d: string | null) => (d ? addYears(d, shiftBy) : null);
      const retitle = (t: string) => t.split(String(fromYear)).join(String(toYear));
      const campaigns: Row[] = await trx("campaigns").where({ year_id: fromYearId }).orderBy("id");
      if (campaigns.length) {
        await trx("campaigns").insert(
          campaigns.map((c) => ({
            year_id: toYearId,
            kind: c.kind,
            code: c.code,
            title: retitle(c.title as string),
            description: c.description,
            starts_on: shift(c.starts_on as string | null),
            ends_on: shift(c.ends_on as string | null),
            sort_order: c.sort_order,
          })),
        );
      }
      const periods: Row[] = await trx("periods").where({ year_id: fromYearId }).orderBy("number");
      if (periods.length) {
        await trx("periods").insert(
          periods.map((p) => ({
            year_id: toYearId,
            kind: p.kind,
            number: p.number,
            title: retitle(p.title as string),
            starts_on: shift(p.starts_on as string),
            ends_on: shift(p.ends_on as string),
            data_from: shift(p.data_from as string),
            data_to: shift(p.data_to as string),
            due_on: shift(p.due_on as string),
            conference_month: p.conference_month ? `${Number(String(p.conference_month).slice(0, 4)) + shiftBy}${String(p.conference_month).slice(4)}` : null,
          })),
        );
      }
      const criteria: Row[] = await trx("criteria").where({ year_id: fromYearId }).orderBy("id");
      await insertCriteria(
        trx,
        toYearId,
        criteria.map((c) => ({
          id: c.id as number,
          parentId: (c.parent_id as number | null) ?? null,
          code: c.code as string,
          title: retitle(c.title as string),
          kind: c.kind as CriterionDef["kind"],
          maxPoints: Number(c.max_points),
          autoSource: (c.auto_source as CriterionDef["autoSource"]) ?? null,
          sortOrder: c.sort_order as number,
        })),
      );
    },

    async insertTemplate(trx: Knex, yearId: number, t: { campaigns: TemplateCampaign[]; periods: TemplatePeriod[]; criteria: readonly CriterionDef[] }): Promise<void> {
      await trx("campaigns").insert(t.campaigns.map((c, i) => ({ ...c, year_id: yearId, sort_order: i + 1 })));
      await trx("periods").insert(t.periods.map((p) => ({ ...p, year_id: yearId })));
      await insertCriteria(trx, yearId, t.criteria);
    },
  };
}

/** Writes a criteria tree: groups first, then items, so every parent exists when its children are written. */
async function insertCriteria(trx: Knex, yearId: number, criteria: readonly CriterionDef[]): Promise<void> {
  const idMap = new Map<number, number>();
  for (const c of [...criteria.filter((c) => c.parentId === null), ...criteria.filter((c) => c.parentId !== null)]) {
    const [{ id }] = await trx("criteria")
      .insert({
        year_id: yearId,
        parent_id: c.parentId === null ? null : idMap.get(c.parentId),
        code: c.code,
        title: c.title,
        kind: c.kind,
        max_points: c.maxPoints,
        auto_source: c.autoSource,
        sort_order: c.sortOrder,
      })
      .returning("id");
    idMap.set(c.id, id);
  }
}

export type YearBuilderRepo = ReturnType<typeof yearBuilderRepo>;
