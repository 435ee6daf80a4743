import type { User } from "./users-repo.js";
import { ForbiddenError, NotFoundError } from "../errors.js";

/**
 * Scope rules shared by every feature. Out-of-scope records answer 404 (not 403) so
 * a clerk cannot even learn that another agency's record exists.
 */
export const access = {
  /** Roles that read a whole bloc: its secretariat, leader and observer (admin: every bloc). */
  canReadBloc(user: User, blocId: number): boolean {
    return user.role === "admin" || user.blocIds.includes(blocId);
  },
  /** Throws NotFoundError unless the user may see this bloc. */
  assertBloc(user: User, blocId: number): void {
    if (!access.canReadBloc(user, blocId)) throw new NotFoundError();
  },
  /** Reading one agency's records: a clerk only their own; bloc readers the agencies of their blocs. */
  assertAgencyRecord(user: User, record: { agencyId: number; blocId: number }): void {
    if (user.role === "clerk") {
      if (user.agencyId !== record.agencyId) throw new NotFoundError();
      return;
    }
    access.assertBloc(user, record.blocId);
  },
  /** Changing an agency's own submission (report, sheet): only that agency's clerk. */
  assertOwnAgency(user: User, agencyId: number): void {
    if (user.role !== "clerk" || user.agencyId !== agencyId) throw new NotFoundError();
  },
  /** The secretariat's work on a bloc it runs (admin may stand in). */
  assertSecretariat(user: User, blocId: number): void {
    access.assertBloc(user, blocId);
    if (user.role !== "secretariat" && user.role !== "admin") throw new ForbiddenError();
  },
  isBlocReader(user: User): boolean {
    return user.role === "secretariat" || user.role === "leader" || user.role === "observer" || user.role === "admin";
  },
};
