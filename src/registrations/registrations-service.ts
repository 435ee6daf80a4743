import type { Knex } from "knex";
import type { NotificationsService } from "../notifications/notifications-service.js";
import { acceptedDraft, registrationTitle, returnedDraft } from "../notifications/messages.js";
import type { User } from "../auth/users-repo.js";
import { access, can } from "../auth/access.js";
import type { AuditService } from "../audit/audit-service.js";
import type { YearsService } from "../years/years-service.js";
import { ConflictError, NotFoundError, RuleViolationError } from "../errors.js";
import { localDate } from "../lib/dates.js";
import { isEditableByAgency, lateness, nextStatus, STATUS_LABELS } from "../reports/workflow.js";
import { messages } from "../reports/messages.js";
import type { RegistrationsRepo } from "./registrations-repo.js";
import { TITLE_OPTIONS } from "./schemas.js";

export interface RegistrationInput {
  action: "save" | "submit";
  version: number | null;
  titles: string[];
  targets: string;
  signerName: string;
  signerPosition: string;
}

/** An agency's emulation registration (đăng ký thi đua), with the same workflow as reports. */
export function registrationsService(deps: { db: Knex; repo: RegistrationsRepo; years: YearsService; audit: AuditService; notifications: NotificationsService; now: () => Date }) {
  const { db, repo, years, audit, notifications, now } = deps;

  async function open(user: User, blocCode: string, year: number, agencyCode: string) {
    const ctx = await years.open(user, blocCode, year);
    const agency = ctx.agencies.find((a) => a.code === agencyCode);
    if (!agency) throw new NotFoundError();
    access.assertAgencyRecord(user, { agencyId: agency.id, blocId: ctx.bloc.id });
    return { ctx, agency, registration: await repo.find(ctx.year.id, agency.id) };
  }

  return {
    /** 404 / 403 before a posted form is read: only the agency's clerk saves, the secretariat reviews. */
    async assertCanPost(user: User, blocCode: string, year: number, agencyCode: string, kind: "save" | "review"): Promise<void> {
      const o = await open(user, blocCode, year, agencyCode);
      if (kind === "save") access.assertOwnAgency(user, o.agency.id);
      else access.assertSecretariat(user, o.ctx.bloc.id);
    },

    async page(user: User, blocCode: string, year: number, agencyCode: string) {
      const o = await open(user, blocCode, year, agencyCode);
      const status = o.registration?.status ?? null;
      return {
        ...o,
        titleOptions: TITLE_OPTIONS,
        statusLabel: STATUS_LABELS[status ?? "missing"],
        dueOn: o.ctx.year.registrationDueOn,
        canEdit: can(user, "agency.submit", { kind: "agency", agencyId: o.agency.id, blocIds: [] }) && isEditableByAgency(status),
        canReview: can(user, "bloc.manage", { kind: "bloc", blocId: o.ctx.bloc.id }) && status === "submitted",
        path: `${o.ctx.basePath}/registration/${o.agency.code}`,
      };
    },

    async save(user: User, blocCode: string, year: number, agencyCode: string, input: RegistrationInput, ip?: string): Promise<{ ok: boolean; conflict?: boolean; lateDays?: number }> {
      const o = await open(user, blocCode, year, agencyCode);
      access.assertOwnAgency(user, o.agency.id);
      const current = o.registration;
      if (current && !isEditableByAgency(current.status)) {
        if (current.status === "submitted" && input.action === "submit") return { ok: false, conflict: true };
        throw new RuleViolationError(messages.notEditable);
      }
      if (current && input.version !== current.version) return { ok: false, conflict: true };
      const status = nextStatus(current?.status ?? null, input.action)!;
      const at = now();
      return db.transaction(async (trx) => {
        const row = current ?? (await repo.insert(trx, o.ctx.year.id, o.agency.id));
        const patch: Record<string, unknown> = {
          status,
          content: JSON.stringify({ titles: input.titles, targets: input.targets }),
          signer_name: input.signerName || null,
          signer_position: input.signerPosition || null,
        };
        if (input.action === "submit") {
          const firstOn = row.submittedOn ?? localDate(at);
          Object.assign(patch, { submitted_at: at, submitted_on: firstOn, late_days: o.ctx.year.registrationDueOn ? lateness(firstOn, o.ctx.year.registrationDueOn, null) : 0 });
        }
        const saved = await repo.update(trx, row.id, row.version, patch);
        if (!saved) throw new ConflictError(messages.conflict);
        await audit.record(
          { userId: user.id, username: user.username, action: `registration.${input.action}`, entity: "registration", entityId: saved.id, blocId: o.ctx.bloc.id, agencyId: o.agency.id, before: current ? { status: current.status, content: current.content } : null, after: { status: saved.status, content: saved.content }, ip },
          trx,
        );
        return { ok: true, lateDays: saved.lateDays };
      });
    },

    async review(user: User, blocCode: string, year: number, agencyCode: string, input: { action: "return" | "accept"; comment: string; version: number }, ip?: string): Promise<{ errors?: Record<string, string[]> }> {
      const o = await open(user, blocCode, year, agencyCode);
      access.assertSecretariat(user, o.ctx.bloc.id);
      const current = o.registration;
      const status = current ? nextStatus(current.status, input.action) : null;
      if (!current || !status) throw new RuleViolationError(messages.cannotReview);
      if (input.action === "return" && !input.comment.trim()) return { errors: { comment: [messages.commentRequired] } };
      await db.transaction(async (trx) => {
        const patch = input.action === "return" ? { status, return_comment: input.comment.trim() } : { status, accepted_at: now() };
        if (!(await repo.update(trx, current.id, input.version, patch))) throw new ConflictError(messages.conflict);
        await audit.record({ userId: user.id, username: user.username, action: `registration.${input.action}`, entity: "registration", entityId: current.id, blocId: o.ctx.bloc.id, agencyId: o.agency.id, before: { status: current.status }, after: { status }, ip }, trx);
        const link = `${o.ctx.basePath}/registration/${o.agency.code}`;
        const what = registrationTitle(o.ctx.year.year);
        await notifications.notifyAgency(
          trx,
          o.agency.id,
          input.action === "return"
            ? returnedDraft(what, input.comment.trim(), link, `registration:${current.id}:v${input.version + 1}:returned`)
            : acceptedDraft(what, link, `registration:${current.id}:accepted`),
        );
      });
      return {};
    },

    /** Every agency of the year with its registration's state. */
    async overview(user: User, blocCode: string, year: number) {
      const ctx = await years.open(user, blocCode, year);
      if (!access.isBlocReader(user)) throw new NotFoundError();
      const byAgency = new Map((await repo.listForYear(ctx.year.id)).map((r) => [r.agencyId, r]));
      return {
        ctx,
        rows: ctx.agencies.map((a) => {
          const r = byAgency.get(a.id);
          return { agency: a, status: r?.status ?? "missing", statusLabel: STATUS_LABELS[r?.status ?? "missing"], submittedOn: r?.submittedOn ?? null, lateDays: r?.lateDays ?? 0, titles: r?.content.titles ?? [], href: `${ctx.basePath}/registration/${a.code}` };
        }),
      };
    },
  };
}

export type RegistrationsService = ReturnType<typeof registrationsService>;
