import type { Knex } from "knex";
import { usersRepo } from "./auth/users-repo.js";
import { usersService } from "./auth/users-service.js";
import { loginAttemptsRepo } from "./auth/login-attempts-repo.js";
import { loginService } from "./auth/login-service.js";
import { blocsRepo } from "./blocs/blocs-repo.js";
import { healthService } from "./health/health-service.js";
import { auditRepo } from "./audit/audit-repo.js";
import { auditService } from "./audit/audit-service.js";
import { userAdminRepo } from "./users/users-admin-repo.js";
import { userAdminService } from "./users/users-admin-service.js";

export interface ServiceOptions {
  /** The clock: injected so deadlines and lockouts are testable. */
  now?: () => Date;
}

/** Composition root: the only place that wires repos into services. */
export function createServices(db: Knex, opts: ServiceOptions = {}) {
  const now = opts.now ?? (() => new Date());
  const audit = auditService(auditRepo(db));
  const users = usersService(usersRepo(db));
  return {
    db,
    now,
    audit,
    users,
    login: loginService({ users, attempts: loginAttemptsRepo(db), audit, now }),
    userAdmin: userAdminService({ repo: userAdminRepo(db), audit, db }),
    blocs: blocsRepo(db),
    health: healthService(db),
  };
}

export type Services = ReturnType<typeof createServices>;
