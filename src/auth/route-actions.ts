import type { Action } from "./access.js";

/**
 * Every GET and POST route with the permission-table actions it checks, in the order it checks
 * them (the bloc's visibility always comes first). The tests hold the app, this list,
 * docs/routes.md and the access matrix together: a route missing here, a "who" column that
 * disagrees with the table, or a route answering otherwise than the table says, fails a test.
 *
 * `checks`: the actions in order; an inner array passes when any of its actions allows.
 * `refusedAs404`: the route hides itself (404) from roles without the right instead of 403
 *   ("first"/"last": only when that check refuses; the others answer 403).
 * `doc`: the first path written in that route's row of docs/routes.md.
 */
export interface RouteRule {
  method: "GET" | "POST";
  path: string;
  checks: (Action | Action[])[] | "public";
  refusedAs404?: boolean | "first" | "last";
  /** Once the year's ranking is published, this action replaces the first check (clerks may read). */
  whenPublished?: Action;
  doc: string;
}

const Y = "/blocs/:bloc/years/:year";
const R = `${Y}/periods/:period/reports/:agency`;

const get = (path: string, checks: RouteRule["checks"], doc: string, extra: Partial<RouteRule> = {}): RouteRule => ({ method: "GET", path, checks, doc, ...extra });
const post = (path: string, checks: RouteRule["checks"], doc: string, extra: Partial<RouteRule> = {}): RouteRule => ({ method: "POST", path, checks, doc, ...extra });

export const ROUTE_RULES: RouteRule[] = [
  get("/login", "public", "/login"),
  post("/login", "public", "/login"),
  post("/logout", ["session.own"], "/logout"),
  get("/healthz", "public", "/healthz"),
  get("/fonts/tinos/:file", "public", "/fonts/tinos/<file>"),
  get("/", ["session.own"], "/"),
  get("/account/password", ["session.own"], "/account/password"),
  post("/account/password", ["session.own"], "/account/password"),
  // menu shortcuts: each redirects to the user's latest year
  ...["/dashboard", "/reports", "/sheets", "/ranking", "/setup", "/agencies"].map((p) => get(p, ["session.own"], p)),

  get(`${Y}/dashboard`, ["bloc.overview"], "…/dashboard", { refusedAs404: true }),
  get(`${Y}/registrations`, ["bloc.overview"], "…/registrations", { refusedAs404: true }),
  get(`${Y}/registration/:agency`, ["agency.read"], "…/registration/<agency>"),
  post(`${Y}/registration/:agency`, ["agency.read", "agency.submit"], "…/registration/<agency>", { refusedAs404: true }),
  post(`${Y}/registration/:agency/review`, ["agency.read", "bloc.manage"], "…/registration/<agency>/review"),
  get(`${Y}/periods/:period/reports`, ["bloc.overview"], "…/periods/<n>/reports", { refusedAs404: true }),
  get(`${Y}/periods/:period/reminder`, ["bloc.overview"], "…/periods/<n>/reminder", { refusedAs404: true }),
  get(`${Y}/periods/:period/reminder.pdf`, ["bloc.overview"], "…/periods/<n>/reminder", { refusedAs404: true }),
  get(R, ["agency.read"], "…/periods/<n>/reports/<agency>"),
  post(R, ["agency.read", "agency.submit"], "…/periods/<n>/reports/<agency>", { refusedAs404: true }),
  post(`${R}/review`, ["agency.read", "bloc.manage"], "…/periods/<n>/reports/<agency>/review"),
  post(`${R}/attachments`, ["agency.read", "agency.submit"], "…/periods/<n>/reports/<agency>/attachments", { refusedAs404: true }),
  get(`${R}/attachments/:id`, ["agency.read"], "…/periods/<n>/reports/<agency>/attachments/<id>"),
  post(`${R}/attachments/:id/delete`, ["agency.read", "agency.submit"], "…/periods/<n>/reports/<agency>/attachments/<id>/delete", { refusedAs404: true }),
  get(`${R}/versions/:number`, ["agency.read"], "…/periods/<n>/reports/<agency>/versions/<k>"),
  get(`${R}/print`, ["agency.read"], "…/periods/<n>/reports/<agency>/print"),
  get(`${R}/report.pdf`, ["agency.read"], "…/periods/<n>/reports/<agency>/print"),
  get(`${R}/report.docx`, ["agency.read"], "…/periods/<n>/reports/<agency>/print"),
  // a clerk's list of sheets is their own sheet (redirect)
  get(`${Y}/sheets`, ["bloc.read"], "…/sheets"),
  get(`${Y}/sheets/:agency`, ["agency.read"], "…/sheets/<agency>"),
  post(`${Y}/sheets/:agency`, ["agency.read", ["agency.submit", "bloc.manage"]], "…/sheets/<agency>"),
  get(`${Y}/sheets/:agency.xlsx`, ["agency.read"], "…/sheets/<agency>.xlsx"),
  // the draft is the agency's own: any other role is answered 404 before the upload is looked at
  post(`${Y}/sheets/:agency/import`, ["agency.read", "agency.submit"], "…/sheets/<agency>/import", { refusedAs404: true }),
  get(`${Y}/ballots`, ["bloc.overview"], "…/ballots", { refusedAs404: true }),
  post(`${Y}/ballots`, ["bloc.manage"], "…/ballots"),

  // a clerk of the bloc reads the page before publication too: it says the ranking is not yet published
  get(`${Y}/ranking`, ["ranking.readPublished"], "…/ranking", { refusedAs404: true }),
  get(`${Y}/ranking.json`, ["ranking.read"], "…/ranking.json", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ranking.csv`, ["ranking.read"], "…/ranking.json", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ranking.xlsx`, ["ranking.read"], "…/ranking.xlsx", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ranking.pdf`, ["ranking.read"], "…/ranking.json", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ranking/print`, ["ranking.read"], "…/ranking/print", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ranking/proposal-letter`, ["ranking.read"], "…/ranking/proposal-letter", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ranking/proposal-letter.pdf`, ["ranking.read"], "…/ranking/proposal-letter", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ballots/minutes`, ["ranking.read"], "…/ballots/minutes", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ballots/minutes.pdf`, ["ranking.read"], "…/ballots/minutes", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ranking.docx`, ["ranking.read"], "…/ranking.json", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ranking/proposal-letter.docx`, ["ranking.read"], "…/ranking/proposal-letter", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/ballots/minutes.docx`, ["ranking.read"], "…/ballots/minutes", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  get(`${Y}/documents`, ["bloc.overview"], "…/documents", { refusedAs404: true }),
  post(`${Y}/documents/:kind`, ["bloc.overview", "bloc.manage"], "…/documents/<kind>", { refusedAs404: "first" }),
  get(`${Y}/ranking/publish`, ["ranking.publish"], "…/ranking/publish"),
  post(`${Y}/ranking/publish`, ["ranking.publish"], "…/ranking/publish"),
  post(`${Y}/ranking/ties`, ["ranking.ties"], "…/ranking/ties"),
  get(`${Y}/ranking/:agency`, ["ranking.read"], "…/ranking/<agency>", { refusedAs404: true, whenPublished: "ranking.readPublished" }),
  post(`${Y}/ranking/reopen`, ["ranking.publish"], "…/ranking/reopen"),

  // after the ranking: objections, the province's decisions, the annual conference (issue 18)
  get(`${Y}/objections`, ["objection.read"], "…/objections"),
  post(`${Y}/objections`, ["objection.read", "objection.file"], "…/objections"),
  get(`${Y}/objections/:id`, ["objection.read"], "…/objections/<id>"),
  post(`${Y}/objections/:id/answer`, ["objection.read", "objection.answer"], "…/objections/<id>/answer"),
  post(`${Y}/objections/:id/reopen`, ["objection.read", "ranking.publish"], "…/objections/<id>/reopen"),
  get(`${Y}/objections/:id/files/:fileId`, ["objection.read"], "…/objections/<id>/files/<fileId>"),
  get(`${Y}/decisions`, ["award.read"], "…/decisions"),
  post(`${Y}/decisions`, ["award.read", "award.decide"], "…/decisions"),
  post(`${Y}/decisions/:id/revoke`, ["award.read", "award.decide"], "…/decisions/<id>/revoke"),
  get(`${Y}/conference`, ["bloc.overview"], "…/conference"),
  post(`${Y}/conference`, ["conference.record"], "…/conference"),
  // the province's view (issue 20): the observer's blocs side by side; history across years
  get("/province", ["province.read"], "/province"),
  get("/province/:year", ["province.read"], "/province/<year>?award="),
  get("/province/:year/proposals.xlsx", ["province.read"], "/province/<year>/proposals.xlsx?award="),
  get("/province/:year/proposals.docx", ["province.read"], "/province/<year>/proposals.xlsx?award="),
  get("/blocs/:bloc/history", ["bloc.read"], "/blocs/<bloc>/history"),
  get("/agencies/:agency/history", ["agency.read"], "/agencies/<agency>/history"),

  get(`${Y}/setup`, ["bloc.overview"], "…/setup"),
  post(`${Y}/setup`, ["bloc.manage"], "…/setup"),
  post(`${Y}/next-year`, ["bloc.manage"], "…/next-year"),
  get("/blocs/:bloc/years/new", ["bloc.manage"], "/blocs/<bloc>/years/new"),
  post("/blocs/:bloc/years/new", ["bloc.manage"], "/blocs/<bloc>/years/new"),
  post(`${Y}/close`, ["bloc.manage"], "…/close"),
  post(`${Y}/reopen`, ["year.reopen"], "…/reopen"),
  get(`${Y}/periods/new`, ["bloc.manage"], "…/periods/new"),
  post(`${Y}/periods`, ["bloc.manage"], "…/periods/new"),
  post(`${Y}/periods/:number/delete`, ["bloc.manage"], "…/periods/<n>/delete"),
  get(`${Y}/campaigns`, ["bloc.overview"], "…/campaigns"),
  get(`${Y}/campaigns/new`, ["bloc.manage"], "…/campaigns"),
  get(`${Y}/campaigns/:id`, ["bloc.overview"], "…/campaigns"),
  post(`${Y}/campaigns`, ["bloc.manage"], "…/campaigns"),
  post(`${Y}/campaigns/:id`, ["bloc.manage"], "…/campaigns"),
  post(`${Y}/campaigns/:id/delete`, ["bloc.manage"], "…/campaigns"),
  get(`${Y}/periods/:number`, ["bloc.overview"], "…/periods/<n>"),
  post(`${Y}/periods/:number`, ["bloc.manage"], "…/periods/<n>"),
  post(`${Y}/periods/:number/lock`, ["bloc.manage"], "…/periods/<n>"),
  post(`${Y}/periods/:number/unlock`, ["bloc.manage"], "…/periods/<n>"),
  post(`${Y}/periods/:number/extensions`, ["bloc.manage"], "…/periods/<n>"),
  post(`${Y}/periods/:number/extensions/:id/delete`, ["bloc.manage"], "…/periods/<n>"),
  get(`${Y}/criteria`, ["bloc.overview"], "…/criteria"),
  get(`${Y}/criteria/:id`, ["bloc.overview"], "…/criteria"),
  post(`${Y}/criteria`, ["bloc.manage"], "…/criteria"),
  post(`${Y}/criteria/:id`, ["bloc.manage"], "…/criteria"),
  post(`${Y}/criteria/:id/delete`, ["bloc.manage"], "…/criteria"),
  get(`${Y}/rules`, ["bloc.overview"], "…/rules"),
  post(`${Y}/rules`, ["bloc.manage"], "…/rules"),
  get(`${Y}/bundle.json`, ["bloc.overview"], "…/bundle.json"),
  get("/blocs/:bloc/agencies", ["bloc.overview"], "/blocs/<bloc>/agencies"),
  get("/blocs/:bloc/agencies/new", ["bloc.manage"], "/blocs/<bloc>/agencies"),
  get("/blocs/:bloc/agencies/:code", ["bloc.overview"], "/blocs/<bloc>/agencies/<code>"),
  post("/blocs/:bloc/agencies/:code/awards", ["award.backfill"], "/blocs/<bloc>/agencies/<code>/awards"),
  post("/blocs/:bloc/agencies/:code/awards/:id/revoke", ["award.backfill"], "/blocs/<bloc>/agencies/<code>/awards/<id>/revoke"),
  post("/blocs/:bloc/agencies", ["bloc.manage"], "/blocs/<bloc>/agencies"),
  post("/blocs/:bloc/agencies/:code", ["bloc.manage", "agency.edit"], "/blocs/<bloc>/agencies"),
  post("/blocs/:bloc/agencies/:code/leave", ["bloc.manage"], "/blocs/<bloc>/agencies"),
  post("/blocs/:bloc/agencies/:code/join", ["bloc.manage"], "/blocs/<bloc>/agencies"),
  get("/blocs/:bloc/agencies/bulk", ["bloc.manage"], "/blocs/<bloc>/agencies/bulk"),
  post("/blocs/:bloc/agencies/bulk", ["bloc.manage"], "/blocs/<bloc>/agencies/bulk"),
  post("/blocs/:bloc/agencies/bulk/upload", ["bloc.manage"], "/blocs/<bloc>/agencies/bulk"),
  get("/blocs/:bloc/clerk-accounts", ["bloc.manage"], "/blocs/<bloc>/clerk-accounts"),
  post("/blocs/:bloc/clerk-accounts", ["bloc.manage"], "/blocs/<bloc>/clerk-accounts"),
  get("/admin/blocs", ["bloc.admin"], "/admin/blocs"),
  get("/admin/blocs/new", ["bloc.admin"], "/admin/blocs/new"),
  post("/admin/blocs", ["bloc.admin"], "/admin/blocs/new"),
  get("/admin/blocs/:code", ["bloc.admin"], "/admin/blocs/new"),
  post("/admin/blocs/:code", ["bloc.admin"], "/admin/blocs/new"),
  post("/admin/blocs/:code/accounts", ["bloc.admin"], "/admin/blocs/<code>/accounts"),
  get("/admin/import-year", ["year.import"], "/admin/import-year"),
  post("/admin/import-year", ["year.import"], "/admin/import-year"),

  get("/admin/users", ["account.list"], "/admin/users"),
  get("/admin/users/new", ["account.list"], "/admin/users/new"),
  post("/admin/users", ["account.list"], "/admin/users/new"),
  get("/admin/users/:id", ["account.list", "account.manage"], "/admin/users/new"),
  post("/admin/users/:id", ["account.list", "account.manage"], "/admin/users/new"),
  post("/admin/users/:id/password", ["account.list", "account.manage"], "/admin/users/<id>/password"),
  post("/admin/users/:id/active", ["account.list", "account.manage"], "/admin/users/<id>/password"),
  // the secretariat and admin: the log of their blocs; the leader and observer: its point changes, read-only
  get("/audit", [["audit.read", "audit.readPoints"]], "/audit?userId=&agencyId=&from=dd/mm/yyyy&to=dd/mm/yyyy"),

  // notifications: one's own only (the service answers 404 for another user's id)
  get("/notifications", ["session.own"], "/notifications?page="),
  post("/notifications/:id/read", ["session.own"], "/notifications/<id>/read"),
  post("/notifications/read-all", ["session.own"], "/notifications/<id>/read"),
  get("/account/notifications", ["session.own"], "/account/notifications"),
  post("/account/notifications", ["session.own"], "/account/notifications"),
  get("/admin/mail", ["mail.admin"], "/admin/mail"),
  post("/admin/mail/:id/retry", ["mail.admin"], "/admin/mail/<id>/retry"),
];

/** The rule of a registered route, e.g. ruleFor("POST", "/blocs/:bloc/agencies"). */
export const ruleFor = (method: string, path: string): RouteRule | undefined => ROUTE_RULES.find((r) => r.method === method && r.path === path);
