import path from "node:path";
import { z } from "zod";

/** The only reader of process.env: parsed once, typed, frozen. */
const EnvSchema = z
  .object({
    // No default: error details are shown only when NODE_ENV=development is set on purpose.
    NODE_ENV: z.enum(["development", "production", "test"]).optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "phải bắt đầu bằng postgres:// hoặc postgresql://")
      .optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    SESSION_SECRET: z.string().min(32, "cần ít nhất 32 ký tự").optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    TRUST_PROXY: z.enum(["0", "1", "true", "false"]).default("0"),
    // E-mail: nothing is sent unless SMTP_URL is set (smtp://user:pass@host:587 or smtps://…:465).
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "phải bắt đầu bằng smtp:// hoặc smtps://")
      .optional(),
    MAIL_FROM: z.string().trim().min(3).max(254).optional(),
    // The portal's address as users reach it: links in e-mails point there.
    PUBLIC_URL: z
      .string()
      .regex(/^https?:\/\/[^\s]+$/, "phải là địa chỉ http:// hoặc https://")
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.SESSION_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "bắt buộc khi NODE_ENV=production (ít nhất 32 ký tự ngẫu nhiên)",
      });
    }
    if (env.SMTP_URL && !env.MAIL_FROM) {
      ctx.addIssue({
        code: "custom",
        path: ["MAIL_FROM"],
        message: "bắt buộc khi có SMTP_URL (ví dụ: \"Cổng thi đua <thidua@example.gov.vn>\")",
      });
    }
  });

export interface Config {
  env: "development" | "production" | "test" | "unset";
  production: boolean;
  /** Stacks on error pages: only with NODE_ENV=development given explicitly (`npm run dev`). */
  showErrorDetail: boolean;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string | undefined;
  sessionIdleMinutes: number;
  logLevel: string;
  trustProxy: boolean;
  /** Present only when SMTP_URL is set: then notifications are also sent by e-mail. */
  mail: { smtpUrl: string; from: string } | undefined;
  /** Base of the links in e-mails, without a trailing slash. */
  publicUrl: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Cấu hình không hợp lệ (invalid configuration) — ${lines.join("; ")}`);
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV ?? "unset",
    production: e.NODE_ENV === "production",
    showErrorDetail: e.NODE_ENV === "development",
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    sessionSecret: e.SESSION_SECRET,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY === "1" || e.TRUST_PROXY === "true",
    mail: e.SMTP_URL && e.MAIL_FROM ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM } : undefined,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
  });
}
