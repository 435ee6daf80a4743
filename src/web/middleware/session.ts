import session from "express-session";
import { ConnectSessionKnexStore } from "connect-session-knex";
import type { Knex } from "knex";

export const SESSION_COOKIE = "thidua.sid";

type Callback = (err?: unknown) => void;
type Store = ConnectSessionKnexStore;

/**
 * connect-session-knex both calls the callback with an error AND rejects the promise nobody
 * awaits (an unhandled rejection crashes Node while the database is down), and its `touch`
 * never reports an error (the response would hang). Errors go to the callback only here, so
 * express-session passes them on to the error handler (→ 503 page), and the process lives on.
 */
class DatabaseSessionStore extends ConnectSessionKnexStore {
  constructor(opts: ConstructorParameters<typeof ConnectSessionKnexStore>[0]) {
    super(opts);
    // The table comes from the migrations: no start-up check whose failure would stick forever.
    this.ready.catch(() => {});
    this.ready = Promise.resolve();
  }
  override get(sid: string, cb: Parameters<Store["get"]>[1]) {
    return super.get(sid, cb).catch(() => null);
  }
  override set(sid: string, sess: Parameters<ConnectSessionKnexStore["set"]>[1], cb?: Callback) {
    return super.set(sid, sess, cb).catch(() => {});
  }
  override touch(sid: string, sess: Parameters<ConnectSessionKnexStore["touch"]>[1], cb?: Callback) {
    return super.touch(sid, sess).then(
      () => cb?.(),
      (err: unknown) => cb?.(err),
    );
  }
  override destroy(sid: string, cb?: Callback) {
    return super.destroy(sid, cb).catch(() => 0);
  }
}

/**
 * Sessions live in the database: they survive a restart and several processes share them.
 * `rolling` + maxAge makes maxAge an idle timeout: every request pushes the expiry forward.
 */
export function sessionMiddleware(opts: { db: Knex; secret: string; production: boolean; idleMinutes: number }) {
  const store = new DatabaseSessionStore({
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
