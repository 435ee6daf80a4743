import type { NextFunction, Request, Response } from "express";
import type { Services } from "../../services.js";
import { access } from "../../auth/access.js";
import { blocHeader } from "../../blocs/bloc-header.js";

/** The header's blocs and unread count, one query shared by `brand` and the unread count (per GET request). */
export const pageHeader = (services: Services, req: Request) => blocHeader(services.blocs, req.user?.id ?? null);

/**
 * The page header names the bloc the reader works on (its body above it, e.g. "UBND TỈNH TUYÊN
 * QUANG"), read from the bloc's own fields: the user's first bloc, or the installation's only bloc
 * before login. Several blocs and nobody signed in: the portal's generic name.
 */
export function brand(services: Services) {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.brand = null;
    try {
      const { blocs } = await pageHeader(services, req);
      const user = req.user;
      const bloc = user ? blocs.find((b) => access.canReadBloc(user, b.id)) : blocs.length === 1 ? blocs[0] : undefined;
      if (bloc) res.locals.brand = { kicker: bloc.issuingBody, name: bloc.name };
    } catch {
      // The header is decoration: with the database away, the page itself decides (the login form stays usable).
    }
    next();
  };
}
