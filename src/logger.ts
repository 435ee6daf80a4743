import { pino, type Logger } from "pino";

/** Passwords, cookies and session ids never reach a log line. */
export const REDACT_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "password",
  "*.password",
  "*.passwordHash",
  "*.password_hash",
  "body.password",
  "body.currentPassword",
  "body.newPassword",
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: "[ẩn]" } };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
