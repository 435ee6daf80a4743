import type { Knex } from "knex";
import type { SubmissionStatus } from "../reports/workflow.js";

export interface RegistrationContent {
  titles: string[];
  targets: string;
}

export interface Registration {
  id: number;
  agencyId: number;
  status: SubmissionStatus;
  content: RegistrationContent;
  signerName: string | null;
  signerPosition: string | null;
  submittedAt: Date | null;
  submittedOn: string | null;
  lateDays: number;
  returnComment: string | null;
  version: number;
}

function toRegistration(r: Record<string, unknown>): Registration {
  const c = (typeof r.content === "string" ? JSON.parse(r.content) : r.content) as Partial<RegistrationContent> | null;
  return {
    id: r.id as number,
    agencyId: r.agency_id as number,
    status: r.status as SubmissionStatus,
    content: { titles: Array.isArray(c?.titles) ? c.titles : [], targets: c?.targets ?? "" },
    signerName: (r.signer_name as string | null) ?? null,
    signerPosition: (r.signer_position as string | null) ?? null,
    submittedAt: (r.submitted_at as Date | null) ?? null,
    submittedOn: (r.submitted_on as string | null) ?? null,
    lateDays: r.late_days as number,
    returnComment: (r.return_comment as string | null) ?? null,
    version: r.version as number,
  };
}

export function registrationsRepo(db: Knex) {
  return {
    async find(yearId: number, agencyId: number): Promise<Registration | undefined> {
      const row = await db("registrations").where({ year_id: yearId, agency_id: agencyId }).first();
      return row && toRegistration(row);
    },
    async listForYear(yearId: number): Promise<Registration[]> {
      return (await db("registrations").where({ year_id: yearId })).map(toRegistration);
    },
    async insert(trx: Knex, yearId: number, agencyId: number): Promise<Registration> {
      const [row] = await trx("registrations").insert({ year_id: yearId, agency_id: agencyId, status: "draft" }).returning("*");
      return toRegistration(row);
    },
    /** Optimistic concurrency: applies only to the version the user saw. */
    async update(trx: Knex, id: number, expectedVersion: number, patch: Record<string, unknown>): Promise<Registration | undefined> {
      const [row] = await trx("registrations")
        .where({ id, version: expectedVersion })
        .update({ ...patch, version: expectedVersion + 1, updated_at: trx.fn.now() })
        .returning("*");
      return row && toRegistration(row);
    },
  };
}

export type RegistrationsRepo = ReturnType<typeof registrationsRepo>;
