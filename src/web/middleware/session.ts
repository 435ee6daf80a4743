import session from "express-session";
import type { NextFunction, Request, Response } from "express";
import { ConnectSessionKnexStore } from "connect-session-knex";
import type { Knex } from "knex";
import type { Logger } from "../../logger.js";
import { readOnlyRequestPath } from "../../years/year-cache.js";
import { preparedRaw } from "../../db/prepared.js";

export const SESSION_COOKIE = "thidua.sid";

/** A signed-in session ends this long after the login, however active (the idle timeout is separate). */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** The expiry of an active session is written at most this often (not on every request). */
export const SESSION_TOUCH_MS = 60_000;
/** An expired session's row is kept this long, so a form posted after it expired can still be rescued. */
export const SESSION_RESCUE_MS = 24 * 60 * 60_000;

type Callback = (err?: unknown) => void;

/**
 * What is read in the same query as the session row (issue 16: one round trip instead of three on every
 * signed-in page): `columns` are select columns where `u` is the session's signed-in user (a left join,
 * so all null without one); `attach` gets the row once express-session has made `req.session` from it.
 * It is read at the same moment as the session itself, so it is never staler than the session.
 */
export interface SessionPreload {
  columns: string;
  /** The bindings of the `?`s in `columns`, asked on every read (they may name what this process already holds). */
  columnBindings(): (string | number)[];
  /**
   * More to read in the same round trip for the GET request at `path` (given inside a GET's request
   * scope only): a subquery joined to the session row (its columns are added to the row) and its
   * bindings; undefined for nothing more.
   */
  joinFor?(path: string): { subquery: string; bindings: (string | number)[] } | undefined;
  attach(req: Request, row: Record<string, unknown>): void;
}
const PRELOADED = Symbol("preloaded row");
type Store = ConnectSessionKnexStore;
type StoredSession = Parameters<Store["set"]>[1] & { signedInAt?: number; passport?: { user?: unknown }; touchedUntil?: string };

/** A signed-in session past its absolute lifetime (or from before lifetimes were recorded). */
export function pastAbsoluteLifetime(sess: { signedInAt?: unknown; passport?: { user?: unknown } }, now: number): boolean {
  if (sess.passport?.user === undefined) return false;
  return typeof sess.signedInAt !== "number" || now - sess.signedInAt > SESSION_ABSOLUTE_MS;
}

/**
 * connect-session-knex both calls the callback with an error AND rejects the promise nobody
 * awaits (an unhandled rejection crashes Node while the database is down), and its `touch`
 * never reports an error (the response would hang). Errors go to the callback only here, so
 * express-session passes them on to the error handler (→ 503 page), and the process lives on.
 *
 * Besides: a session past its absolute lifetime reads as absent (its row is marked expired, so a
 * form posted with it can still be rescued); `set` and `touch` write the expiry from the idle
 * timeout (the cookie has none), `touch` at most once a minute.
 */
class DatabaseSessionStore extends ConnectSessionKnexStore {
  private readonly db: Knex;
  private readonly preload: SessionPreload | undefined;
  /** The idle timeout: a session's row expires this long after its last request (written at most once a minute). */
  private readonly idleMs: number;
  private readonly read: (extra?: string) => string;
  /** The read's SQL text by joined subquery ("" for none), built once each. */
  private readonly reads = new Map<string, string>();
  constructor(opts: ConstructorParameters<typeof ConnectSessionKnexStore>[0] & { knex: Knex; preload?: SessionPreload; idleMs: number }) {
    super(opts);
    this.db = opts.knex;
    this.idleMs = opts.idleMs;
    this.preload = opts.preload;
    // passport keeps the signed-in user's id in the session (`passport.user`); anything else joins nobody.
    this.read = (extra) =>
      opts.preload
        ? `select s.sess, s.expired, ${opts.preload.columns}${extra ? ", extra.*" : ""} from sessions s
             left join users u on u.id = (case when json_typeof(s.sess->'passport'->'user') = 'number' then (s.sess->'passport'->>'user')::int end)
             ${extra ? `left join (${extra}) extra on true` : ""}
           where s.sid = ? and s.expired > ? limit 1`
        : "select s.sess, s.expired from sessions s where s.sid = ? and s.expired > ? limit 1";
    // The table comes from the migrations: no start-up check whose failure would stick forever.
    this.ready.catch(() => {});
    this.ready = Promise.resolve();
  }
  override get(sid: string, cb: Parameters<Store["get"]>[1]) {
    const read = async () => {
      const now = Date.now();
      const path = readOnlyRequestPath();
      const extra = path === undefined ? undefined : this.preload?.joinFor?.(path);
      const joined = extra?.subquery ?? "";
      let sql = this.reads.get(joined);
      if (sql === undefined) this.reads.set(joined, (sql = this.read(joined || undefined)));
      const bindings = [...(this.preload?.columnBindings() ?? []), ...(extra?.bindings ?? []), sid, new Date(now)];
      // Prepared: the same few texts on every request, whose planning cost more than their execution.
      const { rows } = await preparedRaw(this.db, sql, bindings);
      const row = rows[0] as ({ sess: StoredSession | string; expired: Date | string } & Record<string, unknown>) | undefined;
      if (!row) return null;
      const sess = (typeof row.sess === "string" ? JSON.parse(row.sess) : row.sess) as StoredSession;
      if (pastAbsoluteLifetime(sess, now)) {
        await this.db("sessions").where({ sid }).update({ expired: new Date(now) });
        return null;
      }
      // Seen by `touch` below; express-session copies it into req.session, `set` leaves it out.
      sess.touchedUntil = new Date(row.expired).toISOString();
      // Not copied into req.session (a symbol key), handed to `preload.attach` by createSession below.
      if (this.preload) (sess as StoredSession & { [PRELOADED]?: unknown })[PRELOADED] = row;
      return sess;
    };
    return read().then(
      (sess) => {
        cb(null, sess);
        return sess;
      },
      (err: unknown) => {
        cb(err);
        return null;
      },
    );
  }
  override createSession(req: Request, sess: session.SessionData) {
    const row = (sess as session.SessionData & { [PRELOADED]?: Record<string, unknown> })[PRELOADED];
    const made = super.createSession(req, sess);
    if (row && this.preload) this.preload.attach(req, row);
    return made;
  }
  override set(sid: string, sess: StoredSession, cb?: Callback) {
    const { touchedUntil: _ignored, ...stored } = sess;
    const expired = new Date(Date.now() + this.idleMs);
    return this.db("sessions")
      .insert({ sid, sess: JSON.stringify(stored), expired })
      .onConflict("sid")
      .merge(["sess", "expired"])
      .then(
        () => cb?.(),
        (err: unknown) => cb?.(err),
      );
  }
  override touch(sid: string, sess: StoredSession, cb?: Callback) {
    const now = Date.now();
    const written = sess.touchedUntil ? Date.parse(sess.touchedUntil) : 0;
    if (written && now + this.idleMs - written < SESSION_TOUCH_MS) {
      cb?.();
      return Promise.resolve();
    }
    // An expired row stays expired (it can only be rescued from, never revived).
    return this.db("sessions")
      .where({ sid })
      .andWhere("expired", ">", new Date(now))
      .update({ expired: new Date(now + this.idleMs) })
      .then(
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
 * The idle timeout is the row's expiry, which activity pushes forward (at most once a minute);
 * an expired row reads as no session. The cookie carries no expiry of its own: the browser keeps
 * it until it closes, so a form posted after the session expired still names its session and can
 * be rescued (rescue-expired-form.ts), and a page need not re-sign and resend the cookie on every
 * response (issue 16). Only signed-in users (and a form rescued after expiry) get a session:
 * anonymous pages write none.
 */
export function sessionMiddleware(opts: { db: Knex; secret: string; production: boolean; idleMinutes: number; preload?: SessionPreload }) {
  const store = new DatabaseSessionStore({
    knex: opts.db,
    preload: opts.preload,
    idleMs: opts.idleMinutes * 60_000,
    tableName: "sessions",
    createTable: false,
    cleanupInterval: 0, // pruning runs on the server's schedule (pruneExpiredSessions), not per app
  });
  return session({
    name: SESSION_COOKIE,
    secret: opts.secret,
    store,
    resave: false,
    saveUninitialized: false,
    // The cookie is the browser's session cookie, set once per login; see above.
    rolling: false,
    proxy: undefined,
    cookie: {
      httpOnly: true,
      sameSite: "lax",
      secure: opts.production,
    },
  });
}

/** Deletes sessions expired for longer than the rescue window; returns how many. */
export async function pruneExpiredSessions(db: Knex, now: Date = new Date()): Promise<number> {
  return db("sessions").where("expired", "<", new Date(now.getTime() - SESSION_RESCUE_MS)).del();
}

/** Prunes at once and then every `everyMs` (hourly by default); returns the stopper. */
export function scheduleSessionPruning(db: Knex, logger: Logger, everyMs = 60 * 60_000): () => void {
  const run = () => {
    pruneExpiredSessions(db).then(
      (n) => n > 0 && logger.info({ deleted: n }, "expired sessions pruned"),
      (err: unknown) => logger.warn({ err }, "pruning expired sessions failed"),
    );
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * express-session sends a response's headers before its store write finishes (it holds back
 * only the last byte), and a browser follows a 303 as soon as the headers arrive: the next page
 * could read the session without the flash message just set. A redirect waits for the save.
 */
export function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    // Anonymous visitors keep no session row (a logout's redirect included).
    if (!req.user || !req.session || typeof req.session.save !== "function") return redirect(...args);
    req.session.save(() => redirect(...args));
  }) as typeof res.redirect;
  next();
}
