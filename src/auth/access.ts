import type { Role, User } from "./users-repo.js";
import { ForbiddenError, NotFoundError } from "../errors.js";

/**
 * The permission table: every rule of who may do what lives here, and only here.
 * Routes and services ask `can(user, action, target)` (a yes/no for showing a button) or
 * `authorize(user, action, target)` (throws). No other file compares roles (test/permissions.test.ts
 * fails on one).
 *
 * A decision is one of:
 *  - "allow";
 *  - "forbid" → 403: the role never has this right (the user may know the page exists);
 *  - "hide"   → 404: the role has the right but the record is outside the user's scope, so a
 *               clerk cannot even learn that another agency's record exists.
 *
 * To add an action: add a line to ACTIONS (roles + scope), use it in the route/service with
 * `authorize`, add its routes to ROUTE_ACTIONS and docs/routes.md (the tests check all three agree).
 */

export const ROLES: readonly Role[] = ["admin", "secretariat", "leader", "observer", "clerk"];

/** What a scope rule needs to know about the record. */
export type Target =
  | { kind: "none" }
  /** a bloc, or anything belonging to one bloc (a year, a period, a ranking) */
  | { kind: "bloc"; blocId: number }
  /** one agency's record inside one bloc (report, sheet, registration) */
  | { kind: "agencyRecord"; blocId: number; agencyId: number }
  /** an agency as a whole (its name, its clerk's account): every bloc it belongs to counts */
  | { kind: "agency"; agencyId: number | null; blocIds: number[] }
  /** an account of `role`; for a clerk, the blocs of its agency */
  | { kind: "account"; userId?: number; role: Role; agencyBlocIds: number[] };

type Scope = "none" | "bloc" | "agencyRecord" | "ownAgency" | "wholeAgency" | "account";

interface Rule {
  roles: readonly Role[];
  scope: Scope;
  /** Out of scope answers 404 ("hide") unless the record is visible anyway ("forbid"). */
  outside?: "forbid";
  /** What the action is, for docs/security.md and the test names. */
  label: string;
}

const S = "secretariat", L = "leader", O = "observer", A = "admin", C = "clerk";

/** The table. `roles` may act at all; `scope` decides which records. */
export const ACTIONS = {
  "session.own": { roles: [A, S, L, O, C], scope: "none", label: "use one's own account (home, change password)" },
  "bloc.read": { roles: [A, S, L, O, C], scope: "bloc", label: "see that a bloc's year exists (a clerk: its agency's blocs)" },
  "bloc.overview": { roles: [A, S, L, O], scope: "bloc", label: "read a whole bloc: dashboard, every agency's reports and sheets, setup, agencies, bundle" },
  "bloc.manage": { roles: [A, S], scope: "bloc", label: "run a bloc: year setup, reviews, ballots, memberships" },
  "ranking.read": { roles: [A, S, L, O], scope: "bloc", label: "read a ranking before it is published" },
  "ranking.readPublished": { roles: [A, S, L, O, C], scope: "bloc", label: "read a published ranking and its documents" },
  "ranking.ties": { roles: [S], scope: "bloc", label: "record the review meeting's choice for a tie" },
  "ranking.publish": { roles: [A, L], scope: "bloc", label: "publish or reopen the ranking" },
  "agency.read": { roles: [A, S, L, O, C], scope: "agencyRecord", label: "read one agency's report, sheet, registration" },
  "agency.submit": { roles: [C], scope: "ownAgency", label: "fill in and submit one's own agency's report, sheet, registration" },
  "agency.edit": { roles: [A, S], scope: "wholeAgency", outside: "forbid", label: "rename an agency (every bloc it belongs to must be the secretariat's)" },
  "home.blocList": { roles: [O], scope: "none", label: "a home page listing every bloc one reads (the provincial office)" },
  "account.list": { roles: [A, S], scope: "none", label: "open the accounts pages" },
  "account.manage": { roles: [A, S], scope: "account", label: "create, edit, reset or lock an account (S: clerks of agencies wholly in its blocs)" },
  "audit.read": { roles: [A, S], scope: "none", label: "read the audit log (S: its blocs)" },
  "audit.readEveryBloc": { roles: [A], scope: "none", label: "read the audit log of every bloc" },
  "audit.readPoints": { roles: [L, O], scope: "none", label: "read the point changes of their blocs in the audit log, read-only" },
  "mail.admin": { roles: [A], scope: "none", label: "see the e-mail outbox and send a failed message again" },
  "year.import": { roles: [A], scope: "none", label: "import a year bundle" },
  "bloc.admin": { roles: [A], scope: "none", label: "create and edit blocs, and give them their secretariat, leader and observer accounts" },
  "year.reopen": { roles: [A], scope: "bloc", label: "reopen a closed year, with a written reason" },
  "objection.read": { roles: [A, S, L, O, C], scope: "bloc", label: "read the objections to a published ranking and their answers (a clerk: of its agency's blocs)" },
  "objection.file": { roles: [C], scope: "bloc", label: "file an objection (kiến nghị) to a published ranking, within the objection window" },
  "objection.answer": { roles: [A, S], scope: "bloc", label: "answer an objection: accept or reject, with the answer" },
  "award.read": { roles: [A, S, L, O], scope: "bloc", label: "read the province's decisions on a year's proposals" },
  "award.decide": { roles: [A, S], scope: "bloc", label: "record the province's decision on a proposal, or revoke an award with its reason" },
  "award.backfill": { roles: [A, S], scope: "wholeAgency", outside: "forbid", label: "enter an award decided outside the portal (S: every bloc of the agency is its own)" },
  "conference.record": { roles: [A, S], scope: "bloc", label: "record the annual conference's choice of next year's head and deputy" },
  "province.read": { roles: [A, O], scope: "none", label: "read the province's view: every bloc given to it side by side, the consolidated proposals and their exports" },
  "history.selfGap": { roles: [A, S, L, O], scope: "bloc", label: "read an agency's self-scoring gap (self-scored against bloc-reviewed points) across years" },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof ACTIONS;
export type Decision = "allow" | "forbid" | "hide";

const inBloc = (user: User, blocId: number) => user.role === A || user.blocIds.includes(blocId);
/** Every bloc of the agency is one of the user's own (an agency shared with another bloc is the admin's). */
const holdsAll = (user: User, blocIds: number[]) => user.role === A || (blocIds.length > 0 && blocIds.every((b) => user.blocIds.includes(b)));

function inScope(user: User, scope: Scope, target: Target): boolean {
  switch (scope) {
    case "none":
      return true;
    case "bloc":
      return "blocId" in target && inBloc(user, target.blocId);
    case "agencyRecord":
      if (target.kind !== "agencyRecord") return false;
      return user.role === C ? user.agencyId === target.agencyId : inBloc(user, target.blocId);
    case "ownAgency":
      return "agencyId" in target && target.agencyId !== null && user.agencyId === target.agencyId;
    case "wholeAgency":
      return target.kind === "agency" && holdsAll(user, target.blocIds);
    case "account":
      if (target.kind !== "account") return false;
      if (user.role === A) return true;
      return target.role === C && holdsAll(user, target.agencyBlocIds);
  }
}

/** The decision of the table for this user, action and record. */
export function decide(user: User, action: Action, target: Target = { kind: "none" }): Decision {
  const rule: Rule = ACTIONS[action];
  if (!rule.roles.includes(user.role)) return "forbid";
  return inScope(user, rule.scope, target) ? "allow" : (rule.outside ?? "hide");
}

/** Whether the role has the right at all, whatever the record (e.g. "is this user a submitter?"). */
export function hasRight(user: User, action: Action): boolean {
  return (ACTIONS[action] as Rule).roles.includes(user.role);
}

/** The blocs whose records the user reads: "all" for the admin. */
export function blocScope(user: User): number[] | "all" {
  return user.role === A ? "all" : user.blocIds;
}

export function can(user: User, action: Action, target?: Target): boolean {
  return decide(user, action, target) === "allow";
}

/** Throws ForbiddenError (403) or NotFoundError (404) unless the table allows. */
export function authorize(user: User, action: Action, target?: Target, forbiddenMessage?: string): void {
  const d = decide(user, action, target);
  if (d === "forbid") throw new ForbiddenError(forbiddenMessage);
  if (d === "hide") throw new NotFoundError();
}

/** A secretariat reviews on behalf of an agency (its own, or the head's): conflict-of-interest rules apply. */
export const reviewsForAgency = (role: string): boolean => role === S;

/** Roles that may act at all, e.g. for the menu and docs/routes.md. */
export const rolesFor = (action: Action): readonly Role[] => (ACTIONS[action] as Rule).roles;

/**
 * Shape of an account by role: a clerk belongs to an agency; a secretariat account may (conflict of
 * interest: it never reviews that agency; none = the head's); admin and clerk get no bloc list.
 */
export function accountShape(role: Role): { hasAgency: boolean; needsAgency: boolean; hasBlocs: boolean } {
  return { hasAgency: role === C || role === S, needsAgency: role === C, hasBlocs: role !== C && role !== A };
}

/** Whether the actor may give this role to an account (the table's account rule). */
export function mayAssignRole(user: User, role: Role): boolean {
  return decide(user, "account.manage", { kind: "account", role, agencyBlocIds: user.blocIds }) === "allow";
}

/** Roles an actor may give to an account it creates, for the form. */
export function assignableRoles(user: User): Role[] {
  return ROLES.filter((role) => mayAssignRole(user, role));
}

export const bloc = (blocId: number): Target => ({ kind: "bloc", blocId });
export const agencyRecord = (r: { agencyId: number; blocId: number }): Target => ({ kind: "agencyRecord", ...r });

/** Short names kept for the features written before the table; each is one line of it. */
export const access = {
  canReadBloc: (user: User, blocId: number): boolean => can(user, "bloc.read", bloc(blocId)),
  assertBloc: (user: User, blocId: number): void => {
    if (!can(user, "bloc.read", bloc(blocId))) throw new NotFoundError();
  },
  assertAgencyRecord: (user: User, record: { agencyId: number; blocId: number }): void => {
    if (!can(user, "agency.read", agencyRecord(record))) throw new NotFoundError();
  },
  /** Changing an agency's own submission: only that agency's clerk (others: 404). */
  assertOwnAgency: (user: User, agencyId: number): void => {
    if (!can(user, "agency.submit", { kind: "agency", agencyId, blocIds: [] })) throw new NotFoundError();
  },
  assertSecretariat: (user: User, blocId: number): void => {
    access.assertBloc(user, blocId);
    authorize(user, "bloc.manage", bloc(blocId));
  },
  isBlocReader: (user: User): boolean => rolesFor("bloc.overview").includes(user.role),
};
