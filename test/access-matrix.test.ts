import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server } from "node:http";
import request from "supertest";
import type { Knex } from "knex";
import { createTestDatabase } from "./db.js";
import { createTestApp, csrfFrom, loginAs, type Agent } from "./http.js";
import type { Database } from "../src/db/database.js";
import { createServices } from "../src/services.js";
import { usersRepo, type User, type Role } from "../src/auth/users-repo.js";
import { ACTIONS, decide, type Action, type Decision, type Target } from "../src/auth/access.js";
import { ROUTE_RULES, type RouteRule } from "../src/auth/route-actions.js";
import { mayReview, type BlocLeadership } from "../src/scoring/conflict.js";

/**
 * The access matrix, driven by the permission table: every GET and POST route × every role
 * (and anonymous) × own/other agency and bloc. The expected status comes from
 * src/auth/access.ts (via src/auth/route-actions.ts), never from a hand-written list:
 *   the bloc is not visible → 404; a check refuses → 403 ("forbid") or 404 ("hide");
 *   allowed → GET 200 (redirects 303), POST with a malformed body → a validation answer (400/409/422).
 * POSTs send a malformed body, so the walk changes no data (checked) and proves that role and
 * scope are checked before the body (issue 15, finding 13).
 */

const USERS = ["quantri", "thuongtruc", "lanhdao", "bantdkt", "canbo.bchqs"] as const;
type Who = "anonymous" | (typeof USERS)[number];
const WHO: Who[] = ["anonymous", ...USERS];

/** POSTs that act without any field: an allowed role would change data, so only refusals are walked. */
const ACTS_WITHOUT_FIELDS = [/\/next-year$/, /\/publish$/, /\/lock$/, /\/unlock$/, /\/delete$/, /^\/logout$/, /\/read$/, /\/read-all$/, /\/retry$/, /\/close$/, /\/clerk-accounts$/, /\/accounts$/, /\/documents\/:kind$/]; // (documents: every field optional, empty clears)

const DATA_TABLES = ["reports", "report_attachments", "registrations", "score_sheets", "score_entries", "ballot_meetings", "votes", "emulation_years", "campaigns", "periods", "period_extensions", "criteria", "agencies", "bloc_memberships", "users"];

let database: Database;
let db: Knex;
let app: ReturnType<typeof createTestApp>;
/** One server for the whole walk (supertest on an app starts and stops a server for every request). */
let server: Server;
const agents = {} as Record<Who, Agent>;
const tokens = {} as Record<Who, string>;
const users = {} as Record<(typeof USERS)[number], User>;

/**
 * On the demo with 2022 in progress (a closed year answers 409 to every POST before any role is
 * checked): a second bloc with its own agencies.
 */
async function addSecondBloc(k: Knex): Promise<void> {
  const services = createServices(k);
  const doc = JSON.parse(JSON.stringify(await services.bundle.exportYear("noichinh-tq", 2022)));
  const rename = (code: string | null) => (code === null ? null : `k2-${code}`);
  doc.bloc = { ...doc.bloc, code: "khoi-khac", name: "Khối thi đua khác" };
  for (const a of doc.agencies) a.code = rename(a.code);
  for (const list of [doc.registrations, doc.reports, doc.scoreSheets, doc.votes]) for (const x of list) x.agency = rename(x.agency);
  for (const p of doc.periods) for (const e of p.extensions) e.agency = rename(e.agency);
  doc.year.headAgency = rename(doc.year.headAgency);
  doc.year.deputyAgency = rename(doc.year.deputyAgency);
  const result = await services.bundle.importYear(doc, { replace: false });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  await k("users").insert({ username: "canbo.k2-congan", full_name: "Cán bộ khối khác", role: "clerk", agency_id: (await k("agencies").where({ code: "k2-congan" }).first("id")).id, password_hash: "x" });
}

interface Ids {
  bloc: Record<string, number>;
  agency: Record<string, number>;
  agencyBlocs: Record<string, number[]>;
  attachment: Record<string, number>;
  campaign: Record<string, number>;
  criterion: Record<string, number>;
  user: Record<string, { id: number; role: Role; agencyId: number | null }>;
  published: Record<string, boolean>;
  leadership: Record<string, BlocLeadership>;
}
const ids: Ids = { bloc: {}, agency: {}, agencyBlocs: {}, attachment: {}, campaign: {}, criterion: {}, user: {}, published: {}, leadership: {} };

/** One way to fill a route's parameters, with what the table needs to know about it. */
interface Variant {
  label: string;
  params: Record<string, string>;
  bloc?: string;
  agency?: string;
  account?: string;
}

function variantsOf(rule: RouteRule): Variant[] {
  const p = rule.path;
  const base: Record<string, string> = { fileId: "999999", year: "2022", period: "1", number: "1", file: "tinos-vietnamese-400-normal.woff2", kind: "minutes" };
  if (p.includes(":agency")) {
    return [
      ["own agency", "noichinh-tq", "bchqs"],
      ["other agency", "noichinh-tq", "congan"],
      ["other bloc", "khoi-khac", "k2-bchqs"],
    ].map(([label, bloc, agency]) => ({ label: label!, bloc, agency, params: { ...base, bloc: bloc!, agency: agency!, id: String(ids.attachment[agency!]) } }));
  }
  if (p.includes(":bloc")) {
    return [
      ["own bloc", "noichinh-tq", "congan"],
      ["other bloc", "khoi-khac", "k2-congan"],
    ].map(([label, bloc, agency]) => ({
      label: label!,
      bloc,
      agency: p.includes(":code") ? agency : undefined,
      params: { ...base, bloc: bloc!, code: agency!, id: String(p.includes("/campaigns/") ? ids.campaign[bloc!] : p.includes("/criteria/") ? ids.criterion[bloc!] : 999_999) },
    }));
  }
  if (p.includes("/admin/mail/:id") || p.includes("/notifications/:id")) return [{ label: "-", params: { id: "999999" } }];
  if (p.startsWith("/admin/blocs/:code")) return [{ label: "-", params: { code: "noichinh-tq" } }];
  if (p.includes("/admin/users/:id")) {
    return ["canbo.congan", "lanhdao", "canbo.k2-congan"].map((account) => ({ label: account, account, params: { id: String(ids.user[account]!.id) } }));
  }
  return [{ label: "-", params: base }];
}

const fill = (p: string, params: Record<string, string>) => p.replace(/:(\w+)/g, (_m, k: string) => encodeURIComponent(params[k] ?? k));

function targetFor(action: Action, v: Variant): Target {
  const blocId = v.bloc ? ids.bloc[v.bloc]! : 0;
  const agencyId = v.agency ? ids.agency[v.agency]! : 0;
  switch ((ACTIONS[action] as { scope: string }).scope) {
    case "bloc":
      return { kind: "bloc", blocId };
    case "agencyRecord":
      return { kind: "agencyRecord", blocId, agencyId };
    case "ownAgency":
    case "wholeAgency":
      return { kind: "agency", agencyId, blocIds: ids.agencyBlocs[v.agency ?? ""] ?? [] };
    case "account": {
      const acc = ids.user[v.account ?? ""];
      return { kind: "account", role: acc?.role ?? "clerk", agencyBlocIds: acc?.agencyId ? (Object.entries(ids.agency).flatMap(([code, id]) => (id === acc.agencyId ? ids.agencyBlocs[code]! : []))) : [] };
    }
    default:
      return { kind: "none" };
  }
}

/** The table's answer for one check (an inner array passes when any of its actions allows). */
function decideCheck(user: User, check: Action | Action[], v: Variant): Decision {
  const ds = (Array.isArray(check) ? check : [check]).map((a) => decide(user, a, targetFor(a, v)));
  return ds.includes("allow") ? "allow" : ds.includes("hide") ? "hide" : "forbid";
}

/**
 * Records the demo has none of (objections, province decisions, awards): an allowed role gets 404 for
 * id 999999 on a GET; a POST may refuse its malformed body first (400/409/422), never 403 or 500.
 */
const NO_SUCH_RECORD = [/\/objections\/:id/, /\/decisions\/:id/, /\/awards\/:id/];

/** What the route must answer, from the table; "valid" = allowed, a POST then refuses its malformed body. */
function expected(rule: RouteRule, who: Who, v: Variant): number | "valid" | "missing" | "skip" {
  if (rule.checks === "public") {
    if (rule.path === "/login") return rule.method === "GET" ? (who === "anonymous" ? 200 : 303) : "skip";
    return 200;
  }
  if (who === "anonymous") return 303;
  const user = users[who];
  if (v.bloc && decide(user, "bloc.read", { kind: "bloc", blocId: ids.bloc[v.bloc]! }) !== "allow") return 404;
  const published = v.bloc !== undefined && ids.published[v.bloc] === true;
  const checks = published && rule.whenPublished ? [rule.whenPublished, ...rule.checks.slice(1)] : rule.checks;
  for (const [i, check] of checks.entries()) {
    const d = decideCheck(user, check, v);
    if (d !== "allow") return d === "hide" || rule.refusedAs404 === true || (rule.refusedAs404 === "first" && i === 0) || (rule.refusedAs404 === "last" && i === checks.length - 1) ? 404 : 403;
  }
  // Conflict of interest (src/scoring/conflict.ts; reports and sheets, not registrations): nobody reviews their own agency, the head's only the deputy's secretariat.
  const reviews = rule.method === "POST" && (rule.path.endsWith("/reports/:agency/review") || rule.path.endsWith("/sheets/:agency")) && user.role !== "clerk";
  if (reviews && v.bloc && v.agency && !mayReview(user, ids.agency[v.agency]!, ids.leadership[v.bloc]!).allowed) return 403;
  if (NO_SUCH_RECORD.some((re) => re.test(rule.path))) return rule.method === "GET" ? 404 : "missing";
  if (rule.method === "POST") return ACTS_WITHOUT_FIELDS.some((re) => re.test(rule.path)) ? "skip" : "valid";
  const redirects = ["/dashboard", "/reports", "/sheets", "/ranking", "/setup", "/agencies", "/province"].includes(rule.path) || (rule.path.endsWith("/years/:year/sheets") && user.role === "clerk");
  return redirects ? 303 : 200;
}

/** Each data table's rows, as text (compared per table so a change names its table). */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of DATA_TABLES) out[t] = JSON.stringify(await db(t).select("*").orderBy("id"));
  return out;
}

beforeAll(async () => {
  database = await createTestDatabase("demo-2022-open");
  db = database.knex;
  await addSecondBloc(db);
  app = createTestApp(db);
  for (const b of await db("blocs").select("id", "code")) ids.bloc[b.code] = b.id;
  for (const a of await db("agencies").select("id", "code")) ids.agency[a.code] = a.id;
  for (const m of await db("bloc_memberships").select("agency_id", "bloc_id")) {
    const code = Object.keys(ids.agency).find((c) => ids.agency[c] === m.agency_id)!;
    ids.agencyBlocs[code] = [...(ids.agencyBlocs[code] ?? []), m.bloc_id];
  }
  for (const u of await db("users").select("id", "username", "role", "agency_id")) ids.user[u.username] = { id: u.id, role: u.role, agencyId: u.agency_id };
  for (const bloc of ["noichinh-tq", "khoi-khac"]) {
    const year = db("emulation_years").where({ bloc_id: ids.bloc[bloc], year: 2022 }).select("id");
    ids.campaign[bloc] = (await db("campaigns").whereIn("year_id", year).orderBy("id").first("id")).id;
    ids.criterion[bloc] = (await db("criteria").whereIn("year_id", year).orderBy("id").first("id")).id;
    const y = await db("emulation_years").where({ bloc_id: ids.bloc[bloc], year: 2022 }).first("ranking_published_at", "head_agency_id", "deputy_agency_id");
    ids.published[bloc] = y.ranking_published_at !== null;
    ids.leadership[bloc] = { headAgencyId: y.head_agency_id, deputyAgencyId: y.deputy_agency_id };
  }
  const pdf = Buffer.from("%PDF-1.4\n%%EOF\n");
  for (const code of ["bchqs", "congan", "k2-bchqs"]) {
    const report = await db("reports as r").join("periods as p", "p.id", "r.period_id").where({ "r.agency_id": ids.agency[code], "p.number": 1 }).first("r.id");
    const [{ id }] = await db("report_attachments")
      .insert({ report_id: report.id, kind: "signed_scan", filename: "scan.pdf", mime_type: "application/pdf", size_bytes: pdf.length, sha256: "0".repeat(64), content: pdf })
      .returning("id");
    ids.attachment[code] = id;
  }
  // A bundle carries no report versions: the other bloc's first report gets the same history as its twin.
  const reportOf = async (code: string) => (await db("reports as r").join("periods as p", "p.id", "r.period_id").where({ "r.agency_id": ids.agency[code], "p.number": 1 }).first("r.id")).id;
  const [twin, copy] = [await reportOf("bchqs"), await reportOf("k2-bchqs")];
  const versions = await db("report_versions").where({ report_id: twin }).select("*");
  if (versions.length) await db("report_versions").insert(versions.map(({ id: _id, ...v }) => ({ ...v, report_id: copy })));
  const repo = usersRepo(db);
  for (const u of USERS) users[u] = (await repo.findById(ids.user[u]!.id))!;
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  for (const who of WHO) {
    agents[who] = who === "anonymous" ? request.agent(server) : await loginAs(server, who);
    tokens[who] = csrfFrom((await agents[who].get(who === "anonymous" ? "/login" : "/account/password")).text);
  }
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await database.close();
});

/** Every GET and POST route the app registers, as "METHOD /path". */
function registeredRoutes(): string[] {
  const out: string[] = [];
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]) => {
    for (const l of stack) {
      if (l.route) for (const m of Object.keys(l.route.methods)) out.push(`${m.toUpperCase()} ${l.route.path}`);
      else if (l.handle?.stack) walk(l.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out.filter((r) => r.startsWith("GET ") || r.startsWith("POST "));
}

describe("the permission table covers every route", () => {
  it("when a route is registered, then route-actions.ts says which actions it checks (and lists no route that does not exist)", () => {
    const registered = new Set(registeredRoutes());
    const listed = new Set(ROUTE_RULES.map((r) => `${r.method} ${r.path}`));
    expect([...registered].filter((r) => !listed.has(r))).toEqual([]);
    expect(ROUTE_RULES.filter((r) => r.checks !== "public" && !registered.has(`${r.method} ${r.path}`)).map((r) => r.path)).toEqual([]);
  });
});

describe("docs/routes.md agrees with the permission table", () => {
  const LETTERS: Record<string, Role> = { S: "secretariat", L: "leader", O: "observer", A: "admin", C: "clerk" };
  const doc = fs.readFileSync(path.resolve("docs/routes.md"), "utf8");
  const rows = doc
    .split("\n")
    .filter((l) => /^\| (GET|POST|GET\/POST) \|/.test(l))
    .map((l) => l.split("|").map((c) => c.trim()))
    .map((cells) => ({ path: /`([^`]+)`/.exec(cells[2] ?? "")?.[1] ?? "", who: cells[4] ?? "" }));

  it("when a row names roles, then they are exactly the roles the table lets use its routes", () => {
    const problems: string[] = [];
    for (const row of rows) {
      const rules = ROUTE_RULES.filter((r) => r.doc === row.path);
      if (rules.length === 0) {
        problems.push(`${row.path}: no route in route-actions.ts`);
        continue;
      }
      const written = row.who === "anyone" ? "anyone" : /^(all )?signed[ -]in$/.test(row.who) ? "ACLOS" : [...new Set((row.who.match(/\b[SLOAC]\b/g) ?? []))].sort().join("");
      const fromTable = rules.some((r) => r.checks === "public")
        ? "anyone"
        : [...new Set(rules.flatMap((r) => [...rolesAllowedByChecks(r.checks as (Action | Action[])[]), ...(r.whenPublished ? rolesAllowedByChecks([r.whenPublished, ...(r.checks as (Action | Action[])[]).slice(1)]) : [])]))]
            .map((role) => Object.keys(LETTERS).find((k) => LETTERS[k] === role)!)
            .sort()
            .join("");
      if (written !== fromTable) problems.push(`${row.path}: docs say "${row.who}" (${written}), the table ${fromTable}`);
    }
    expect(problems).toEqual([]);
  });

  it("when a route is in the table, then docs/routes.md documents it", () => {
    const documented = new Set(rows.map((r) => r.path));
    const shortcuts = ["/dashboard", "/reports", "/sheets", "/ranking", "/setup", "/agencies"];
    expect(ROUTE_RULES.filter((r) => !documented.has(r.doc) && !shortcuts.includes(r.path) && r.path !== "/fonts/tinos/:file").map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});

/** Roles that pass every check of a route somewhere (an inner array: any of its actions). */
function rolesAllowedByChecks(checks: (Action | Action[])[]): Role[] {
  return (["admin", "secretariat", "leader", "observer", "clerk"] as Role[]).filter((role) =>
    checks.every((c) => (Array.isArray(c) ? c : [c]).some((a) => (ACTIONS[a].roles as readonly Role[]).includes(role))),
  );
}

describe("access matrix: every GET route × every role × own/other agency and bloc", () => {
  for (const rule of ROUTE_RULES.filter((r) => r.method === "GET")) {
    it(`GET ${rule.path}`, async () => {
      for (const v of variantsOf(rule)) {
        const url = fill(rule.path, v.params);
        // The six users at once (each its own session; a GET changes no data).
        const cases = WHO.map((who) => ({ who, want: expected(rule, who, v) })).filter((c) => c.want !== "skip");
        const got = await Promise.all(cases.map(async ({ who }) => ({ url, who, status: (await agents[who].get(url)).status })));
        expect(got).toEqual(cases.map(({ who, want }) => ({ url, who, status: want })));
      }
    }, 120_000);
  }
});

describe("access matrix: every POST route × every role × own/other agency and bloc", () => {
  it("answers what the table says, before reading the (malformed) body, and changes no data", async () => {
    const before = await snapshot();
    for (const rule of ROUTE_RULES.filter((r) => r.method === "POST")) {
      for (const v of variantsOf(rule)) {
        const url = fill(rule.path, v.params);
        for (const who of WHO) {
          const want = expected(rule, who, v);
          if (want === "skip") continue;
          const snap = process.env.MATRIX_TRACE ? await snapshot() : null;
          const got = (await agents[who].post(url).type("form").send({ _csrf: tokens[who], "khong-ro": "<script>", version: "abc", year: "x", planDate: "31/02/2022", email: "khong-phai-email" })).status;
          if (snap) {
            const now = await snapshot();
            const changed = DATA_TABLES.filter((t) => now[t] !== snap[t]);
            if (changed.length) process.stderr.write(`CHANGED ${changed.join(",")} by ${who} POST ${url} → ${got}\n`);
          }
          if (want === "valid") expect({ url, who, status: got, refused: [403, 404, 500].includes(got) }).toEqual({ url, who, status: got, refused: false });
          else if (want === "missing") expect({ url, who, status: got, answered: [400, 404, 409, 422].includes(got) }).toEqual({ url, who, status: got, answered: true });
          else expect({ url, who, status: got }).toEqual({ url, who, status: want });
        }
      }
    }
    const after = await snapshot();
    expect(DATA_TABLES.filter((t) => after[t] !== before[t])).toEqual([]);
  }, 600_000);
});
