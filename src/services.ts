import type { Knex } from "knex";
import { usersRepo } from "./auth/users-repo.js";
import { usersService } from "./auth/users-service.js";
import { blocsRepo } from "./blocs/blocs-repo.js";
import { healthService } from "./health/health-service.js";

/** Composition root: the only place that wires repos into services. */
export function createServices(db: Knex) {
  return {
    db,
    users: usersService(usersRepo(db)),
    blocs: blocsRepo(db),
    health: healthService(db),
  };
}

export type Services = ReturnType<typeof createServices>;
