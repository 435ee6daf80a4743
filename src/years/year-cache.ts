import { AsyncLocalStorage } from "node:async_hooks";
import type { NextFunction, Request, Response } from "express";

/**
 * Issue 16: one read of a year per request, one computation of a year per revision.
 *
 * - The request scope (GET/HEAD only: nothing is written while it lives) memoises the year context
 *   query, so the year pages' middleware, the page's service and the ranking it shows share one read.
 * - The computed-year cache keeps, per year, what was built from its rows (agencies, periods, the scored
 *   ranking, the dashboard's submissions) under the year's `revision`, which every write to the year
 *   bumps in the same transaction (migration 240). Each request reads the revision with the year
 *   context; a different revision is a miss. Several processes on one database therefore never serve a
 *   stale page: they each compare with the committed revision.
 *
 * Only services reading through the pool (committed data) use the cache; services bound to a transaction
 * (snapshots, imports) are built without one.
 */
const requestScope = new AsyncLocalStorage<{ path: string; memo: Map<string, Promise<unknown>> }>();

/** Middleware: GET and HEAD requests get a request scope for `requestMemo`. */
export function readOnlyRequestScope(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === "GET" || req.method === "HEAD") requestScope.run({ path: req.path, memo: new Map() }, next);
  else next();
}

/**
 * The path of the GET request being served, for code that runs on its behalf without the request
 * object (the session store's read, which joins the year the path names); undefined outside one.
 */
export function readOnlyRequestPath(): string | undefined {
  return requestScope.getStore()?.path;
}

/** `load()` once per request under `key` (every time outside a GET's request scope). */
export function requestMemo<T>(key: string, load: () => Promise<T>): Promise<T> {
  const store = requestScope.getStore()?.memo;
  if (!store) return load();
  let p = store.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    store.set(key, p);
    p.catch(() => store.delete(key));
  }
  return p;
}

/** Gives `requestMemo(key)` its value when it was read with something else (only inside a GET's request scope). */
export function primeRequestMemo<T>(key: string, value: T): void {
  const store = requestScope.getStore()?.memo;
  if (store && !store.has(key)) store.set(key, Promise.resolve(value));
}

export interface ComputedYearCache {
  /** The value of `key` for the year at `revision`: cached, or loaded (once, shared by concurrent callers). */
  memo<T>(yearId: number, revision: number, key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
}

/** A small LRU of years (most recently used kept), each holding the values of one revision. */
export function computedYearCache(maxYears = 50): ComputedYearCache {
  const years = new Map<number, { revision: number; values: Map<string, Promise<unknown>> }>();
  return {
    memo<T>(yearId: number, revision: number, key: string, load: () => Promise<T>): Promise<T> {
      let entry = years.get(yearId);
      // A request that read an older revision than the cached one (a write landed meanwhile) loads on its own.
      if (entry && revision < entry.revision) return load();
      if (!entry || entry.revision !== revision) entry = { revision, values: new Map() };
      years.delete(yearId);
      years.set(yearId, entry);
      while (years.size > maxYears) years.delete(years.keys().next().value!);
      const values = entry.values;
      let p = values.get(key) as Promise<T> | undefined;
      if (!p) {
        p = load();
        values.set(key, p);
        p.catch(() => values.delete(key));
      }
      return p;
    },
    clear: () => years.clear(),
  };
}

/** No caching: every call loads (services bound to a transaction, tests of the uncached path). */
export const noYearCache: ComputedYearCache = { memo: (_y, _r, _k, load) => load(), clear: () => {} };

/**
 * Values read from several years at once (the province's view of every bloc), under a key that names
 * the years and their revisions: a write to any of them makes a new key, so a stale value is never
 * served, by this process or another. A small LRU of keys (the most recently used kept).
 */
export interface RevisionKeyedCache {
  memo<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export function revisionKeyedCache(maxKeys = 200): RevisionKeyedCache {
  const values = new Map<string, Promise<unknown>>();
  return {
    memo<T>(key: string, load: () => Promise<T>): Promise<T> {
      let p = values.get(key) as Promise<T> | undefined;
      if (p) values.delete(key);
      else {
        p = load();
        p.catch(() => values.delete(key));
      }
      values.set(key, p);
      while (values.size > maxKeys) values.delete(values.keys().next().value!);
      return p;
    },
  };
}

/** The part of a cache key that names years at their revisions ("id:revision", in id order). */
export const revisionsKey = (years: readonly { id: number; revision: number }[]) =>
  [...years].sort((a, b) => a.id - b.id).map((y) => `${y.id}:${y.revision}`).join(",");
