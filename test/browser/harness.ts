import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import axe from "axe-core";
import { afterAll, beforeAll, expect } from "vitest";
import { createTestDatabase } from "../db.js";
import { createTestApp } from "../http.js";
import type { Database } from "../../src/db/database.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = fs.existsSync(CHROMIUM);

/** In CI a missing browser is a failure, elsewhere the browser tests are skipped with one line. */
export function browserTestsEnabled(): boolean {
  if (hasChromium) return true;
  if (process.env.CI) throw new Error(`CI: Chromium not found at ${CHROMIUM} — .ci/run must install it (apt-get install chromium)`);
  console.log(`browser tests skipped: Chromium not found at ${CHROMIUM} (apt-get install chromium fonts-noto-core)`);
  return false;
}

export const SCREENSHOTS = path.resolve("test-results/screenshots");

export interface Portal {
  baseUrl: string;
  database: Database;
  close(): Promise<void>;
}

/** The app on a free port of loopback, on a fresh demo database of its own (`now`: the app's clock, for deadlines). */
export async function startPortal(opts: { now?: () => Date } = {}): Promise<Portal> {
  const database = await createTestDatabase("demo-2022-open");
  const app = createTestApp(database.knex, { now: opts.now });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    database,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await database.close();
    },
  };
}

function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

export async function newContext(browser: Browser, baseUrl: string, opts: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl, locale: "vi-VN", javaScriptEnabled: opts.javaScriptEnabled ?? true, acceptDownloads: true });
}

/** Logs in with the keyboard alone: focus the field, type, Tab, type, Enter. */
export async function loginWithKeyboard(page: Page, username: string, password = "thidua2022"): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Tên đăng nhập").focus();
  await page.keyboard.type(username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await page.waitForURL(/\/login/);
}

/** What axe-core (a script of half a megabyte) needs to run in a page: evaluated as it is, like a DevTools snippet. */
const AXE_SOURCE = axe.source;

/**
 * axe-core on the current page: no serious or critical violation. Every rule of the WCAG 2.1 A/AA
 * tags runs, in the page itself (the portal's pages have no frames), and only the violations are
 * detailed, not every node that passes. axe is evaluated into the page once per scan and run there:
 * @axe-core/playwright's `analyze()` evaluated the source twice a scan (a fifth of a scan's CPU in
 * Chromium, measured), and went on silently when an injection took over a second.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const bad = await page.evaluate(async () => {
    const { axe: run } = window as unknown as { axe: typeof axe };
    const results = await run.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  });
  expect(bad, `accessibility violations on ${page.url()}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Presses Tab until the focused element matches (keyboard only, as a person without a mouse
 * would); fails when it is not reachable within `limit` presses.
 */
export async function tabTo(page: Page, matches: (el: { tag: string; text: string; name: string | null; label: string | null }) => boolean, limit = 200): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return a ? { tag: a.tagName.toLowerCase(), text: (a.textContent ?? "").trim(), name: a.getAttribute("name"), label: a.getAttribute("aria-label") } : null;
    });
    if (el && matches(el)) return;
  }
  throw new Error(`not reachable with the keyboard within ${limit} Tab presses on ${page.url()}`);
}

let workerBrowser: Promise<Browser> | undefined;

/**
 * One Chromium per test worker, for every browser file it runs (a worker imports this module once:
 * `isolate: false`): a launch costs 1.3 s and 1.7 s of CPU. Each file's contexts, its own cookies and
 * pages, are closed after it; Playwright stops the browser when the worker exits.
 */
function sharedBrowser(): Promise<Browser> {
  if (!workerBrowser) {
    const launching = launchBrowser();
    workerBrowser = launching;
    const forget = () => {
      if (workerBrowser === launching) workerBrowser = undefined;
    };
    launching.then((browser) => browser.on("disconnected", forget), forget);
  }
  return workerBrowser;
}

/** A portal with Chromium beside it, for the tests of one `describe`. */
export interface BrowserPortal extends Portal {
  browser: Browser;
  /** A new page in a context of its own (its own cookies) on this portal. */
  page(opts?: { javaScriptEnabled?: boolean }): Promise<Page>;
}

/**
 * Starts a demo portal (and the worker's Chromium) before the tests of the `describe` it is called in,
 * and stops the portal and closes the file's browser contexts after them. Read its fields inside the
 * tests and hooks, once `beforeAll` has run.
 */
export function useBrowserPortal(opts: { now?: () => Date } = {}): BrowserPortal {
  const handle = {} as BrowserPortal;
  beforeAll(async () => {
    const [portal, browser] = await Promise.all([startPortal(opts), sharedBrowser()]);
    const page = async (o: { javaScriptEnabled?: boolean } = {}) => (await newContext(browser, portal.baseUrl, o)).newPage();
    Object.assign(handle, portal, { browser, page });
  }, 120_000);
  afterAll(async () => {
    // Files run one after another in a worker: every context open now is this file's.
    await Promise.all(handle.browser?.contexts().map((context) => context.close()) ?? []);
    await handle.close?.();
  });
  return handle;
}
