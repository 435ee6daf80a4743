import type { Knex } from "knex";
import type { CampaignInput, CriterionInput, ExtensionInput, PeriodInput, YearInput } from "./schemas.js";

export interface YearDetails {
  id: number;
  blocId: number;
  year: number;
  theme: string | null;
  planNumber: string | null;
  planDate: string | null;
  planSignerName: string | null;
  planSignerPosition: string | null;
  headAgencyId: number | null;
  deputyAgencyId: number | null;
  registrationDueOn: string | null;
  rules: unknown;
}

export interface Campaign {
  id: number;
  kind: string;
  code: string;
  title: string;
  description: string | null;
  startsOn: string | null;
  endsOn: string | null;
  sortOrder: number;
}

export interface Extension {
  id: number;
  agencyId: number;
  dueOn: string;
  reason: string;
}

export interface CriterionRow {
  id: number;
  parentId: number | null;
  code: string;
  title: string;
  kind: "standard" | "bonus" | "deduction";
  maxPoints: string;
  autoSource: "late_reports" | null;
  sortOrder: number;
}

type Row = Record<string, unknown>;

const toYear = (r: Row): YearDetails => ({
  id: r.id as number,
  blocId: r.bloc_id as number,
  year: r.year as number,
  theme: r.theme as string | null,
  planNumber: r.plan_number as string | null,
  planDate: r.plan_date as string | null,
  planSignerName: r.plan_signer_name as string | null,
  planSignerPosition: r.plan_signer_position as string | null,
  headAgencyId: r.head_agency_id as number | null,
  deputyAgencyId: r.deputy_agency_id as number | null,
  registrationDueOn: r.registration_due_on as string | null,
  rules: typeof r.rules === "string" ? JSON.parse(r.rules) : r.rules,
});

const toCampaign = (r: Row): Campaign => ({
  id: r.id as number,
  kind: r.kind as string,
  code: r.code as string,
  title: r.title as string,
  description: r.description as string | null,
  startsOn: r.starts_on as string | null,
  endsOn: r.ends_on as string | null,
  sortOrder: r.sort_order as number,
});

const toCriterion = (r: Row): CriterionRow => ({
  id: r.id as number,
  parentId: r.parent_id as number | null,
  code: r.code as string,
  title: r.title as string,
  kind: r.kind as CriterionRow["kind"],
  maxPoints: r.max_points as string,
  autoSource: r.auto_source as CriterionRow["autoSource"],
  sortOrder: r.sort_order as number,
});

export function setupRepo(db: Knex) {
  return {
    async year(yearId: number, q: Knex = db): Promise<YearDetails> {
      return toYear(await q("emulation_years").where({ id: yearId }).first());
    },
    async updateYear(trx: Knex, yearId: number, v: YearInput): Promise<void> {
      await trx("emulation_years").where({ id: yearId }).update({
        plan_number: v.planNumber,
        plan_date: v.planDate,
        plan_signer_name: v.planSignerName,
        plan_signer_position: v.planSignerPosition,
        theme: v.theme,
        head_agency_id: v.headAgencyId,
        deputy_agency_id: v.deputyAgencyId,
        registration_due_on: v.registrationDueOn,
        updated_at: trx.fn.now(),
      });
    },
    async updateRules(trx: Knex, yearId: number, rules: unknown): Promise<void> {
      await trx("emulation_years").where({ id: yearId }).update({ rules: JSON.stringify(rules), updated_at: trx.fn.now() });
    },
    /** Whether any score sheet of the year has left the draft status. */
    async sheetsSubmitted(yearId: number, q: Knex = db): Promise<boolean> {
      return Boolean(await q("score_sheets").where({ year_id: yearId }).whereNot({ status: "draft" }).first("id"));
    },

    // Campaigns
    async campaigns(yearId: number): Promise<Campaign[]> {
      return (await db("campaigns").where({ year_id: yearId }).orderBy([{ column: "sort_order" }, { column: "code" }])).map(toCampaign);
    },
    async campaign(yearId: number, id: number, q: Knex = db): Promise<Campaign | undefined> {
      const r = await q("campaigns").where({ year_id: yearId, id }).first();
      return r && toCampaign(r);
    },
    async campaignCodeTaken(yearId: number, code: string, exceptId: number | null, q: Knex = db): Promise<boolean> {
      const query = q("campaigns").where({ year_id: yearId }).whereRaw("lower(code) = lower(?)", [code]);
      if (exceptId) query.whereNot({ id: exceptId });
      return Boolean(await query.first("id"));
    },
    async insertCampaign(trx: Knex, yearId: number, c: CampaignInput): Promise<number> {
      const [{ id }] = await trx("campaigns")
        .insert({ year_id: yearId, kind: c.kind, code: c.code, title: c.title, description: c.description, starts_on: c.startsOn, ends_on: c.endsOn, sort_order: c.sortOrder })
        .returning("id");
      return id;
    },
    async updateCampaign(trx: Knex, id: number, c: CampaignInput): Promise<void> {
      await trx("campaigns").where({ id }).update({ kind: c.kind, code: c.code, title: c.title, description: c.description, starts_on: c.startsOn, ends_on: c.endsOn, sort_order: c.sortOrder });
    },
    async deleteCampaign(trx: Knex, id: number): Promise<void> {
      await trx("campaigns").where({ id }).del();
    },

    // Periods
    async periodKindTaken(yearId: number, kind: string, exceptId: number | null, q: Knex = db): Promise<boolean> {
      const query = q("periods").where({ year_id: yearId, kind });
      if (exceptId !== null) query.whereNot({ id: exceptId });
      return Boolean(await query.first("id"));
    },
    /** The other periods of the year whose own dates overlap [startsOn, endsOn]. */
    async overlappingPeriods(yearId: number, startsOn: string, endsOn: string, exceptId: number | null, q: Knex = db): Promise<{ number: number; title: string }[]> {
      const query = q("periods").where({ year_id: yearId }).where("starts_on", "<=", endsOn).where("ends_on", ">=", startsOn);
      if (exceptId !== null) query.whereNot({ id: exceptId });
      return query.orderBy("number").select("number", "title");
    },
    async nextPeriodNumber(yearId: number, q: Knex = db): Promise<number> {
      const row = await q("periods").where({ year_id: yearId }).max("number as n").first();
      return Number(row?.n ?? 0) + 1;
    },
    async insertPeriod(trx: Knex, yearId: number, number: number, p: PeriodInput): Promise<number> {
      const [{ id }] = await trx("periods")
        .insert({ year_id: yearId, number, kind: p.kind, title: p.title, starts_on: p.startsOn, ends_on: p.endsOn, data_from: p.dataFrom, data_to: p.dataTo, due_on: p.dueOn, conference_month: p.conferenceMonth })
        .returning("id");
      return id;
    },
    /** Whether any agency has submitted a report of the period (a draft does not count). */
    async periodHasSubmittedReport(periodId: number, q: Knex = db): Promise<boolean> {
      return Boolean(await q("reports").where({ period_id: periodId }).whereNotNull("submitted_at").first("id"));
    },
    /** Removes a period; its extensions and unsent drafts go with it (ON DELETE CASCADE). */
    async deletePeriod(trx: Knex, periodId: number): Promise<void> {
      await trx("periods").where({ id: periodId }).del();
    },
    async updatePeriod(trx: Knex, id: number, p: PeriodInput): Promise<void> {
      await trx("periods").where({ id }).update({
        kind: p.kind,
        title: p.title,
        starts_on: p.startsOn,
        ends_on: p.endsOn,
        data_from: p.dataFrom,
        data_to: p.dataTo,
        due_on: p.dueOn,
        conference_month: p.conferenceMonth,
        version: trx.raw("version + 1"),
        updated_at: trx.fn.now(),
      });
    },
    async setLocked(trx: Knex, id: number, locked: boolean): Promise<void> {
      await trx("periods").where({ id }).update({ locked, locked_at: locked ? trx.fn.now() : null, updated_at: trx.fn.now() });
    },
    async extensions(periodId: number): Promise<Extension[]> {
      const rows: Row[] = await db("period_extensions").where({ period_id: periodId }).orderBy("id");
      return rows.map((r) => ({ id: r.id as number, agencyId: r.agency_id as number, dueOn: r.due_on as string, reason: r.reason as string }));
    },
    /** Adds or replaces the agency's extension (one per period and agency). */
    async upsertExtension(trx: Knex, periodId: number, e: ExtensionInput): Promise<Extension | undefined> {
      const before = await trx("period_extensions").where({ period_id: periodId, agency_id: e.agencyId }).first();
      if (before) await trx("period_extensions").where({ id: before.id }).update({ due_on: e.dueOn, reason: e.reason, updated_at: trx.fn.now() });
      else await trx("period_extensions").insert({ period_id: periodId, agency_id: e.agencyId, due_on: e.dueOn, reason: e.reason });
      return before && { id: before.id, agencyId: before.agency_id, dueOn: before.due_on, reason: before.reason };
    },
    async extension(periodId: number, id: number, q: Knex = db): Promise<Extension | undefined> {
      const r = await q("period_extensions").where({ period_id: periodId, id }).first();
      return r && { id: r.id, agencyId: r.agency_id, dueOn: r.due_on, reason: r.reason };
    },
    async deleteExtension(trx: Knex, id: number): Promise<void> {
      await trx("period_extensions").where({ id }).del();
    },

    // Criteria
    async criteria(yearId: number, q: Knex = db): Promise<CriterionRow[]> {
      return (await q("criteria").where({ year_id: yearId }).orderBy([{ column: "sort_order" }, { column: "id" }])).map(toCriterion);
    },
    async criterionCodeTaken(yearId: number, code: string, exceptId: number | null, q: Knex = db): Promise<boolean> {
      const query = q("criteria").where({ year_id: yearId, code });
      if (exceptId) query.whereNot({ id: exceptId });
      return Boolean(await query.first("id"));
    },
    async insertCriterion(trx: Knex, yearId: number, c: CriterionInput): Promise<number> {
      const [{ id }] = await trx("criteria")
        .insert({ year_id: yearId, parent_id: c.parentId, code: c.code, title: c.title, kind: c.kind, max_points: c.maxPoints, sort_order: c.sortOrder })
        .returning("id");
      return id;
    },
    async updateCriterion(trx: Knex, id: number, c: CriterionInput): Promise<void> {
      await trx("criteria").where({ id }).update({ parent_id: c.parentId, code: c.code, title: c.title, kind: c.kind, max_points: c.maxPoints, sort_order: c.sortOrder });
    },
    async deleteCriterion(trx: Knex, id: number): Promise<void> {
      await trx("criteria").where({ id }).del();
    },

  };
}

export type SetupRepo = ReturnType<typeof setupRepo>;
