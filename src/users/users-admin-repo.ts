import type { Knex } from "knex";
import type { Role } from "../auth/users-repo.js";

export interface ManagedUser {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  agencyId: number | null;
  agencyName: string | null;
  active: boolean;
  lastLoginAt: Date | null;
  blocIds: number[];
}

export interface AgencyOption {
  id: number;
  name: string;
  blocIds: number[];
}

export interface NewUserRow {
  username: string;
  fullName: string;
  role: Role;
  agencyId: number | null;
  passwordHash: string;
  blocIds: number[];
  /** True when the password was chosen by someone else (admin, secretariat). */
  mustChangePassword: boolean;
}

export function userAdminRepo(db: Knex) {
  async function blocsOf(userIds: number[]): Promise<Map<number, number[]>> {
    const rows: { user_id: number; bloc_id: number }[] = userIds.length
      ? await db("user_blocs").whereIn("user_id", userIds).select("user_id", "bloc_id")
      : [];
    const map = new Map<number, number[]>();
    for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.bloc_id]);
    return map;
  }

  const base = () =>
    db("users as u")
      .leftJoin("agencies as a", "a.id", "u.agency_id")
      .select("u.id", "u.username", "u.full_name", "u.role", "u.agency_id", "a.name as agency_name", "u.active", "u.last_login_at");

  function toManaged(r: Record<string, unknown>, blocs: Map<number, number[]>): ManagedUser {
    return {
      id: r.id as number,
      username: r.username as string,
      fullName: r.full_name as string,
      role: r.role as Role,
      agencyId: (r.agency_id as number | null) ?? null,
      agencyName: (r.agency_name as string | null) ?? null,
      active: r.active as boolean,
      lastLoginAt: (r.last_login_at as Date | null) ?? null,
      blocIds: blocs.get(r.id as number) ?? [],
    };
  }

  return {
    /** Every account; the service keeps those the actor may manage. */
    async list(): Promise<ManagedUser[]> {
      const rows = await base().orderBy("u.username");
      const blocs = await blocsOf(rows.map((r) => r.id));
      return rows.map((r) => toManaged(r, blocs));
    },
    async findById(id: number): Promise<ManagedUser | undefined> {
      const row = await base().where("u.id", id).first();
      return row && toManaged(row, await blocsOf([id]));
    },
    async usernameTaken(username: string): Promise<boolean> {
      return Boolean(await db("users").where({ username }).first("id"));
    },
    async agencies(): Promise<AgencyOption[]> {
      const rows: { id: number; name: string; bloc_id: number | null }[] = await db("agencies as a")
        .leftJoin("bloc_memberships as m", "m.agency_id", "a.id")
        .select("a.id", "a.name", "m.bloc_id");
      const map = new Map<number, AgencyOption>();
      for (const r of rows) {
        const a = map.get(r.id) ?? { id: r.id, name: r.name, blocIds: [] };
        if (r.bloc_id !== null && !a.blocIds.includes(r.bloc_id)) a.blocIds.push(r.bloc_id);
        map.set(r.id, a);
      }
      return [...map.values()];
    },
    async blocs(): Promise<{ id: number; name: string }[]> {
      return db("blocs").orderBy("id").select("id", "name");
    },
    async create(trx: Knex, u: NewUserRow): Promise<number> {
      const [{ id }] = await trx("users")
        .insert({
          username: u.username,
          full_name: u.fullName,
          role: u.role,
          agency_id: u.agencyId,
          password_hash: u.passwordHash,
          password_changed_at: trx.fn.now(),
          must_change_password: u.mustChangePassword,
        })
        .returning("id");
      if (u.blocIds.length) await trx("user_blocs").insert(u.blocIds.map((bloc_id) => ({ user_id: id, bloc_id })));
      return id;
    },
    async update(trx: Knex, id: number, u: { fullName: string; role: Role; agencyId: number | null; blocIds: number[] }): Promise<void> {
      await trx("users").where({ id }).update({ full_name: u.fullName, role: u.role, agency_id: u.agencyId, updated_at: trx.fn.now() });
      await trx("user_blocs").where({ user_id: id }).del();
      if (u.blocIds.length) await trx("user_blocs").insert(u.blocIds.map((bloc_id) => ({ user_id: id, bloc_id })));
    },
    async setActive(trx: Knex, id: number, active: boolean): Promise<void> {
      await trx("users").where({ id }).update({ active, updated_at: trx.fn.now() });
      // A deactivated account loses its open sessions at once.
      if (!active) await this.endSessions(trx, id);
    },
    /** Ends every session of the account but `exceptSid` (the one changing its own password). */
    async endSessions(trx: Knex, id: number, exceptSid?: string): Promise<void> {
      const q = trx("sessions").whereRaw("(sess::jsonb -> 'passport' ->> 'user') = ?", [String(id)]);
      if (exceptSid) q.whereNot({ sid: exceptSid });
      await q.del();
    },
    /** `setByOther`: an admin or secretariat chose it, so the user must change it at the next login. */
    async setPasswordHash(trx: Knex, id: number, passwordHash: string, setByOther: boolean): Promise<void> {
      await trx("users").where({ id }).update({ password_hash: passwordHash, password_changed_at: trx.fn.now(), must_change_password: setByOther, updated_at: trx.fn.now() });
    },
    /** The bloc's current member agencies, each with its clerk accounts' usernames (none: needs one). */
    async currentMembersWithClerks(blocId: number): Promise<{ id: number; code: string; name: string; shortName: string; clerks: string[] }[]> {
      const rows: { id: number; code: string; name: string; short_name: string; username: string | null }[] = await db("bloc_memberships as m")
        .join("agencies as a", "a.id", "m.agency_id")
        .leftJoin("users as u", function () {
          this.on("u.agency_id", "a.id").andOn("u.role", db.raw("'clerk'"));
        })
        .where("m.bloc_id", blocId)
        .whereNull("m.left_year")
        .orderBy([{ column: "a.id" }, { column: "u.username" }])
        .select("a.id", "a.code", "a.name", "a.short_name", "u.username");
      const map = new Map<number, { id: number; code: string; name: string; shortName: string; clerks: string[] }>();
      for (const r of rows) {
        const a = map.get(r.id) ?? { id: r.id, code: r.code, name: r.name, shortName: r.short_name, clerks: [] };
        if (r.username) a.clerks.push(r.username);
        map.set(r.id, a);
      }
      return [...map.values()];
    },
    async usernamesLike(prefix: string, q: Knex = db): Promise<string[]> {
      return (await q("users").where("username", "like", `${prefix}%`).select("username")).map((r: { username: string }) => r.username);
    },
  };
}

export type UserAdminRepo = ReturnType<typeof userAdminRepo>;
