import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Express, type RequestHandler } from "express";
import type { Services } from "./services.js";
import type { Logger } from "./logger.js";
import { createPassport } from "./auth/passport.js";
import { authRoutes } from "./auth/routes.js";
import { homeRoutes } from "./home/routes.js";
import { healthRoutes } from "./health/routes.js";
import { userRoutes } from "./users/routes.js";
import { auditRoutes } from "./audit/routes.js";
import { reportRoutes, reportRescueHandler } from "./reports/routes.js";
import { registrationRoutes } from "./registrations/routes.js";
import { rescueExpiredForm } from "./web/middleware/rescue-expired-form.js";
import { messages as reportMessages } from "./reports/messages.js";
import { scoreSheetRoutes } from "./scoresheets/routes.js";
import { ballotRoutes } from "./ballots/routes.js";
import { rankingRoutes } from "./ranking/routes.js";
import { securityHeaders } from "./web/middleware/security.js";
import { accessLog } from "./web/middleware/access-log.js";
import { sessionMiddleware, saveSessionBeforeRedirect } from "./web/middleware/session.js";
import { sessionPreload, takeSessionUser } from "./web/middleware/session-preload.js";
import { anonymousCsrf, csrfProtection } from "./web/middleware/csrf.js";
import { parseQuery, stripNul } from "./web/middleware/strip-nul.js";
import { multipartBody } from "./web/middleware/multipart.js";
import { locals } from "./web/middleware/locals.js";
import { requirePasswordChange } from "./web/middleware/password-change.js";
import { brand } from "./web/middleware/brand.js";
import { errorHandler, notFound } from "./web/error-handler.js";
import { setupRoutes } from "./setup/routes.js";
import { agencyRoutes } from "./agencies/routes.js";
import { bundleRoutes } from "./bundle/routes.js";
import { dashboardRoutes } from "./dashboard/routes.js";
import { documentRoutes } from "./documents/routes.js";
import { notificationRoutes, unreadNotificationCount } from "./notifications/routes.js";
import { yearPagesMiddleware, yearRoutes } from "./years/routes.js";
import { objectionRoutes } from "./objections/routes.js";
import { awardRoutes } from "./awards/routes.js";
import { readOnlyRequestScope } from "./years/year-cache.js";
import { blocRoutes } from "./blocs/routes.js";
import { provinceRoutes } from "./province/routes.js";
import { featureRouter } from "./web/feature-router.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface AppOptions {
  logger: Logger;
  sessionSecret: string;
  production: boolean;
  /** Show stacks on error pages (NODE_ENV=development only); never by default. */
  showErrorDetail?: boolean;
  sessionIdleMinutes: number;
  trustProxy?: boolean;
}

/**
 * express.static looks every request up on disk (an fs.stat, and an ENOENT error for each page): only the
 * paths under one of public/'s own entries (css/, js/, favicon.svg…, listed at start) go to it (issue 16).
 */
function publicFiles(dir: string, options: Parameters<typeof express.static>[1]): RequestHandler {
  const entries = new Set(fs.readdirSync(dir));
  const serve = express.static(dir, options);
  return (req, res, next) => {
    const end = req.path.indexOf("/", 1);
    let first = req.path.slice(1, end === -1 ? undefined : end);
    if (first.includes("%")) {
      try {
        first = decodeURIComponent(first);
      } catch {
        return next();
      }
    }
    if (!entries.has(first)) return next();
    serve(req, res, next);
  };
}

/** Builds the Express app from its services; never listens (server.ts does). */
export function createApp(services: Services, opts: AppOptions): Express {
  const app = express();
  app.set("view engine", "ejs");
  app.set("views", path.join(root, "views"));
  app.set("trust proxy", opts.trustProxy ? 1 : false);
  app.disable("x-powered-by");
  // Pages and downloads are sent "no-store" (below): no browser keeps them to revalidate, so hashing each
  // body for an ETag is wasted work (static files have their own, from express.static).
  app.set("etag", false);
  // The query's strings never carry U+0000, as the body's (strip-nul.ts).
  app.set("query parser", parseQuery);
  if (opts.production) app.enable("view cache");

  app.use(accessLog(opts.logger));
  app.use(securityHeaders(opts.production));
  // Static files come before the session so assets never create one.
  app.use(publicFiles(path.join(root, "public"), { maxAge: opts.production ? "1d" : 0, index: false }));
  app.use(healthRoutes(services));
  // Every page and download past this point may be private: no browser or proxy keeps a copy.
  app.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  // GET pages read their year once, however many services open it (issue 16).
  app.use(readOnlyRequestScope);
  app.use(
    sessionMiddleware({
      db: services.db,
      secret: opts.sessionSecret,
      production: opts.production,
      idleMinutes: opts.sessionIdleMinutes,
      preload: sessionPreload(services.db),
    }),
  );
  app.use(saveSessionBeforeRedirect);
  app.use(express.urlencoded({ extended: false, limit: "1mb", parameterLimit: 2000 }));
  const passport = createPassport(services.users, services.login, takeSessionUser);
  app.use(passport.initialize());
  app.use(passport.session());
  // Multipart forms are parsed here, before the CSRF check, so their token travels in the body.
  app.use(multipartBody);
  app.use(stripNul);
  // A closed year refuses every change, whichever feature's form was posted (before any handler runs).
  app.use("/blocs/:bloc/years/:year", yearPagesMiddleware(services));
  // Before the CSRF check: a form posted after its session expired is saved as a draft.
  app.use(
    rescueExpiredForm({
      db: services.db,
      secret: opts.sessionSecret,
      logger: opts.logger,
      handlers: [reportRescueHandler(services)],
      message: reportMessages.rescued,
    }),
  );
  const anonymous = anonymousCsrf({ secret: opts.sessionSecret, production: opts.production });
  app.use(csrfProtection(anonymous));
  app.use(locals(anonymous));
  app.use(requirePasswordChange);
  app.use(unreadNotificationCount(services));
  app.use(brand(services));

  // Each feature router is entered only when one of its routes can match the path (feature-router.ts).
  app.use(featureRouter(authRoutes(services, passport)));
  app.use(featureRouter(homeRoutes(services)));
  app.use(featureRouter(yearRoutes(services)));
  app.use(featureRouter(blocRoutes(services)));
  app.use(featureRouter(userRoutes(services)));
  app.use(featureRouter(auditRoutes(services)));
  app.use(featureRouter(scoreSheetRoutes(services)));
  app.use(featureRouter(ballotRoutes(services)));
  // Before the ranking's /ranking/:agency, which would take /ranking/print and /ranking/proposal-letter.
  app.use(featureRouter(documentRoutes(services)));
  app.use(featureRouter(rankingRoutes(services)));
  app.use(featureRouter(objectionRoutes(services)));
  app.use(featureRouter(awardRoutes(services)));
  app.use(featureRouter(reportRoutes(services)));
  app.use(featureRouter(registrationRoutes(services)));
  app.use(featureRouter(setupRoutes(services)));
  app.use(featureRouter(agencyRoutes(services)));
  app.use(featureRouter(bundleRoutes(services)));
  app.use(featureRouter(dashboardRoutes(services)));
  app.use(featureRouter(notificationRoutes(services)));
  app.use(featureRouter(provinceRoutes(services)));
  // Feature routes are mounted above this line.

  app.use(notFound);
  app.use(errorHandler({ showErrorDetail: opts.showErrorDetail ?? false, logger: opts.logger }));
  return app;
}
