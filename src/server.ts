import { loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { prepareDatabase } from "./bootstrap.js";
import { createServices } from "./services.js";
import { createApp } from "./app.js";
import { resolveSessionSecret } from "./web/session-secret.js";
import { scheduleSessionPruning } from "./web/middleware/session.js";
import { startNotificationJobs } from "./notifications/jobs.js";

async function main(): Promise<void> {
  const cfg = loadConfig();
  const logger = createLogger(cfg.logLevel);
  const database = await prepareDatabase(cfg, logger);
  const services = createServices(database.knex, { mail: { enabled: Boolean(cfg.mail), publicUrl: cfg.publicUrl } });
  const jobs = startNotificationJobs(services, cfg, logger);
  const app = createApp(services, {
    logger,
    sessionSecret: resolveSessionSecret(cfg),
    production: cfg.production,
    showErrorDetail: cfg.showErrorDetail,
    sessionIdleMinutes: cfg.sessionIdleMinutes,
    trustProxy: cfg.trustProxy,
  });
  const stopPruning = scheduleSessionPruning(database.knex, logger);
  const server = app.listen(cfg.port, () => {
    logger.info(`Cổng thi đua đang chạy tại http://localhost:${cfg.port}/ (${database.kind})`);
  });

  // Graceful shutdown: stop accepting, let requests in flight finish, then close the pool and exit 0.
  // Keep-alive connections are closed as soon as they are idle; responses sent meanwhile say
  // "Connection: close" so proxies and browsers open their next request elsewhere.
  let stopping = false;
  server.on("request", (_req, res) => {
    if (stopping) res.setHeader("Connection", "close");
  });
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing requests in flight");
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const force = setTimeout(() => {
      logger.error("requests still in flight after 10 s: exiting anyway");
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close(() => {
      clearInterval(idle);
      stopPruning();
      // The sender finishes the message in hand, so nothing is left claimed, then the pool closes.
      jobs.stop().then(() => database.close()).then(
        () => {
          logger.info("stopped");
          process.exit(0);
        },
        (err: unknown) => {
          logger.error({ err }, "closing the database failed");
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
