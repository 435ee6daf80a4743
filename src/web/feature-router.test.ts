import { describe, expect, it } from "vitest";
import express, { Router } from "express";
import request from "supertest";
import { featureRouter } from "./feature-router.js";

/** Two feature routers as the app mounts them, recording which of their handlers ran. */
function appWithFeatures() {
  const entered: string[] = [];
  const sheets = Router();
  sheets.get("/blocs/:bloc/years/:year/sheets/:agency.xlsx", (req, res) => void res.send(`xlsx ${req.params.agency}`));
  sheets.get("/blocs/:bloc/years/:year/sheets/:agency", (req, res) => void res.send(`sheet ${req.params.bloc} ${req.params.year} ${req.params.agency}`));
  // A route that passes the request on: the next feature router still gets it.
  sheets.get("/blocs/:bloc/years/:year/ranking/:agency", (req, _res, next) => {
    entered.push(`sheets ${req.params.agency}`);
    next();
  });
  const ranking = Router();
  ranking.get("/blocs/:bloc/years/:year/ranking/print", (_req, res) => void res.send("print"));
  // A router with middleware of its own is always entered.
  const withMiddleware = Router();
  withMiddleware.use((req, _res, next) => {
    entered.push(`middleware ${req.path}`);
    next();
  });
  const app = express();
  // Sees every request that reaches the routers: a skipped router must leave the URL as it was.
  app.use((req, _res, next) => {
    entered.push(`app ${req.url}`);
    next();
  });
  app.use(featureRouter(sheets));
  app.use(featureRouter(withMiddleware));
  app.use(featureRouter(ranking));
  app.use((req, res) => void res.status(404).send(`none ${req.url}`));
  return { app, entered };
}

describe("featureRouter", () => {
  it("enters a router whose route matches, with its parameters, case and trailing slash as Express allows", async () => {
    const { app } = appWithFeatures();
    expect((await request(app).get("/blocs/tq/years/2022/sheets/ca-tinh")).text).toBe("sheet tq 2022 ca-tinh");
    expect((await request(app).get("/BLOCS/tq/Years/2022/SHEETS/ca-tinh/")).text).toBe("sheet tq 2022 ca-tinh");
    expect((await request(app).get("/blocs/tq/years/2022/sheets/ca-tinh.xlsx")).text).toBe("xlsx ca-tinh");
    expect((await request(app).get("/blocs/t%C3%A2n/years/2022/sheets/c%C3%B4ng-an")).text).toBe("sheet tân 2022 công-an");
  });

  it("skips a router none of whose routes matches, leaving the request to the next", async () => {
    const { app, entered } = appWithFeatures();
    const res = await request(app).get("/blocs/tq/years/2022/ranking/print?x=1");
    expect(res.text).toBe("print");
    // The sheets router's /ranking/:agency route passed it on; the router with middleware was entered.
    expect(entered).toEqual(["app /blocs/tq/years/2022/ranking/print?x=1", "sheets print", "middleware /blocs/tq/years/2022/ranking/print"]);
    const none = await request(app).get("/blocs/tq/years/2022/sheets");
    expect(none.status).toBe(404);
    expect(none.text).toBe("none /blocs/tq/years/2022/sheets");
  });

  it("does not enter a router none of whose routes can match", async () => {
    const entered: string[] = [];
    const router = Router();
    router.get("/blocs/:bloc/years/:year/sheets/:agency", (_req, res) => void res.send("sheet"));
    // The router as the app calls it, recording each entry.
    const spy = Object.assign((req: express.Request, res: express.Response, next: express.NextFunction) => {
      entered.push(req.path);
      router(req, res, next);
    }, { stack: router.stack }) as unknown as Router;
    const app = express();
    app.use(featureRouter(spy));
    app.use((_req, res) => void res.status(404).send("none"));
    expect((await request(app).get("/blocs/tq/years/2022/ranking")).status).toBe(404);
    expect((await request(app).get("/blocs/tq/years/2022/sheets/ca-tinh/extra")).status).toBe(404);
    expect((await request(app).get("/blocs/tq/years/2022/sheets/ca-tinh")).text).toBe("sheet");
    expect(entered).toEqual(["/blocs/tq/years/2022/sheets/ca-tinh"]);
  });

  it("sees a route added to a router after its first request", async () => {
    const router = Router();
    router.get("/a", (_req, res) => void res.send("a"));
    const app = express();
    app.use(featureRouter(router));
    app.use((_req, res) => void res.status(404).send("none"));
    expect((await request(app).get("/b")).status).toBe(404);
    router.get("/b", (_req, res) => void res.send("b"));
    expect((await request(app).get("/b")).text).toBe("b");
  });
});
