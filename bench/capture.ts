// Captures, from the REAL app and services, the template and the locals each benchmarked page is
// rendered with, so the baseline server can render the very same view model with no DB and no session.
import express from "express";
import request from "supertest";
import type { Knex } from "knex";
import { createApp } from "../src/app.js";
import { createServices } from "../src/services.js";
import { createLogger } from "../src/logger.js";
import { SECRET } from "./lib.js";

export interface CapturedView {
  view: string;
  /** res.locals merged with the render options, minus the helper functions (`h`). */
  locals: Record<string, unknown>;
  /** Names of the function-valued locals (besides `h`): the baseline supplies the same functions. */
  functions: string[];
  /** Bytes of the real page, to check the baseline renders the same thing. */
  bytes: number;
  /**
   * Parts of the page the portal renders once per kept view model (src/web/render-once.ts) and hands to
   * the page as HTML in the local `local`: the baseline renders them on every request, as a bare render
   * of the whole page would.
   */
  fragments: { local: string; view: string; locals: Record<string, unknown>; functions: string[] }[];
}

const functionsOf = (locals: Record<string, unknown>) => Object.keys(locals).filter((k) => typeof locals[k] === "function");
const withoutHelpers = (locals: Record<string, unknown>) => {
  const { h: _h, ...rest } = locals;
  return rest;
};

export interface PageSpec {
  name: string;
  path: string;
  /** Who fetches it: a username (demo password) or null for anonymous. */
  user: string | null;
}

/** Captures the view model of each page (in-process app on `db`). */
export async function captureViews(db: Knex, pages: PageSpec[]): Promise<Record<string, CapturedView>> {
  const proto = express.response as unknown as { render: (view: string, opts?: unknown, cb?: unknown) => void };
  const original = proto.render;
  type Render = (view: string, opts: unknown, cb: (err: Error | null, html?: string) => void) => void;
  const appProto = express.application as unknown as { render: Render };
  const originalAppRender = appProto.render;
  let last: { view: string; locals: Record<string, unknown> } | null;
  // What the app renders before (or instead of) the page: fragments, or a whole page sent as HTML.
  let early: { view: string; locals: Record<string, unknown>; html: string }[] = [];
  let inPage = false;
  proto.render = function (this: express.Response, view: string, opts?: unknown, cb?: unknown) {
    const locals = withoutHelpers({ ...this.locals, ...(typeof opts === "object" && opts ? (opts as Record<string, unknown>) : {}) });
    last = { view, locals };
    inPage = true;
    return original.call(this, view, opts, cb);
  };
  appProto.render = function (this: unknown, view: string, opts: unknown, cb: (err: Error | null, html?: string) => void) {
    if (inPage) return originalAppRender.call(this, view, opts, cb);
    return originalAppRender.call(this, view, opts, (err, html) => {
      if (!err) early.push({ view, locals: withoutHelpers({ ...(opts as Record<string, unknown>) }), html: html! });
      cb(err, html);
    });
  };
  try {
    const app = createApp(createServices(db), {
      logger: createLogger("silent"),
      sessionSecret: SECRET,
      production: false,
      sessionIdleMinutes: 30,
    });
    const agents = new Map<string | null, ReturnType<typeof request.agent>>();
    const agentFor = async (user: string | null) => {
      let agent = agents.get(user);
      if (agent) return agent;
      agent = request.agent(app);
      if (user) {
        const page = await agent.get("/login");
        const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
        const res = await agent.post("/login").type("form").send({ _csrf: token, username: user, password: "thidua2022" });
        if (res.status !== 303) throw new Error(`capture: login as ${user} failed (${res.status})`);
      }
      agents.set(user, agent);
      return agent;
    };
    const out: Record<string, CapturedView> = {};
    for (const p of pages) {
      const agent = await agentFor(p.user);
      last = null;
      early = [];
      inPage = false;
      const res = await agent.get(p.path);
      // A page sent as HTML rendered once (a printed document) has no res.render: its one app.render is the page.
      const captured = (last ?? (early.length === 1 ? { view: early[0]!.view, locals: early[0]!.locals } : null)) as { view: string; locals: Record<string, unknown> } | null;
      if (res.status !== 200 || !captured) throw new Error(`capture: ${p.path} answered ${res.status}`);
      // A fragment reaches the page (src/web/render-once.ts sendPage) as a mark "\u0001<nonce>:<n>\u0001" for
      // the n-th kept part among the locals, n counting in the routes' own order, which is the order they
      // render them in.
      const isMark = (v: unknown) => typeof v === "string" && v.startsWith("\u0001") && v.endsWith("\u0001") && /^[0-9a-f]+:\d+$/.test(v.slice(1, -1));
      const marked = Object.keys(captured.locals).filter((k) => isMark(captured.locals[k]));
      const fragments = last
        ? early.map((f, n) => {
            const local = marked.find((k) => (captured.locals[k] as string).endsWith(`:${n}\u0001`));
            if (!local) throw new Error(`capture: ${p.path}: the fragment ${f.view} is not a local of the page`);
            if (!res.text.includes(f.html)) throw new Error(`capture: ${p.path}: the fragment ${f.view} is not in the page sent`);
            return { local, view: f.view, locals: JSON.parse(JSON.stringify(f.locals)) as Record<string, unknown>, functions: functionsOf(f.locals) };
          })
        : [];
      if (last && marked.length !== early.length) throw new Error(`capture: ${p.path}: ${marked.length} kept parts for ${early.length} fragments`);
      out[p.name] = { view: captured.view, locals: JSON.parse(JSON.stringify(captured.locals)), functions: functionsOf(captured.locals), bytes: Buffer.byteLength(res.text), fragments };
    }
    return out;
  } finally {
    proto.render = original;
    appProto.render = originalAppRender;
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** JSON.parse reviver: instants serialized from Date objects become Dates again. */
export const reviveDates = (_k: string, v: unknown) => (typeof v === "string" && ISO_INSTANT.test(v) ? new Date(v) : v);
