import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/**
 * SESSION_SECRET when given; otherwise (demo, development) one generated once and kept in
 * DATA_DIR so sessions survive a restart. Production refuses to start without it (config.ts).
 */
export function resolveSessionSecret(cfg: { sessionSecret: string | undefined; dataDir: string }): string {
  if (cfg.sessionSecret) return cfg.sessionSecret;
  const file = path.join(cfg.dataDir, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(cfg.dataDir, { recursive: true });
    const secret = randomBytes(48).toString("base64url");
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  }
}
