import { createHash } from "node:crypto";
import type { Knex } from "knex";

const names = new Map<string, string>();

/** A statement name per SQL text (PostgreSQL needs one text per name on a connection). */
function nameOf(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `thidua_${createHash("sha1").update(sql).digest("hex").slice(0, 20)}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * A raw query run as a named prepared statement: each pooled connection plans it once and reuses the
 * plan. For the few statements every request runs (the session read with its user, header and year):
 * planning them took ~1.2 ms of PostgreSQL's CPU a request, executing them ~0.2 ms (issue 16). Their
 * text must not vary per request except through the bindings (one statement per text and connection).
 */
export function preparedRaw(db: Knex, sql: string, bindings: readonly Knex.RawBinding[]) {
  return db.raw(sql, bindings as Knex.RawBinding[]).options({ name: nameOf(sql) });
}
