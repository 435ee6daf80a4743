import type { UsersRepo, User } from "./users-repo.js";
import { dummyPasswordHash, verifyPassword } from "./passwords.js";

/** Only an active account stays signed in: a deactivated one is signed out on its next request. */
export const signedInUser = (user: User | null | undefined): User | null => (user && user.active ? user : null);

export function usersService(repo: UsersRepo) {
  return {
    /** The user when the password matches an active account; unknown and wrong look the same. */
    async verifyCredentials(username: string, password: string): Promise<User | null> {
      const found = await repo.findCredentials(username.trim());
      const ok = await verifyPassword(found?.passwordHash ?? (await dummyPasswordHash()), password);
      if (!found || !ok || !found.active) return null;
      const { passwordHash: _hash, ...user } = found;
      return user;
    },
    async findSessionUser(id: number): Promise<User | null> {
      return signedInUser(await repo.findById(id));
    },
    recordLogin: (id: number) => repo.touchLastLogin(id),
  };
}

export type UsersService = ReturnType<typeof usersService>;
