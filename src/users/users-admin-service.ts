import type { Knex } from "knex";
import type { User, Role } from "../auth/users-repo.js";
import type { AuditService } from "../audit/audit-service.js";
import type { AgencyOption, ManagedUser, UserAdminRepo } from "./users-admin-repo.js";
import type { LoginService } from "../auth/login-service.js";
import { hashPassword, oneTimePassword } from "../auth/passwords.js";
import { access } from "../auth/access.js";
import type { Bloc } from "../blocs/blocs-repo.js";
import { ForbiddenError, NotFoundError } from "../errors.js";
import { accountShape, assignableRoles, authorize, can, mayAssignRole, type Target } from "../auth/access.js";

export type FieldErrors = Record<string, string[]>;

interface AccountData {
  fullName: string;
  role: Role;
  agencyId: number | null;
  blocIds: number[];
}

const snapshot = (u: ManagedUser) => ({
  username: u.username,
  fullName: u.fullName,
  role: u.role,
  agencyId: u.agencyId,
  active: u.active,
  blocIds: u.blocIds,
});

export interface OneTimeCredential {
  username: string;
  fullName: string;
  agencyName: string;
  password: string;
}

export function userAdminService(deps: { repo: UserAdminRepo; audit: AuditService; login: LoginService; db: Knex; findBloc: (code: string) => Promise<Bloc | undefined> }) {
  const { repo, audit, login, db, findBloc } = deps;

  /** The bloc's secretariat (or the admin) makes its clerks' accounts. */
  async function clerkBloc(actor: User, blocCode: string): Promise<Bloc> {
    const bloc = await findBloc(blocCode);
    if (!bloc) throw new NotFoundError();
    access.assertSecretariat(actor, bloc.id);
    return bloc;
  }

  /** The table's view of an account: its role and, for a clerk, every bloc of its agency. */
  const accountTarget = (role: Role, agencyId: number | null, agencies: AgencyOption[], userId?: number): Target => ({
    kind: "account",
    userId,
    role,
    agencyBlocIds: agencies.find((a) => a.id === agencyId)?.blocIds ?? [],
  });

  /** Agencies whose clerks the actor may manage (a secretariat: those wholly inside its blocs). */
  async function scopedAgencies(actor: User) {
    const all = await repo.agencies();
    const inScope = all.filter((a) => can(actor, "account.manage", accountTarget("clerk", a.id, all)));
    const collator = new Intl.Collator("vi");
    return inScope.sort((a, b) => collator.compare(a.name, b.name));
  }

  async function findManaged(actor: User, id: number): Promise<ManagedUser> {
    authorize(actor, "account.list");
    const target = await repo.findById(id);
    if (!target) throw new NotFoundError();
    authorize(actor, "account.manage", accountTarget(target.role, target.agencyId, await repo.agencies(), target.id));
    return target;
  }

  /** Field errors for what the actor may not set (role, agency, blocs outside its scope). */
  async function scopeErrors(actor: User, data: AccountData): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    const all = await repo.agencies();
    if (!mayAssignRole(actor, data.role)) errors.role = ["Thường trực Khối chỉ tạo tài khoản cán bộ thi đua."];
    else if (data.agencyId !== null && (!all.some((a) => a.id === data.agencyId) || !can(actor, "account.manage", accountTarget(data.role, data.agencyId, all)))) {
      errors.agencyId = ["Cơ quan, đơn vị không hợp lệ."];
    }
    const blocs = await repo.blocs();
    if (data.blocIds.some((b) => !blocs.some((x) => x.id === b) || !can(actor, "bloc.manage", { kind: "bloc", blocId: b }))) {
      errors.blocIds = ["Khối thi đua không hợp lệ."];
    }
    return errors;
  }

  /**
   * A clerk's bloc comes from its agency; other roles work on the blocs given. A secretariat account
   * may belong to an agency (conflict of interest: it never reviews that agency); none = the head's.
   */
  const normalise = (d: AccountData): AccountData => ({
    ...d,
    agencyId: accountShape(d.role).hasAgency ? d.agencyId : null,
    blocIds: accountShape(d.role).hasBlocs ? d.blocIds : [],
  });

  return {
    async list(actor: User): Promise<ManagedUser[]> {
      authorize(actor, "account.list");
      const [users, agencies] = [await repo.list(), await repo.agencies()];
      return users.filter((u) => can(actor, "account.manage", accountTarget(u.role, u.agencyId, agencies, u.id)));
    },
    async formOptions(actor: User) {
      authorize(actor, "account.list");
      const blocs = (await repo.blocs()).filter((b) => can(actor, "bloc.manage", { kind: "bloc", blocId: b.id }));
      return { agencies: await scopedAgencies(actor), blocs, roles: assignableRoles(actor) };
    },
    get: findManaged,

    async create(actor: User, input: AccountData & { username: string; password: string }, ip: string | undefined): Promise<{ id?: number; errors?: FieldErrors }> {
      authorize(actor, "account.list");
      const data = normalise(input);
      const errors = await scopeErrors(actor, data);
      if (await repo.usernameTaken(input.username)) errors.username = ["Tên đăng nhập này đã có người dùng."];
      if (Object.keys(errors).length) return { errors };
      const passwordHash = await hashPassword(input.password);
      const id = await db.transaction(async (trx) => {
        const newId = await repo.create(trx, { ...data, username: input.username, passwordHash, mustChangePassword: true });
        await audit.record(
          { userId: actor.id, username: actor.username, action: "user.create", entity: "user", entityId: newId, agencyId: data.agencyId, after: { username: input.username, ...data }, ip },
          trx,
        );
        return newId;
      });
      return { id };
    },

    async update(actor: User, id: number, input: AccountData, ip: string | undefined): Promise<{ errors?: FieldErrors }> {
      const before = await findManaged(actor, id);
      const data = normalise(input);
      const errors = await scopeErrors(actor, data);
      if (actor.id === id && data.role !== before.role) errors.role = ["Không thể tự đổi vai trò của chính mình."];
      if (Object.keys(errors).length) return { errors };
      await db.transaction(async (trx) => {
        await repo.update(trx, id, data);
        await audit.record(
          { userId: actor.id, username: actor.username, action: "user.update", entity: "user", entityId: id, agencyId: data.agencyId ?? before.agencyId, before: snapshot(before), after: { ...snapshot(before), ...data }, ip },
          trx,
        );
      });
      return {};
    },

    async setActive(actor: User, id: number, active: boolean, ip: string | undefined): Promise<void> {
      const before = await findManaged(actor, id);
      if (actor.id === id) throw new ForbiddenError("Không thể tự khóa tài khoản của chính mình.");
      await db.transaction(async (trx) => {
        await repo.setActive(trx, id, active);
        await audit.record(
          { userId: actor.id, username: actor.username, action: active ? "user.activate" : "user.deactivate", entity: "user", entityId: id, agencyId: before.agencyId, before: { active: before.active }, after: { active }, ip },
          trx,
        );
      });
    },

    async resetPassword(actor: User, id: number, password: string, ip: string | undefined): Promise<{ errors?: FieldErrors }> {
      const target = await findManaged(actor, id);
      if (password.toLowerCase() === target.username) return { errors: { password: ["Mật khẩu không được trùng tên đăng nhập."] } };
      const hash = await hashPassword(password);
      await db.transaction(async (trx) => {
        await repo.setPasswordHash(trx, id, hash, true);
        // Whoever held the old password is signed out everywhere.
        await repo.endSessions(trx, id);
        await audit.record({ userId: actor.id, username: actor.username, action: "user.reset_password", entity: "user", entityId: id, agencyId: target.agencyId, ip }, trx);
      });
      return {};
    },

    /** The bloc's current member agencies and their clerk accounts. */
    async clerkAccountsPage(actor: User, blocCode: string) {
      const bloc = await clerkBloc(actor, blocCode);
      const members = await repo.currentMembersWithClerks(bloc.id);
      const collator = new Intl.Collator("vi");
      return { bloc, members: members.sort((a, b) => collator.compare(a.name, b.name)), missing: members.filter((m) => m.clerks.length === 0).length };
    },

    /**
     * One clerk account for every current member agency without one, each with a one-time password
     * (shown once, never stored in clear; the clerk must change it at first login). One transaction.
     */
    async createClerkAccounts(actor: User, blocCode: string, ip: string | undefined): Promise<OneTimeCredential[]> {
      const bloc = await clerkBloc(actor, blocCode);
      const missing = (await repo.currentMembersWithClerks(bloc.id)).filter((m) => m.clerks.length === 0);
      const passwords = missing.map(() => oneTimePassword());
      const hashes = await Promise.all(passwords.map((p) => hashPassword(p)));
      return db.transaction(async (trx) => {
        const out: OneTimeCredential[] = [];
        for (const [i, agency] of missing.entries()) {
          const base = `canbo.${agency.code}`.slice(0, 56);
          const taken = new Set(await repo.usernamesLike(base, trx));
          let username = base;
          for (let n = 2; taken.has(username); n++) username = `${base}${n}`;
          const fullName = `Cán bộ thi đua — ${agency.shortName}`.slice(0, 120);
          const data = { role: "clerk" as const, agencyId: agency.id, blocIds: [], fullName };
          const id = await repo.create(trx, { ...data, username, passwordHash: hashes[i]!, mustChangePassword: true });
          await audit.record(
            { userId: actor.id, username: actor.username, action: "user.create", entity: "user", entityId: id, blocId: bloc.id, agencyId: agency.id, after: { username, ...data, oneTimePassword: true }, ip },
            trx,
          );
          out.push({ username, fullName, agencyName: agency.name, password: passwords[i]! });
        }
        return out;
      });
    },

    /**
     * Everyone changes their own password, proving the current one (throttled like the login).
     * Every other session of the account ends; `keepSessionId` (the one making the change) stays.
     */
    async changeOwnPassword(user: User, current: string, next: string, ip: string | undefined, keepSessionId: string): Promise<{ errors?: FieldErrors }> {
      const check = await login.verifyCurrentPassword(user, current, ip ?? "unknown");
      if (!check.ok) return { errors: { currentPassword: [check.message] } };
      if (next.toLowerCase() === user.username) return { errors: { newPassword: ["Mật khẩu không được trùng tên đăng nhập."] } };
      if (next === current) return { errors: { newPassword: ["Mật khẩu mới phải khác mật khẩu hiện tại."] } };
      const newHash = await hashPassword(next);
      await db.transaction(async (trx) => {
        await repo.setPasswordHash(trx, user.id, newHash, false);
        await repo.endSessions(trx, user.id, keepSessionId);
        await audit.record({ userId: user.id, username: user.username, action: "user.change_password", entity: "user", entityId: user.id, agencyId: user.agencyId, ip }, trx);
      });
      return {};
    },
  };
}

export type UserAdminService = ReturnType<typeof userAdminService>;
