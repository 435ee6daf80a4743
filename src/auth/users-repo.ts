import type { Knex } from "knex";
import { accountShape } from "./access.js";

export type Role = "admin" | "secretariat" | "leader" | "observer" | "clerk";

export interface User {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  agencyId: number | null;
  active: boolean;
  /** Someone else set the password: the user changes it before anything else. */
  mustChangePassword: boolean;
  /** Blocs the user works on: assigned ones, or for a clerk the blocs of their agency. */
  blocIds: number[];
}

interface UserRow {
  id: number;
  username: string;
  full_name: string;
  role: Role;
  agency_id: number | null;
  active: boolean;
  must_change_password: boolean;
  password_hash: string;
}

function toUser(row: Omit<UserRow, "password_hash">, blocIds: number[]): User {
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    role: row.role,
    agencyId: row.agency_id,
    active: row.active,
    mustChangePassword: row.must_change_password,
    blocIds,
  };
}

/**
 * The user of alias `u` with their blocs (a clerk's are its agency's), as SQL select columns: `findById`
 * and the session read (one query with the session row, issue 16) share it. No password hash.
 */
export const SESSION_USER_COLUMNS = `u.id, u.username, u.full_name, u.role, u.agency_id, u.active, u.must_change_password,
  case when u.role = 'clerk'
    then (select json_agg(distinct m.bloc_id) from bloc_memberships m where m.agency_id = u.agency_id)
    else (select json_agg(ub.bloc_id) from user_blocs ub where ub.user_id = u.id) end as bloc_ids`;

export type SessionUserRow = Omit<UserRow, "password_hash"> & { bloc_ids: number[] | string | null };

/** The user read with SESSION_USER_COLUMNS. */
export function userFromRow(row: SessionUserRow): User {
  const blocIds = (typeof row.bloc_ids === "string" ? (JSON.parse(row.bloc_ids) as number[]) : (row.bloc_ids ?? [])).map(Number);
  return toUser(row, blocIds.sort((a, b) => a - b));
}

export function usersRepo(db: Knex) {
  async function blocIdsOf(row: UserRow): Promise<number[]> {
    const rows: { bloc_id: number }[] =
      // A clerk's blocs are its agency's; others' are given to the account (a secretariat's agency only marks conflicts).
      accountShape(row.role).hasBlocs || row.agency_id === null
        ? await db("user_blocs").where({ user_id: row.id }).select("bloc_id")
        : await db("bloc_memberships").where({ agency_id: row.agency_id }).distinct("bloc_id");
    return rows.map((r) => r.bloc_id).sort((a, b) => a - b);
  }

  return {
    /** The user with their blocs in one query: every signed-in request reads it (issue 16's query budget). */
    async findById(id: number): Promise<User | undefined> {
      const row: SessionUserRow | undefined = await db("users as u").where("u.id", id).first(db.raw(SESSION_USER_COLUMNS));
      return row && userFromRow(row);
    },
    /** The user with their password hash, for verification only: never rendered or logged. */
    async findCredentials(username: string): Promise<(User & { passwordHash: string }) | undefined> {
      const row = await db<UserRow>("users").where({ username: username.toLowerCase() }).first();
      return row && { ...toUser(row, await blocIdsOf(row)), passwordHash: row.password_hash };
    },
    async touchLastLogin(id: number): Promise<void> {
      await db("users").where({ id }).update({ last_login_at: db.fn.now() });
    },
  };
}

export type UsersRepo = ReturnType<typeof usersRepo>;
