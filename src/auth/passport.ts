import { Passport } from "passport";

export type PortalPassport = InstanceType<typeof Passport>;
import { Strategy as LocalStrategy } from "passport-local";
import type { UsersService } from "./users-service.js";

/** One Passport per app (not a module singleton), built from the app's services. */
export function createPassport(users: UsersService): PortalPassport {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: "username", passwordField: "password" }, (username, password, done) => {
      users.verifyCredentials(username, password).then(
        (user) => done(null, user ?? false),
        (err) => done(err),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: number, done) => {
    users.findSessionUser(id).then(
      (user) => done(null, user ?? false),
      (err) => done(err),
    );
  });
  return passport;
}
