import { describe, expect, it } from "vitest";
import { loadConfig, ConfigError } from "./config.js";

describe("config", () => {
  it("when nothing is set, then the embedded demo defaults apply", () => {
    const cfg = loadConfig({});
    expect(cfg.port).toBe(3000);
    expect(cfg.databaseUrl).toBeUndefined();
    expect(cfg.dataDir).toMatch(/data$/);
    expect(cfg.production).toBe(false);
  });

  it("when NODE_ENV is not set, then error pages show no details; only NODE_ENV=development shows them", () => {
    expect(loadConfig({}).showErrorDetail).toBe(false);
    expect(loadConfig({ NODE_ENV: "test" }).showErrorDetail).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32) }).showErrorDetail).toBe(false);
    expect(loadConfig({ NODE_ENV: "development" }).showErrorDetail).toBe(true);
  });

  it("when NODE_ENV=production has no SESSION_SECRET, then it refuses to start with a clear message", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET/);
  });

  it("when production has a long secret, then it starts with Secure cookies on", () => {
    const cfg = loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(40), DATABASE_URL: "postgres://u@h/db" });
    expect(cfg.production).toBe(true);
    expect(cfg.sessionSecret).toHaveLength(40);
  });

  it("when a variable is malformed, then every problem is named", () => {
    expect(() => loadConfig({ PORT: "abc", DATABASE_URL: "mysql://x" })).toThrow(/PORT.*DATABASE_URL|DATABASE_URL.*PORT/);
  });

  it("when SMTP_URL is unset, then no mail is configured and links point at the local port", () => {
    const cfg = loadConfig({ PORT: "3119" });
    expect(cfg.mail).toBeUndefined();
    expect(cfg.publicUrl).toBe("http://localhost:3119");
  });

  it("when SMTP_URL is set without MAIL_FROM, then it refuses to start naming MAIL_FROM", () => {
    expect(() => loadConfig({ SMTP_URL: "smtp://mail.example:587" })).toThrow(/MAIL_FROM/);
  });

  it("when SMTP_URL, MAIL_FROM and PUBLIC_URL are set, then mail is on and links use the public address", () => {
    const cfg = loadConfig({ SMTP_URL: "smtps://u:p@mail.example:465", MAIL_FROM: "Cổng thi đua <thidua@example.vn>", PUBLIC_URL: "https://thidua.example.vn/" });
    expect(cfg.mail).toEqual({ smtpUrl: "smtps://u:p@mail.example:465", from: "Cổng thi đua <thidua@example.vn>" });
    expect(cfg.publicUrl).toBe("https://thidua.example.vn");
  });

  it("when SMTP_URL is not an smtp address, then it says so", () => {
    expect(() => loadConfig({ SMTP_URL: "http://x", MAIL_FROM: "a@b.c" })).toThrow(/SMTP_URL/);
  });
});
