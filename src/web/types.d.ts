import type { User as AppUser } from "../auth/users-repo.js";
import type { ViewHelpers } from "./view-helpers.js";

declare global {
  namespace Express {
    // passport attaches the session user here.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AppUser {}
    interface Locals {
      user: AppUser | null;
      may: (action: import("../auth/access.js").Action) => boolean;
      csrfToken: string;
      flash: { kind: "success" | "error"; text: string } | null;
      nav: { href: string; label: string; active: boolean }[];
      h: ViewHelpers;
      siteTitle: string;
      requestId: string;
      /** Set for signed-in users by the notifications feature. */
      unreadNotifications?: number;
    }
  }
}

declare module "express-session" {
  interface SessionData {
    flash?: { kind: "success" | "error"; text: string };
    returnTo?: string;
    /** When the user signed in (ms since epoch): the absolute lifetime counts from it. */
    signedInAt?: number;
  }
}

export {};
