import { randomInt } from "node:crypto";
import { hash, verify, type Algorithm } from "@node-rs/argon2";

// Argon2id (OWASP: m=19 MiB, t=2, p=1). Algorithm is a const enum that isolatedModules
// cannot inline: 2 is Argon2id.
const OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verifying against this when the user is unknown keeps the timing of both answers alike. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("không-có-tài-khoản-này");
  return dummyHash;
}

/** Letters and digits that cannot be misread on paper (no 0/O, 1/l/I). */
const ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A one-time password printed on paper: 12 unambiguous characters (about 69 bits). */
export function oneTimePassword(): string {
  return Array.from({ length: 12 }, () => ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)]).join("");
}
