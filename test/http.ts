import request from "supertest";
import type { Knex } from "knex";
import { createApp } from "../src/app.js";
import { createServices } from "../src/services.js";
import { createLogger } from "../src/logger.js";
import { DEMO_PASSWORD } from "../seeds/demo-data.js";

export const TEST_SECRET = "test-session-secret-0123456789abcdef-0123456789";

export function createTestApp(
  db: Knex,
  overrides: { production?: boolean; trustProxy?: boolean; logger?: ReturnType<typeof createLogger>; now?: () => Date } = {},
) {
  return createApp(createServices(db, { now: overrides.now }), {
    logger: overrides.logger ?? createLogger("silent"),
    sessionSecret: TEST_SECRET,
    production: overrides.production ?? false,
    trustProxy: overrides.trustProxy ?? false,
    sessionIdleMinutes: 30,
  });
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
export async function postForm(agent: Agent, formPage: string, url: string, body: Record<string, string | string[]>) {
  const page = await agent.get(formPage);
  const version = /name="version" value="(\d*)"/.exec(page.text)?.[1];
  return agent.post(url).type("form").send({ _csrf: csrfFrom(page.text), ...(version !== undefined ? { version } : {}), ...body });
}
