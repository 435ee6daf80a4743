import session from "express-session";
import { ConnectSessionKnexStore } from "connect-session-knex";
import type { Knex } from "knex";

export const SESSION_COOKIE = "thidua.sid";

/**
 * Sessions live in the database: they survive a restart and several processes share them.
 * `rolling` + maxAge makes maxAge an idle timeout: every request pushes the expiry forward.
 */
export function sessionMiddleware(opts: { db: Knex; secret: string; production: boolean; idleMinutes: number }) {
  const store = new ConnectSessionKnexStore({
    knex: opts.db,
    tableName: "sessions",
    createTable: false,
    cleanupInterval: 0, // expired rows are ignored on read; pruning runs from the server, not per app
  });
  return session({
    name: SESSION_COOKIE,
    secret: opts.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: undefined,
    cookie: {
      httpOnly: true,
      sameSite: "lax",
      secure: opts.production,
      maxAge: opts.idleMinutes * 60_000,
    },
  });
}
