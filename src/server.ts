import { loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { prepareDatabase } from "./bootstrap.js";
import { createServices } from "./services.js";
import { createApp } from "./app.js";
import { resolveSessionSecret } from "./web/session-secret.js";

async function main(): Promise<void> {
  const cfg = loadConfig();
  const logger = createLogger(cfg.logLevel);
  const database = await prepareDatabase(cfg, logger);
  const app = createApp(createServices(database.knex), {
    logger,
    sessionSecret: resolveSessionSecret(cfg),
    production: cfg.production,
    sessionIdleMinutes: cfg.sessionIdleMinutes,
    trustProxy: cfg.trustProxy,
  });
  const server = app.listen(cfg.port, () => {
    logger.info(`Cổng thi đua đang chạy tại http://localhost:${cfg.port}/ (${database.kind})`);
  });

  // Graceful shutdown: stop accepting, let requests in flight finish, then close the pool.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close(() => {
      database.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
