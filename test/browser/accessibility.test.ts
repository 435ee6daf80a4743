import { describe, expect, it } from "vitest";
import { browserTestsEnabled, expectAccessible, loginWithKeyboard, useBrowserPortal } from "./harness.js";

const enabled = browserTestsEnabled();
const Y = "/blocs/noichinh-tq/years/2022";

// Apart from the journeys (test/browser/journeys.test.ts): the scans are the longest browser work, and in a
// file of their own they run beside the journeys on the other test worker.
describe.skipIf(!enabled)("accessibility of the main pages (Chromium, axe)", () => {
  const portal = useBrowserPortal();

  // axe needs scripts, so the accessibility pass runs with them on, page by page.
  const MAIN_PAGES: [string, string[]][] = [
    ["canbo.congan", ["/", `${Y}/periods/2/reports/congan`, `${Y}/registration/congan`, `${Y}/sheets/congan`, "/account/password"]],
    ["thuongtruc", ["/", `${Y}/dashboard`, `${Y}/periods/1/reports`, `${Y}/registrations`, `${Y}/sheets`, `${Y}/sheets/vks`, `${Y}/ballots`, `${Y}/ranking`, `${Y}/ranking/vks`, "/admin/users", "/admin/users/new", "/audit", `${Y}/setup`, `${Y}/campaigns`, `${Y}/periods/1`, `${Y}/criteria`, `${Y}/rules`, "/blocs/noichinh-tq/agencies"]],
    ["lanhdao", ["/", `${Y}/ranking`, `${Y}/ranking/publish`, `${Y}/dashboard`]],
  ];
  it("the check itself fails on a page with serious violations, and names them", async () => {
    const page = await portal.page();
    await page.setContent(`<!doctype html><html lang="vi"><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>`);
    // The failed expectation's `actual`: the violations it listed.
    const found = await expectAccessible(page).then(() => [], (e: { actual: string[] }) => e.actual);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^image-alt \(critical\)/), expect.stringMatching(/^label \(critical\)/)]));
    await page.context().close();
  });

  for (const [username, paths] of MAIN_PAGES) {
    it(`axe: no serious or critical violation on ${username}'s main pages`, async () => {
      const page = await portal.page();
      await loginWithKeyboard(page, username);
      for (const p of paths) {
        const res = await page.goto(p);
        expect([p, res?.status()]).toEqual([p, 200]);
        await expectAccessible(page);
      }
      await page.context().close();
    }, 240_000); // several pages × axe each: minutes on a loaded 2-core machine
  }
});
