import type { Request } from "express";
import { SESSION_USER_COLUMNS, userFromRow, type SessionUserRow, type User } from "../../auth/users-repo.js";
import { signedInUser } from "../../auth/users-service.js";
import { blocHeaderBindings, blocHeaderColumns, blocHeaderFromRow, type BlocHeaderRow } from "../../blocs/blocs-repo.js";
import { primeBlocHeader } from "../../blocs/bloc-header.js";
import type { Knex } from "knex";
import type { SessionPreload } from "./session.js";
import { YEAR_CONTEXT_SQL, yearContextBindings, yearContextFromRow } from "../../years/years-repo.js";
import { primeYearContext, yearInPath } from "../../years/years-service.js";

const preloaded = new WeakMap<Request, { id: number; user: User | null }>();

/**
 * Issue 16: a signed-in page read its session row, then its user, then the page header (blocs, unread
 * count): three round trips before any page work. They are now one query, read with the session row
 * (session.ts): passport's deserializer takes the user from it (`takeSessionUser`), the header is handed
 * to this GET request's memo. Nothing is kept across requests but the list of blocs, checked against its
 * revision in the same query: a logout, a deactivation, a role change or a renamed bloc made by any
 * process is seen by the next request, as before.
 *
 * A GET year page (/blocs/<code>/years/<yyyy>…) also reads its year context (bloc, year and revision,
 * the bloc's years) in that query, handed to the request's memo like the header: the page's first round
 * trip is its only one while the year is unchanged.
 */
export const sessionPreload = (db: Knex): SessionPreload => ({
  columns: `${SESSION_USER_COLUMNS}, ${blocHeaderColumns("u.id")}`,
  columnBindings: () => blocHeaderBindings(db),
  joinFor(path) {
    const named = yearInPath(path);
    return named && { subquery: YEAR_CONTEXT_SQL, bindings: yearContextBindings(named.blocCode, named.year) };
  },
  attach(req, row) {
    const id = (req.session as { passport?: { user?: unknown } }).passport?.user;
    const user = signedInUser(row.id === null || row.id === undefined ? null : userFromRow(row as unknown as SessionUserRow));
    if (typeof id === "number") preloaded.set(req, { id, user });
    const header = blocHeaderFromRow(db, row as unknown as BlocHeaderRow);
    // A session without an active user shows the anonymous header (no unread count). No header: the
    // list it relied on was replaced meanwhile, and the page reads the header itself.
    if (header) primeBlocHeader(user?.id ?? null, user ? header : { ...header, unread: 0 });
    const named = "spans" in row ? yearInPath(req.path) : undefined;
    if (named) primeYearContext(named.blocCode, named.year, yearContextFromRow(row));
  },
});

/**
 * The session's user as read with the session row, if it was read for this id: the user, or null when
 * the account is gone or deactivated; undefined when not read (then the deserializer queries it).
 */
export function takeSessionUser(req: Request, id: number): User | null | undefined {
  const found = preloaded.get(req);
  preloaded.delete(req);
  return found && found.id === id ? found.user : undefined;
}
