import type { Knex } from "knex";
import { DELIVERABLE_NAMES, type DeliverableKind } from "../years/deliverables.js";

export interface DeliverableRow {
  kind: DeliverableKind;
  periodNumber: number | null;
  title: string;
  dueOn: string | null;
  extensionDueOn: string | null;
  status: string | null;
  submittedOn: string | null;
  lateDays: number;
  returnComment: string | null;
  locked: boolean;
}

/** One agency's four deliverables of a year, in four small queries (no per-row lookups). */
export function homeRepo(db: Knex) {
  return {
    async deliverables(yearId: number, agencyId: number): Promise<DeliverableRow[]> {
      const year = await db("emulation_years").where({ id: yearId }).first("registration_due_on");
      const registration = await db("registrations").where({ year_id: yearId, agency_id: agencyId }).first();
      const periods: Record<string, unknown>[] = await db("periods as p")
        .leftJoin("reports as r", function () {
          this.on("r.period_id", "p.id").andOn("r.agency_id", db.raw("?", [agencyId]));
        })
        .leftJoin("period_extensions as e", function () {
          this.on("e.period_id", "p.id").andOn("e.agency_id", db.raw("?", [agencyId]));
        })
        .where("p.year_id", yearId)
        .orderBy("p.number")
        .select("p.kind", "p.number", "p.title", "p.due_on", "p.locked", "e.due_on as extension_due_on", "r.status", "r.submitted_on", "r.late_days", "r.return_comment");
      const sheet = await db("score_sheets").where({ year_id: yearId, agency_id: agencyId }).first();
      const annual = periods.find((p) => p.kind === "annual");
      return [
        {
          kind: "registration", periodNumber: null, title: DELIVERABLE_NAMES.registration.todo, dueOn: year?.registration_due_on ?? null, extensionDueOn: null,
          status: registration?.status ?? null, submittedOn: registration?.submitted_on ?? null, lateDays: registration?.late_days ?? 0,
          returnComment: registration?.return_comment ?? null, locked: false,
        },
        ...periods.map((p) => ({
          kind: p.kind as DeliverableRow["kind"], periodNumber: p.number as number,
          title: p.kind === "six_month" || p.kind === "annual" ? DELIVERABLE_NAMES[p.kind].todo : `Báo cáo ${String(p.title)}`,
          dueOn: p.due_on as string, extensionDueOn: (p.extension_due_on as string | null) ?? null, status: (p.status as string | null) ?? null,
          submittedOn: (p.submitted_on as string | null) ?? null, lateDays: (p.late_days as number | null) ?? 0,
          returnComment: (p.return_comment as string | null) ?? null, locked: p.locked as boolean,
        })),
        {
          kind: "score_sheet", periodNumber: null, title: DELIVERABLE_NAMES.score_sheet.todo, dueOn: (annual?.due_on as string | undefined) ?? null,
          extensionDueOn: (annual?.extension_due_on as string | null | undefined) ?? null, status: sheet?.status ?? null,
          submittedOn: sheet?.submitted_on ?? null, lateDays: sheet?.late_days ?? 0, returnComment: sheet?.return_comment ?? null,
          locked: Boolean(annual?.locked),
        },
      ];
    },
  };
}

export type HomeRepo = ReturnType<typeof homeRepo>;
