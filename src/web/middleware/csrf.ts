import { csrfSync } from "csrf-sync";
import type { Request } from "express";

/** Synchronizer token kept in the session; forms send it as `_csrf` (multipart forms in the query). */
export const csrf = csrfSync({
  getTokenFromRequest: (req: Request) =>
    (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined ??
    (req.headers["x-csrf-token"] as string | undefined) ??
    (typeof req.query._csrf === "string" ? req.query._csrf : undefined),
  errorConfig: { statusCode: 403, message: "csrf", code: "EBADCSRFTOKEN" },
});
