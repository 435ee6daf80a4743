import type { Knex } from "knex";
import { usersRepo } from "./auth/users-repo.js";
import { usersService } from "./auth/users-service.js";
import { loginAttemptsRepo } from "./auth/login-attempts-repo.js";
import { loginService } from "./auth/login-service.js";
import { blocsRepo } from "./blocs/blocs-repo.js";
import { blocsService } from "./blocs/blocs-service.js";
import { healthService } from "./health/health-service.js";
import { auditRepo } from "./audit/audit-repo.js";
import { auditService } from "./audit/audit-service.js";
import { userAdminRepo } from "./users/users-admin-repo.js";
import { userAdminService } from "./users/users-admin-service.js";
import { yearsRepo } from "./years/years-repo.js";
import { yearsService } from "./years/years-service.js";
import { revisionKeyedCache, computedYearCache } from "./years/year-cache.js";
import { yearBuilderRepo } from "./years/year-builder-repo.js";
import { yearLifecycleService } from "./years/year-lifecycle-service.js";
import { rankingRepo } from "./ranking/ranking-repo.js";
import { rankingService } from "./ranking/ranking-service.js";
import { publicationRepo } from "./ranking/publication-repo.js";
import { publicationService } from "./ranking/publication-service.js";
import { tiesService } from "./ranking/ties-service.js";
import { sheetsRepo } from "./scoresheets/sheets-repo.js";
import { sheetsService } from "./scoresheets/sheets-service.js";
import { ballotsRepo } from "./ballots/ballots-repo.js";
import { ballotsService } from "./ballots/ballots-service.js";
import { reportsRepo } from "./reports/reports-repo.js";
import { reportsService } from "./reports/reports-service.js";
import { homeRepo } from "./home/home-repo.js";
import { registrationsRepo } from "./registrations/registrations-repo.js";
import { registrationsService } from "./registrations/registrations-service.js";
import { homeService } from "./home/home-service.js";
import { agenciesRepo } from "./agencies/agencies-repo.js";
import { agenciesService } from "./agencies/agencies-service.js";
import { setupRepo } from "./setup/setup-repo.js";
import { setupService } from "./setup/setup-service.js";
import { bundleRepo } from "./bundle/bundle-repo.js";
import { bundleService } from "./bundle/bundle-service.js";
import { dashboardRepo } from "./dashboard/dashboard-repo.js";
import { dashboardService } from "./dashboard/dashboard-service.js";
import { documentsRepo } from "./documents/documents-repo.js";
import { documentsService } from "./documents/documents-service.js";
import { notificationsRepo } from "./notifications/notifications-repo.js";
import { outboxRepo } from "./notifications/outbox-repo.js";
import { notificationsService, type MailOptions } from "./notifications/notifications-service.js";
import { remindersService } from "./notifications/reminders-service.js";
import { objectionsRepo } from "./objections/objections-repo.js";
import { objectionsService } from "./objections/objections-service.js";
import { awardsRepo } from "./awards/awards-repo.js";
import { awardsService } from "./awards/awards-service.js";
import { provinceRepo } from "./province/province-repo.js";
import { provinceService } from "./province/province-service.js";

export interface ServiceOptions {
  /** The clock: injected so deadlines and lockouts are testable. */
  now?: () => Date;
  /** E-mail of notifications; off (portal notifications only) unless SMTP_URL is set. */
  mail?: MailOptions;
}

/** Composition root: the only place that wires repos into services. */
export function createServices(db: Knex, opts: ServiceOptions = {}) {
  const now = opts.now ?? (() => new Date());
  const audit = auditService(auditRepo(db));
  const users = usersService(usersRepo(db));
  // One computed-year cache per process, checked against the year's revision on every read (issue 16).
  const yearCache = computedYearCache();
  const years = yearsService({ repo: yearsRepo(db), blocs: blocsRepo(db), now, cache: yearCache });
  const ranking = rankingService({ repo: rankingRepo(db), years, cache: yearCache, now });
  const login = loginService({ users, attempts: loginAttemptsRepo(db), audit, now });
  const outbox = outboxRepo(db);
  const notifications = notificationsService({
    db, repo: notificationsRepo(db), outbox, audit, now,
    mail: opts.mail ?? { enabled: false, publicUrl: "http://localhost:3000" },
  });
  const reports = reportsService({ db, repo: reportsRepo(db), years, audit, notifications, now, cache: yearCache });
  const awardRows = awardsRepo(db);
  const publication = publicationService({ db, repo: publicationRepo(db), rankingRepo: rankingRepo(db), ranking, years, audit, notifications, now, decided: (yearId) => awardRows.decidedForYear(yearId) });
  const objections = objectionsService({ db, repo: objectionsRepo(db), years, publication, audit, notifications, now, cache: yearCache });
  const agencies = agenciesService({ repo: agenciesRepo(db), blocs: blocsRepo(db), audit, db });
  const awards = awardsService({ db, repo: awardRows, years, audit, now, standing: (ctx) => objections.standingOf(ctx), agencyBlocIds: (id) => agencies.blocIdsOf(id) });
  return {
    db,
    now,
    yearCache,
    audit,
    users,
    login,
    userAdmin: userAdminService({ repo: userAdminRepo(db), audit, login, db, findBloc: (code) => blocsRepo(db).findByCode(code) }),
    blocs: blocsRepo(db),
    blocAdmin: blocsService({ repo: blocsRepo(db), audit, db }),
    health: healthService(db),
    years,
    yearLifecycle: yearLifecycleService({ db, repo: yearBuilderRepo(db), blocs: blocsRepo(db), years, audit, now, standing: (ctx) => objections.standingOf(ctx) }),
    ranking,
    publication,
    objections,
    ties: tiesService({ db, years, ranking, rankingRepo: rankingRepo(db), audit, now }),
    sheets: sheetsService({ repo: sheetsRepo(), years, ranking, reports, audit, notifications, db, now, cache: yearCache }),
    ballots: ballotsService({ repo: ballotsRepo(db), years, audit, db, ranking, rankingRepo: rankingRepo(db), now }),
    reports,
    home: homeService({ repo: homeRepo(db), years, now, cache: yearCache }),
    agencies,
    awards,
    setup: setupService({ repo: setupRepo(db), years, audit, db }),
    bundle: bundleService({ repo: bundleRepo(db), years, audit, db }),
    registrations: registrationsService({ db, repo: registrationsRepo(db), years, audit, notifications, now }),
    dashboard: dashboardService({ repo: dashboardRepo(db), years, ranking, blocs: blocsRepo(db), now, cache: yearCache }),
    province: provinceService({ repo: provinceRepo(db), blocs: blocsRepo(db), now, cache: revisionKeyedCache() }),
    documents: documentsService({ repo: documentsRepo(db), years, ranking, reports, audit, db, now, previousAwards: (ids, year) => awards.previousAwards(ids, year), cache: yearCache }),
    notifications,
    reminders: remindersService({ db, repo: notificationsRepo(db), notifications, now }),
    outbox,
  };
}

export type Services = ReturnType<typeof createServices>;
