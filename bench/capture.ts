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
}

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
  let last: { view: string; locals: Record<string, unknown> } | null;
  proto.render = function (this: express.Response, view: string, opts?: unknown, cb?: unknown) {
    const { h: _h, ...locals } = { ...this.locals, ...(typeof opts === "object" && opts ? (opts as Record<string, unknown>) : {}) };
    last = { view, locals };
    return original.call(this, view, opts, cb);
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
      const res = await agent.get(p.path);
      if (res.status !== 200 || !last) throw new Error(`capture: ${p.path} answered ${res.status}`);
      const captured = last as { view: string; locals: Record<string, unknown> };
      const functions = Object.keys(captured.locals).filter((k) => typeof captured.locals[k] === "function");
      out[p.name] = { view: captured.view, locals: JSON.parse(JSON.stringify(captured.locals)), functions, bytes: Buffer.byteLength(res.text) };
    }
    return out;
  } finally {
    proto.render = original;
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** JSON.parse reviver: instants serialized from Date objects become Dates again. */
export const reviveDates = (_k: string, v: unknown) => (typeof v === "string" && ISO_INSTANT.test(v) ? new Date(v) : v);
