import { afterAll, beforeAll } from "vitest";
import type { Knex } from "knex";
import type { Database } from "../src/db/database.js";
import type { MailOptions } from "../src/notifications/notifications-service.js";
import { createTestDatabase } from "./db.js";
import { createTestApp, loginAs, type Agent } from "./http.js";
import type { TestData } from "./test-data.js";

/** A test file's own portal: its database (at a starting point), the app on it, and a login. */
export interface TestPortal {
  database: Database;
  db: Knex;
  app: ReturnType<typeof createTestApp>;
  /** A cookie-keeping agent signed in as `username` (the demo password unless given). */
  login(username: string, password?: string): Promise<Agent>;
  close(): Promise<void>;
}

export interface TestPortalOptions {
  /** Where the database starts (`test/test-data.ts`); the schema alone by default. */
  data?: TestData;
  /** The app's clock (deadlines, "today"). */
  now?: () => Date;
  mail?: MailOptions;
}

export async function openTestPortal(opts: TestPortalOptions = {}): Promise<TestPortal> {
  const database = await createTestDatabase(opts.data);
  const app = createTestApp(database.knex, { now: opts.now, mail: opts.mail });
  return {
    database,
    db: database.knex,
    app,
    login: (username, password) => loginAs(app, username, password),
    close: () => database.close(),
  };
}

/**
 * Opens a portal before the tests of the file (or of the `describe` it is called in) and closes it
 * after them. Read its fields inside the tests and hooks, once `beforeAll` has run.
 */
export function useTestPortal(opts: TestPortalOptions = {}): TestPortal {
  const portal = {} as TestPortal;
  beforeAll(async () => {
    Object.assign(portal, await openTestPortal(opts));
  });
  afterAll(() => portal.close?.());
  return portal;
}
