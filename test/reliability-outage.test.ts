import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { onPostgres } from "./db.js";
import { createTestApp, loginAs } from "./http.js";
import { hasPgBinaries, startPrivatePostgres, type PrivatePostgres } from "./reliability-support.js";
import { openPostgres, type Database } from "../src/db/database.js";
import { migrateLatest } from "../src/db/migrate.js";
import { seedDemo } from "../seeds/demo.js";

// A database outage while the portal runs: a PRIVATE PostgreSQL 15 on a spare port is stopped
// (pg_ctl stop -m immediate) and started again under the same portal, which is never restarted.
// Runs in the PostgreSQL run when the PostgreSQL 15 binaries are installed.

const skip = !onPostgres() || !hasPgBinaries();

describe.skipIf(skip)("PostgreSQL goes down and comes back (PostgreSQL run with pg binaries only: needs its own server)", () => {
  let pg: PrivatePostgres;
  let database: Database;
  let app: ReturnType<typeof createTestApp>;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    database = openPostgres(pg.url, 5, 1_500);
    await migrateLatest(database.knex);
    await seedDemo(database.knex, { keep2022InProgress: true });
    app = createTestApp(database.knex);
  }, 90_000);
  afterAll(async () => {
    await database?.close().catch(() => {});
    pg?.destroy();
  });

  it("when the database stops, then pages answer the Vietnamese 503 page and /healthz 503; when it returns, 200 again without a restart", async () => {
    const clerk = await loginAs(app, "canbo.thads");
    expect((await clerk.get("/")).status).toBe(200);
    expect((await request(app).get("/healthz")).status).toBe(200);

    pg.stopImmediate();

    const health = await request(app).get("/healthz");
    expect(health.status).toBe(503);
    expect(health.body.status).toBe("database unavailable");
    for (const url of ["/", "/login", "/blocs/noichinh-tq/years/2022/ranking"]) {
      const page = await clerk.get(url);
      expect(page.status, url).toBe(503);
      expect(page.text).toContain("Hệ thống tạm thời gián đoạn");
      expect(page.headers["retry-after"]).toBe("30");
    }
    // Signing in needs the database: the form is refused with the 503 page, not a 500.
    const anonymous = request.agent(app);
    const form = await anonymous.get("/login");
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? "";
    const signIn = await anonymous.post("/login").type("form").send({ _csrf: token, username: "canbo.thads", password: "thidua2022" });
    expect(signIn.status).toBe(503);

    pg.start();

    // The pool reconnects by itself: the same app (same process) serves again.
    let healthy = 0;
    for (let i = 0; i < 50 && healthy !== 200; i++) {
      healthy = (await request(app).get("/healthz")).status;
      if (healthy !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(healthy).toBe(200);
    expect((await clerk.get("/")).status).toBe(200); // the session survived in the database
    expect((await request(app).get("/login")).status).toBe(200);
  }, 90_000);
});
