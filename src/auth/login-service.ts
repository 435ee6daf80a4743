import type { LoginAttemptsRepo } from "./login-attempts-repo.js";
import type { UsersService } from "./users-service.js";
import type { AuditService } from "../audit/audit-service.js";
import type { User } from "./users-repo.js";
import { lockoutRemainingMs, THROTTLE } from "./throttle.js";
import { messages } from "./messages.js";

export type LoginResult = { ok: true; user: User } | { ok: false; message: string };

export function loginService(deps: { users: UsersService; attempts: LoginAttemptsRepo; audit: AuditService; now: () => Date }) {
  const since = (now: Date, windowMs: number) => new Date(now.getTime() - windowMs);

  /** Milliseconds the account or the address must still wait (0: may try). */
  async function waitMs(username: string, ip: string, now: Date): Promise<number> {
    return Math.max(
      lockoutRemainingMs(await deps.attempts.failuresForUsername(username, since(now, THROTTLE.account.windowMs)), now, THROTTLE.account.limit, THROTTLE.account.windowMs),
      lockoutRemainingMs(await deps.attempts.failuresForIp(ip, since(now, THROTTLE.address.windowMs)), now, THROTTLE.address.limit, THROTTLE.address.windowMs),
    );
  }

  return {
    /**
     * The current-password check of a signed-in user (changing one's password): it counts and
     * locks exactly like the login, so a stolen session cannot guess the password either.
     */
    async verifyCurrentPassword(user: User, password: string, ip: string): Promise<{ ok: true } | { ok: false; message: string }> {
      const now = deps.now();
      const wait = await waitMs(user.username, ip, now);
      if (wait > 0) {
        await deps.audit.record({ userId: user.id, username: user.username, action: "password.locked", agencyId: user.agencyId, ip });
        return { ok: false, message: messages.locked(Math.ceil(wait / 60_000)) };
      }
      const ok = (await deps.users.verifyCredentials(user.username, password)) !== null;
      await deps.attempts.record(user.username, ip, ok, now);
      if (!ok) await deps.audit.record({ userId: user.id, username: user.username, action: "password.failure", agencyId: user.agencyId, ip });
      return ok ? { ok: true } : { ok: false, message: messages.wrongCurrentPassword };
    },

    /**
     * Checks throttling first (a locked account is refused even with the right password),
     * then the password. Unknown and wrong give one message; failures count per username
     * whether or not it exists, so the answers reveal nothing.
     */
    async attempt(rawUsername: string, password: string, ip: string): Promise<LoginResult> {
      const username = rawUsername.trim().toLowerCase();
      const now = deps.now();
      const wait = await waitMs(username, ip, now);
      if (wait > 0) {
        // Not counted as a failure: the wait announced to the user must hold.
        await deps.audit.record({ userId: null, username, action: "login.locked", ip });
        return { ok: false, message: messages.locked(Math.ceil(wait / 60_000)) };
      }
      const user = await deps.users.verifyCredentials(username, password);
      await deps.attempts.record(username, ip, Boolean(user), now);
      if (!user) {
        await deps.audit.record({ userId: null, username, action: "login.failure", ip });
        return { ok: false, message: messages.badCredentials };
      }
      await deps.users.recordLogin(user.id);
      await deps.audit.record({ userId: user.id, username: user.username, action: "login.success", agencyId: user.agencyId, ip });
      return { ok: true, user };
    },
  };
}

export type LoginService = ReturnType<typeof loginService>;
