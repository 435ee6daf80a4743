import type { Knex } from "knex";
import { createServices } from "../src/services.js";
import { usersRepo } from "../src/auth/users-repo.js";
import { hashPassword } from "../src/auth/passwords.js";
import { DEMO_PASSWORD } from "../seeds/demo-data.js";

// Records a test makes for itself, so that it needs no other test's writes and leaves the shared
// ones (the demo's agencies and reports) as seeded.

let demoPasswordHash: Promise<string> | undefined;
/** The demo password's hash, computed once per worker (argon2 takes a noticeable moment). */
const passwordHash = () => (demoPasswordHash ??= hashPassword(DEMO_PASSWORD));

export interface NewMember {
  id: number;
  code: string;
  name: string;
  /** The username of its clerk (the demo password). */
  clerk: string;
}

/**
 * A new member agency of `bloc` from `year` (it joins the bloc's open years, like one the secretariat
 * adds on the bloc's agencies page, through the same service), with one clerk account
 * `canbo.<code>` that signs in with the demo password and need not change it.
 */
export async function addMemberAgency(
  db: Knex,
  opts: { bloc: string; code: string; name: string; shortName?: string; year: number; by?: string },
): Promise<NewMember> {
  const by = await db("users").where({ username: opts.by ?? "thuongtruc" }).first("id");
  const secretariat = await usersRepo(db).findById(by.id);
  const created = await createServices(db).agencies.create(secretariat!, opts.bloc, {
    code: opts.code,
    name: opts.name,
    shortName: opts.shortName ?? opts.name,
    headName: null,
    headPosition: null,
    governingBody: null,
    joinedYear: opts.year,
  });
  if (created.errors) throw new Error(`agency ${opts.code}: ${JSON.stringify(created.errors)}`);
  const { id } = await db("agencies").where({ code: opts.code }).first("id");
  const clerk = `canbo.${opts.code}`;
  await addAccount(db, { username: clerk, fullName: `Cán bộ ${opts.name}`, role: "clerk", agency: opts.code });
  return { id, code: opts.code, name: opts.name, clerk };
}

/**
 * An account that signs in with the demo password and need not change it: a bloc's secretariat,
 * leader or observer (`blocs`: the codes of the blocs it is given), or a clerk (`agency`: its code).
 */
export async function addAccount(
  db: Knex,
  opts: { username: string; role: "secretariat" | "leader" | "observer" | "clerk"; fullName?: string; blocs?: string[]; agency?: string },
): Promise<number> {
  const agency = opts.agency ? await db("agencies").where({ code: opts.agency }).first("id") : null;
  const [{ id }] = await db("users")
    .insert({ username: opts.username, full_name: opts.fullName ?? opts.username, role: opts.role, agency_id: agency?.id ?? null, email: `${opts.username}@tuyenquang.example`, password_hash: await passwordHash() })
    .returning("id");
  for (const code of opts.blocs ?? []) {
    const bloc = await db("blocs").where({ code }).first("id");
    await db("user_blocs").insert({ user_id: id, bloc_id: bloc.id });
  }
  return id;
}
