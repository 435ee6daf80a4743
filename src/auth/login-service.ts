import type { LoginAttemptsRepo } from "./login-attempts-repo.js";
import type { UsersService } from "./users-service.js";
import type { AuditService } from "../audit/audit-service.js";
import type { User } from "./users-repo.js";
import { lockoutRemainingMs, THROTTLE } from "./throttle.js";
import { messages } from "./messages.js";

export type LoginResult = { ok: true; user: User } | { ok: false; message: string };

export function loginService(deps: { users: UsersService; attempts: LoginAttemptsRepo; audit: AuditService; now: () => Date }) {
  const since = (now: Date, windowMs: number) => new Date(now.getTime() - windowMs);

  return {
    /**
     * Checks throttling first (a locked account is refused even with the right password),
     * then the password. Unknown and wrong give one message; failures count per username
     * whether or not it exists, so the answers reveal nothing.
     */
    async attempt(rawUsername: string, password: string, ip: string): Promise<LoginResult> {
      const username = rawUsername.trim().toLowerCase();
      const now = deps.now();
      const waitMs = Math.max(
        lockoutRemainingMs(await deps.attempts.failuresForUsername(username, since(now, THROTTLE.account.windowMs)), now, THROTTLE.account.limit, THROTTLE.account.windowMs),
        lockoutRemainingMs(await deps.attempts.failuresForIp(ip, since(now, THROTTLE.address.windowMs)), now, THROTTLE.address.limit, THROTTLE.address.windowMs),
      );
      if (waitMs > 0) {
        // Not counted as a failure: the wait announced to the user must hold.
        await deps.audit.record({ userId: null, username, action: "login.locked", ip });
        return { ok: false, message: messages.locked(Math.ceil(waitMs / 60_000)) };
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
