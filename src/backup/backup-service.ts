import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { Knex } from "knex";
import { migrateLatest } from "../db/migrate.js";
import type { BackupRepo, TableInfo } from "./backup-repo.js";

/**
 * The portable logical backup: JSON lines, the same on PGlite and PostgreSQL.
 *   line 1   {"format":"thidua-backup","formatVersion":1,"createdAt":…,"engine":…,"migrations":[…],"tables":[…]}
 *   then     {"t":"<table>","r":{<column>: <value>, …}}   every row, tables parents first (FK order)
 *   last     {"end":true,"counts":{"<table>": <rows>, …}}  a file without it is refused (truncated copy)
 * bytea values are {"$b64":"…"}; json/jsonb values are kept as JSON; timestamps as ISO strings.
 */
export const BACKUP_FORMAT = "thidua-backup";
const PAGE = 500;
const INSERT_CHUNK = 100;

export class BackupError extends Error {}

interface Header {
  format: string;
  formatVersion: number;
  createdAt: string;
  engine: string;
  migrations: string[];
  tables: string[];
}

function encodeValue(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (type === "bytea") return { $b64: (v as Buffer).toString("base64") };
  if (v instanceof Date) return v.toISOString();
  return v;
}

function decodeValue(v: unknown, type: string): unknown {
  if (v === null) return null;
  if (type === "bytea") return Buffer.from((v as { $b64: string }).$b64, "base64");
  // pg would turn a JS array into a PostgreSQL array: json goes over as text.
  if (type === "json" || type === "jsonb") return JSON.stringify(v);
  return v;
}

/** Self-referencing rows (a criteria tree): parents before their children. */
function parentsFirst(rows: Record<string, unknown>[], t: TableInfo): Record<string, unknown>[] {
  if (!t.selfRefs.length || t.primaryKey.length !== 1) return rows;
  const pk = t.primaryKey[0]!;
  const out: Record<string, unknown>[] = [];
  const placed = new Set<unknown>();
  let pending = rows;
  while (pending.length) {
    const next = pending.filter((r) => t.selfRefs.some((c) => r[c] !== null && r[c] !== r[pk] && !placed.has(r[c])));
    const ready = pending.filter((r) => !next.includes(r));
    if (!ready.length) return [...out, ...next]; // a reference outside the table: leave it to the database to refuse
    for (const r of ready) {
      out.push(r);
      placed.add(r[pk]);
    }
    pending = next;
  }
  return out;
}

export function backupService(deps: { db: Knex; repo: BackupRepo; engine: string }) {
  const { db, repo, engine } = deps;

  return {
    /** Writes the backup to `file` atomically (a temporary file beside it, synced, then renamed). */
    async backup(file: string): Promise<Record<string, number>> {
      const target = path.resolve(file);
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
      const counts: Record<string, number> = {};
      const handle = await fs.promises.open(tmp, "w", 0o600);
      try {
        // One snapshot of the whole database: a read-only repeatable-read transaction.
        await db.transaction(
          async (trx) => {
            const tables = await repo.tables(trx);
            const header: Header = {
              format: BACKUP_FORMAT, formatVersion: 1, createdAt: new Date().toISOString(), engine,
              migrations: await repo.migrations(trx), tables: tables.map((t) => t.name),
            };
            await handle.write(JSON.stringify(header) + "\n");
            for (const t of tables) {
              const types = new Map(t.columns.map((c) => [c.name, c.type]));
              let rows: Record<string, unknown>[] = [];
              for (let offset = 0; ; offset += PAGE) {
                const page = await repo.page(trx, t, offset, PAGE);
                rows.push(...page);
                if (page.length < PAGE) break;
                if (!t.selfRefs.length) {
                  await writeRows(rows);
                  rows = [];
                }
              }
              await writeRows(parentsFirst(rows, t));
              async function writeRows(list: Record<string, unknown>[]) {
                if (!list.length) return;
                const lines = list.map((r) => JSON.stringify({ t: t.name, r: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, encodeValue(v, types.get(k) ?? "")])) }));
                await handle.write(lines.join("\n") + "\n");
                counts[t.name] = (counts[t.name] ?? 0) + list.length;
              }
              counts[t.name] ??= 0;
            }
            await handle.write(JSON.stringify({ end: true, counts }) + "\n");
          },
          { isolationLevel: "repeatable read", readOnly: true },
        );
        await handle.sync();
        await handle.close();
        await fs.promises.rename(tmp, target);
        return counts;
      } catch (e) {
        await handle.close().catch(() => {});
        await fs.promises.rm(tmp, { force: true });
        throw e;
      }
    },

    /**
     * Restores a backup: migrates the database, refuses one holding data unless `force`, then writes
     * every row in one transaction and resets the sequences. Any error leaves the database as it was.
     */
    async restore(file: string, opts: { force?: boolean } = {}): Promise<Record<string, number>> {
      if (!fs.existsSync(file)) throw new BackupError(`Không tìm thấy tệp sao lưu: ${file}`);
      const lines = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
      const it = lines[Symbol.asyncIterator]();
      try {
        const first = await it.next();
        let header: Header;
        try {
          header = JSON.parse(first.done ? "" : first.value) as Header;
        } catch {
          throw new BackupError("Tệp không phải bản sao lưu của cổng thi đua (dòng đầu không hợp lệ).");
        }
        if (header?.format !== BACKUP_FORMAT || header.formatVersion !== 1) throw new BackupError("Tệp không phải bản sao lưu của cổng thi đua (định dạng không đúng).");

        await migrateLatest(db);
        const applied = await repo.migrations(db);
        if (applied.join(",") !== header.migrations.join(",")) {
          throw new BackupError(
            `Bản sao lưu được tạo với các migration [${header.migrations.join(", ")}], cơ sở dữ liệu đang có [${applied.join(", ")}]. ` +
              "Hãy khôi phục bằng phiên bản phần mềm đã tạo bản sao lưu, rồi nâng cấp.",
          );
        }
        return await db.transaction(async (trx) => {
          const tables = await repo.tables(trx);
          const byName = new Map(tables.map((t) => [t.name, t]));
          for (const name of header.tables) if (!byName.has(name)) throw new BackupError(`Bảng ${name} trong bản sao lưu không có trong cơ sở dữ liệu.`);
          const nonEmpty: string[] = [];
          for (const t of tables) if ((await repo.count(trx, t.name)) > 0) nonEmpty.push(t.name);
          if (nonEmpty.length && !opts.force) {
            throw new BackupError(`Cơ sở dữ liệu đã có dữ liệu (bảng ${nonEmpty.slice(0, 5).join(", ")}…): không khôi phục đè. Dùng --force để xóa hết dữ liệu hiện có và khôi phục.`);
          }
          if (nonEmpty.length) await repo.truncateAll(trx, tables.map((t) => t.name));

          const counts: Record<string, number> = {};
          let batch: Record<string, unknown>[] = [];
          let batchTable = "";
          const flush = async () => {
            await repo.insert(trx, batchTable, batch);
            batch = [];
          };
          let trailer: { end: true; counts: Record<string, number> } | null = null;
          for (let next = await it.next(); !next.done; next = await it.next()) {
            const line = next.value.trim();
            if (!line) continue;
            if (trailer) throw new BackupError("Tệp sao lưu có dữ liệu sau dòng kết thúc.");
            let rec: { t?: string; r?: Record<string, unknown>; end?: true; counts?: Record<string, number> };
            try {
              rec = JSON.parse(line);
            } catch {
              throw new BackupError("Tệp sao lưu bị hỏng (một dòng không phải JSON).");
            }
            if (rec.end) {
              trailer = { end: true, counts: rec.counts ?? {} };
              continue;
            }
            const t = rec.t ? byName.get(rec.t) : undefined;
            if (!t || !rec.r) throw new BackupError(`Tệp sao lưu bị hỏng (bảng không rõ: ${String(rec.t)}).`);
            if (t.name !== batchTable || batch.length >= INSERT_CHUNK) {
              await flush();
              batchTable = t.name;
            }
            const types = new Map(t.columns.map((c) => [c.name, c.type]));
            batch.push(Object.fromEntries(Object.entries(rec.r).map(([k, v]) => [k, decodeValue(v, types.get(k) ?? "")])));
            counts[t.name] = (counts[t.name] ?? 0) + 1;
          }
          await flush();
          if (!trailer) throw new BackupError("Tệp sao lưu không trọn vẹn (thiếu dòng kết thúc): không khôi phục gì.");
          for (const [name, n] of Object.entries(trailer.counts)) {
            if ((counts[name] ?? 0) !== n) throw new BackupError(`Tệp sao lưu không khớp: bảng ${name} có ${counts[name] ?? 0} dòng, cần ${n}.`);
          }
          for (const t of tables) for (const col of t.serials) await repo.resetSequence(trx, t.name, col);
          return trailer.counts;
        });
      } finally {
        lines.close();
      }
    },
  };
}

export type BackupService = ReturnType<typeof backupService>;
