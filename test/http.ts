import type { Response } from "superagent";
import request from "supertest";
import * as cheerio from "cheerio";
import type { Knex } from "knex";
import { createApp } from "../src/app.js";
import { createServices } from "../src/services.js";
import { createLogger } from "../src/logger.js";
import { DEMO_PASSWORD } from "../seeds/demo-data.js";
import type { MailOptions } from "../src/notifications/notifications-service.js";

export const TEST_SECRET = "test-session-secret-0123456789abcdef-0123456789";

/**
 * The app as the tests drive it. Its compiled views are cached, as in production (`NODE_ENV=production`
 * enables the same Express setting): the templates do not change during a run, and compiling every
 * view and partial again on each request more than doubled the time of a page (a test-run cost, not
 * the portal's). `production` alone still decides the cookies, HSTS and the assets' caching.
 */
export function createTestApp(
  db: Knex,
  overrides: { production?: boolean; trustProxy?: boolean; logger?: ReturnType<typeof createLogger>; now?: () => Date; mail?: MailOptions } = {},
) {
  const app = createApp(createServices(db, { now: overrides.now, mail: overrides.mail }), {
    logger: overrides.logger ?? createLogger("silent"),
    sessionSecret: TEST_SECRET,
    production: overrides.production ?? false,
    trustProxy: overrides.trustProxy ?? false,
    sessionIdleMinutes: 30,
  });
  app.enable("view cache");
  return app;
}

/** The CSRF token of the first form on a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no CSRF token on the page");
  return m[1];
}

export type Agent = ReturnType<typeof request.agent>;

/** A cookie-keeping agent logged in as `username` (demo password unless given). */
export async function loginAs(app: Parameters<typeof request.agent>[0], username: string, password = DEMO_PASSWORD): Promise<Agent> {
  const agent = request.agent(app);
  const page = await agent.get("/login");
  const res = await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username, password });
  if (res.status !== 303) throw new Error(`login as ${username} failed with ${res.status}`);
  return agent;
}

/** POST a form with the CSRF token (and the hidden `version`, as a browser would) taken from `formPage` (fetched first). */
/**
 * What a browser would send for the form of `html` whose action is `url`: every named input
 * (checked boxes only), textarea and select with its current value. Empty when no such form.
 */
export function browserFormFields(html: string, url: string): Record<string, string | string[]> {
  const $ = cheerio.load(html);
  const path = url.split("?")[0];
  const form = $("form").filter((_i, el) => ($(el).attr("action") ?? "").split("?")[0] === path).first();
  const fields: Record<string, string | string[]> = {};
  const add = (name: string | undefined, value: string) => {
    if (!name) return;
    const prev = fields[name];
    fields[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  };
  form.find("input, textarea, select").each((_i, el) => {
    const $el = $(el);
    const name = $el.attr("name");
    if (el.tagName === "textarea") return add(name, $el.text());
    if (el.tagName === "select") return add(name, $el.find("option[selected]").attr("value") ?? $el.find("option").first().attr("value") ?? "");
    const type = ($el.attr("type") ?? "text").toLowerCase();
    if (["submit", "button", "reset", "image", "file"].includes(type)) return;
    if ((type === "checkbox" || type === "radio") && $el.attr("checked") === undefined) return;
    add(name, $el.attr("value") ?? (type === "checkbox" || type === "radio" ? "on" : ""));
  });
  return fields;
}

/**
 * POSTs the form of `formPage` whose action is `url` as a browser would (every field, with the
 * page's CSRF token and record version), `body` replacing what the test types.
 */
export async function postForm(agent: Agent, formPage: string, url: string, body: Record<string, string | string[]>) {
  const page = await agent.get(formPage);
  return agent.post(url).type("form").send({ _csrf: csrfFrom(page.text), ...browserFormFields(page.text, url), ...body });
}

/** supertest's `.buffer(true).parse(binary)`: a download's body as one Buffer (PDF, XLSX, DOCX). */
export function binary(response: Response, cb: (err: Error | null, body: unknown) => void) {
  const res = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => cb(null, Buffer.concat(chunks)));
}
