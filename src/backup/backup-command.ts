import type { Database } from "../db/database.js";
import { backupRepo } from "./backup-repo.js";
import { backupService } from "./backup-service.js";

const service = (database: Database) => backupService({ db: database.knex, repo: backupRepo(), engine: database.kind });

const summary = (counts: Record<string, number>) => `${Object.keys(counts).length} bảng, ${Object.values(counts).reduce((a, b) => a + b, 0)} dòng`;

/** `backup <file>`: the line to print. */
export async function backupCommand(database: Database, args: string[]): Promise<string> {
  const [file] = args.filter((a) => !a.startsWith("--"));
  if (!file) throw new Error("Cách dùng: backup <tệp>");
  const counts = await service(database).backup(file);
  return `Đã sao lưu vào ${file}: ${summary(counts)}.`;
}

/** `restore <file> [--force]`: the line to print. */
export async function restoreCommand(database: Database, args: string[]): Promise<string> {
  const [file] = args.filter((a) => !a.startsWith("--"));
  if (!file) throw new Error("Cách dùng: restore <tệp> [--force]");
  const counts = await service(database).restore(file, { force: args.includes("--force") });
  return `Đã khôi phục từ ${file}: ${summary(counts)}.`;
}
