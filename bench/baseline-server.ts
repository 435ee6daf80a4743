// BASELINE: a bare Express + EJS process rendering the SAME templates (views/) from the SAME view
// models, captured once from the real services and held in memory: no database, no session, no CSRF,
// no helmet, no logging. GET /<page name> renders that page. Started by bench/run.ts.
import fs from "node:fs";
import path from "node:path";
import express from "express";
import { viewHelpers } from "../src/web/view-helpers.js";
import { sectionField } from "../src/reports/schemas.js";
import { formatFileSize } from "../src/reports/attachments.js";
import { reviveDates, type CapturedView } from "./capture.js";
import { ROOT } from "./lib.js";
import { can, hasRight, type Action, type Target } from "../src/auth/access.js";
import type { User } from "../src/auth/users-repo.js";

const file = process.env.BENCH_VIEWS ?? path.join(ROOT, "bench", "results", "views.json");
const views = JSON.parse(fs.readFileSync(file, "utf8"), reviveDates) as Record<string, CapturedView>;

/** The functions some routes pass to their template, by the name they are passed under. */
const FUNCTIONS: Record<string, unknown> = { sectionField, formatFileSize };

/** `may` asks the permission table for the page's own user, as the portal's locals do. */
const mayFor = (user: User | null) => (action: Action, target?: Target) => (user ? (target ? can(user, action, target) : hasRight(user, action)) : false);

const app = express();
app.set("view engine", "ejs");
app.set("views", path.join(ROOT, "views"));
app.enable("view cache");
app.disable("x-powered-by");
app.get("/healthz", (_req, res) => {
  res.send("ok");
});
const functionsFor = (name: string, functions: string[], user: User | null) =>
  Object.fromEntries(
    functions.map((f) => {
      if (f === "may") return [f, mayFor(user)];
      if (!(f in FUNCTIONS)) throw new Error(`baseline: page ${name} needs the function "${f}"; add it to FUNCTIONS`);
      return [f, FUNCTIONS[f]];
    }),
  );
const renderToString = (view: string, locals: Record<string, unknown>) =>
  new Promise<string>((resolve, reject) => app.render(view, locals, (err, html) => (err ? reject(err) : resolve(html))));

for (const [name, v] of Object.entries(views)) {
  const user = (v.locals.user as User | undefined) ?? null;
  const fns = functionsFor(name, v.functions, user);
  const fragments = v.fragments.map((f) => ({ ...f, fns: functionsFor(name, f.functions, user) }));
  // The parts the portal keeps rendered per view model are rendered here on every request: a bare render
  // of the whole page.
  app.get(`/${name}`, async (_req, res, next) => {
    try {
      const parts: Record<string, string> = {};
      for (const f of fragments) parts[f.local] = await renderToString(f.view, { ...f.locals, ...f.fns, h: viewHelpers });
      res.render(v.view, { ...v.locals, ...parts, ...fns, h: viewHelpers });
    } catch (err) {
      next(err);
    }
  });
}
app.listen(Number(process.env.PORT ?? 3990), "127.0.0.1");
