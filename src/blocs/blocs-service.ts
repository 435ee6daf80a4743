import type { Knex } from "knex";
import type { User } from "../auth/users-repo.js";
import type { AuditService } from "../audit/audit-service.js";
import { NotFoundError } from "../errors.js";
import { authorize } from "../auth/access.js";
import type { Bloc, BlocFields, BlocsRepo } from "./blocs-repo.js";

export type FieldErrors = Record<string, string[]>;

export const blocMessages = {
  codeTaken: "Mã khối này đã được dùng cho một khối khác.",
  accountNotAllowed: "Chỉ giao khối cho tài khoản Thường trực, Lãnh đạo khối hoặc Ban Thi đua – Khen thưởng.",
};

/** Blocs are the admin's: create, edit, and give them the accounts that work on them. */
export function blocsService(deps: { repo: BlocsRepo; audit: AuditService; db: Knex }) {
  const { repo, audit, db } = deps;

  const assertAdmin = (user: User): void => authorize(user, "bloc.admin");

  async function find(user: User, code: string): Promise<Bloc> {
    assertAdmin(user);
    const bloc = await repo.findByCode(code);
    if (!bloc) throw new NotFoundError();
    return bloc;
  }

  const record = (user: User, action: string, blocId: number, before: unknown, after: unknown, trx: Knex, ip?: string) =>
    audit.record({ userId: user.id, username: user.username, action, entity: "bloc", entityId: blocId, blocId, before, after, ip }, trx);

  return {
    async list(user: User): Promise<Bloc[]> {
      assertAdmin(user);
      return repo.list();
    },
    async page(user: User, code: string) {
      const bloc = await find(user, code);
      return { bloc, accounts: await repo.accounts(bloc.id) };
    },
    async create(user: User, input: BlocFields & { code: string }, ip?: string): Promise<{ errors?: FieldErrors }> {
      assertAdmin(user);
      return db.transaction(async (trx) => {
        if (await repo.findByCode(input.code, trx)) return { errors: { code: [blocMessages.codeTaken] } };
        const id = await repo.insert(trx, input.code, input);
        await record(user, "bloc.create", id, null, input, trx, ip);
        return {};
      });
    },
    async update(user: User, code: string, input: BlocFields, ip?: string): Promise<void> {
      const bloc = await find(user, code);
      await db.transaction(async (trx) => {
        await repo.update(trx, bloc.id, input);
        await record(user, "bloc.update", bloc.id, bloc, input, trx, ip);
      });
    },
    async setAccounts(user: User, code: string, userIds: number[], ip?: string): Promise<{ errors?: FieldErrors }> {
      const bloc = await find(user, code);
      const accounts = await repo.accounts(bloc.id);
      if (userIds.some((id) => !accounts.some((a) => a.id === id))) return { errors: { userIds: [blocMessages.accountNotAllowed] } };
      await db.transaction(async (trx) => {
        await repo.setAccounts(trx, bloc.id, userIds);
        await record(user, "bloc.accounts", bloc.id, { userIds: accounts.filter((a) => a.assigned).map((a) => a.id) }, { userIds }, trx, ip);
      });
      return {};
    },
  };
}

export type BlocsService = ReturnType<typeof blocsService>;
