import type { Knex } from "knex";
import { preparedRaw } from "../db/prepared.js";

export interface Bloc {
  id: number;
  code: string;
  name: string;
  issuingBody: string;
  shortName: string;
  placeName: string;
  level: BlocLevel;
}

export const BLOC_LEVELS = ["province", "district", "commune_cluster"] as const;
export type BlocLevel = (typeof BLOC_LEVELS)[number];

export interface BlocFields {
  name: string;
  shortName: string;
  issuingBody: string;
  placeName: string;
  level: BlocLevel;
}

/** An account a bloc can be given (secretariat, leader, observer). */
export interface BlocAccount {
  id: number;
  username: string;
  fullName: string;
  role: string;
  assigned: boolean;
}

export interface BlocRow {
  id: number;
  code: string;
  name: string;
  issuing_body: string;
  short_name: string;
  place_name: string;
  level: BlocLevel;
}

export const toBloc = (r: BlocRow): Bloc => ({
  id: r.id,
  code: r.code,
  name: r.name,
  issuingBody: r.issuing_body,
  shortName: r.short_name,
  placeName: r.place_name,
  level: r.level,
});

const toRow = (f: BlocFields) => ({ name: f.name, short_name: f.shortName, issuing_body: f.issuingBody, place_name: f.placeName, level: f.level });

export interface BlocHeader {
  blocs: Bloc[];
  unread: number;
}
export interface BlocHeaderRow {
  unread: number | string;
  blocs_revision: number | string;
  /** Null when the list has not changed since the revision this process already holds. */
  blocs: BlocRow[] | string | null;
}

/**
 * The blocs list each database last gave this process, with its revision (migration 270): the header
 * query sends the list again only when its revision moved. Per database (tests open several in one
 * process); shared by the requests, so read only.
 */
const BLOCS_REVISION = "coalesce((select l.revision from list_revisions l where l.name = 'blocs'), 0)";
const knownBlocs = new WeakMap<Knex, { revision: number; blocs: readonly Bloc[] }>();

/**
 * What every page's header shows, as select columns: the blocs (for the brand) and the unread notification
 * count of the user whose id is the SQL expression `userId` (code, never input; -1 or null: nobody).
 * Read alone (`header`) or with the session row (issue 16's query budget). The blocs come back only when
 * they changed since the list this process holds (else null, and `blocHeaderFromRow` takes the held one):
 * its one `?` takes `blocHeaderBindings`, after any in `userId`.
 */
export const blocHeaderColumns = (userId: string) =>
  `(select count(*) from notifications n where n.user_id = ${userId} and n.read_at is null) as unread,
   ${BLOCS_REVISION} as blocs_revision,
   case when ${BLOCS_REVISION} = ?::bigint then null else
      (select coalesce(json_agg(json_build_object('id', b.id, 'code', b.code, 'name', b.name, 'issuing_body', b.issuing_body,
        'short_name', b.short_name, 'place_name', b.place_name, 'level', b.level) order by b.id), '[]'::json) from blocs b) end as blocs`;

/** The binding of `blocHeaderColumns`' placeholder: the revision of the list this process holds (-1: none). */
export const blocHeaderBindings = (db: Knex): [number] => [knownBlocs.get(db)?.revision ?? -1];

/** The header from its columns; undefined when the row relies on a list this process no longer holds (read again). */
export function blocHeaderFromRow(db: Knex, r: BlocHeaderRow): BlocHeader | undefined {
  const revision = Number(r.blocs_revision);
  const unread = Number(r.unread);
  if (r.blocs === null) {
    const held = knownBlocs.get(db);
    return held && held.revision === revision ? { unread, blocs: held.blocs as Bloc[] } : undefined;
  }
  const blocs = (typeof r.blocs === "string" ? (JSON.parse(r.blocs) as BlocRow[]) : r.blocs).map(toBloc);
  const held = knownBlocs.get(db);
  // Concurrent requests may bring two revisions back in either order: the newer stays.
  if (!held || held.revision < revision) knownBlocs.set(db, { revision, blocs });
  return { unread, blocs };
}

export function blocsRepo(db: Knex) {
  return {
    async list(): Promise<Bloc[]> {
      return (await db<BlocRow>("blocs").orderBy("id")).map(toBloc);
    },
    /**
     * What every page's header shows, in one query: the blocs (for the brand) and, for a signed-in user,
     * their unread notification count (issue 16's query budget).
     */
    async header(userId: number | null): Promise<BlocHeader> {
      const { rows } = await preparedRaw<BlocHeaderRow>(db, `select ${blocHeaderColumns("?")}`, [userId ?? -1, ...blocHeaderBindings(db)]);
      const header = blocHeaderFromRow(db, rows[0]!);
      if (header) return header;
      // The held list was replaced between the query's text and its answer: ask for the list itself.
      knownBlocs.delete(db);
      return this.header(userId);
    },
    async findByCode(code: string, q: Knex = db): Promise<Bloc | undefined> {
      const row = await q<BlocRow>("blocs").where({ code }).first();
      return row && toBloc(row);
    },
    async insert(trx: Knex, code: string, f: BlocFields): Promise<number> {
      const [{ id }] = await trx("blocs").insert({ code, ...toRow(f) }).returning("id");
      return id;
    },
    async update(trx: Knex, id: number, f: BlocFields): Promise<void> {
      await trx("blocs").where({ id }).update({ ...toRow(f), updated_at: trx.fn.now() });
    },
    /** Every secretariat, leader and observer account, marked when it works on the bloc. */
    async accounts(blocId: number): Promise<BlocAccount[]> {
      const rows: { id: number; username: string; full_name: string; role: string; bloc_id: number | null }[] = await db("users as u")
        .leftJoin("user_blocs as ub", function () {
          this.on("ub.user_id", "u.id").andOn("ub.bloc_id", db.raw("?", [blocId]));
        })
        .whereIn("u.role", ["secretariat", "leader", "observer"])
        .orderBy("u.username")
        .select("u.id", "u.username", "u.full_name", "u.role", "ub.bloc_id");
      return rows.map((r) => ({ id: r.id, username: r.username, fullName: r.full_name, role: r.role, assigned: r.bloc_id !== null }));
    },
    /** Gives the bloc exactly these accounts (among secretariat, leader, observer). */
    async setAccounts(trx: Knex, blocId: number, userIds: number[]): Promise<void> {
      await trx("user_blocs").where({ bloc_id: blocId }).whereIn("user_id", trx("users").whereIn("role", ["secretariat", "leader", "observer"]).select("id")).del();
      if (userIds.length) await trx("user_blocs").insert(userIds.map((user_id) => ({ user_id, bloc_id: blocId })));
    },
  };
}

export type BlocsRepo = ReturnType<typeof blocsRepo>;
