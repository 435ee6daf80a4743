import type { Request } from "express";
import { Passport } from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import type { UsersService } from "./users-service.js";
import type { LoginService } from "./login-service.js";
import type { User } from "./users-repo.js";

export type PortalPassport = InstanceType<typeof Passport>;

/**
 * The session's user when the app read it with the session row (null: gone or deactivated), undefined
 * when it did not (then the deserializer queries it).
 */
export type PreloadedUser = (req: Request, id: number) => User | null | undefined;

/** One Passport per app (not a module singleton), built from the app's services. */
export function createPassport(users: UsersService, login: LoginService, preloaded: PreloadedUser = () => undefined): PortalPassport {
  const passport = new Passport();
  passport.use(
    new LocalStrategy(
      { usernameField: "username", passwordField: "password", passReqToCallback: true },
      (req, username, password, done) => {
        login.attempt(username, password, req.ip ?? "unknown").then(
          (result) => (result.ok ? done(null, result.user) : done(null, false, { message: result.message })),
          (err) => done(err),
        );
      },
    ),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((req: Request, id: number, done: (err: unknown, user?: Express.User | false) => void) => {
    // Read with the session row when the app preloads it, else here.
    const read = preloaded(req, id);
    if (read !== undefined) return done(null, read ?? false);
    users.findSessionUser(id).then(
      (user) => done(null, user ?? false),
      (err) => done(err),
    );
  });
  return passport;
}
