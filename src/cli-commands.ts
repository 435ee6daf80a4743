/**
 * The commands of `npm run cli -- <lệnh>` (src/cli.ts parses the command line and runs one). A module
 * of their own so that the tests can run them in their process, without starting a program each time.
 */
import { loadConfig } from "./config.js";
import { openDatabase } from "./db/database.js";
import { migrateLatest } from "./db/migrate.js";

// Each command imports what it needs when it runs, not the whole portal before reading the command line
// (the seeds import every service): 0.67 s of imports before a command starts instead of 1.3 s.
const load = {
  seeds: () => import("../seeds/demo.js"),
  users: () => import("./users/create-user-command.js"),
  ranking: () => import("./ranking/ranking-command.js"),
  bundle: () => import("./bundle/bundle-command.js"),
  synthetic: () => import("./synthetic/command.js"),
  backup: () => import("./backup/backup-command.js"),
};

export const USAGE = `Cách dùng: npm run cli -- <lệnh>
  migrate      cập nhật cấu trúc cơ sở dữ liệu
  seed-demo    nạp dữ liệu mẫu (Khối thi đua Nội chính tỉnh Tuyên Quang, năm 2022)
  create-user <tên đăng nhập> --role admin|secretariat|leader|observer|clerk --name "Họ tên"
              [--agency <mã cơ quan>] [--bloc <mã khối>]
              mật khẩu đọc từ dòng đầu của stdin; không có thì sinh ngẫu nhiên và in ra một lần
  ranking <mã khối> <năm> [--format table|csv|json]
              in bảng xếp hạng của năm (mặc định: bảng)
  export-year <mã khối> <năm>
              in gói dữ liệu năm (JSON) ra stdout
  import-year <tệp.json> [--replace]
              nhập gói dữ liệu năm (trọn gói); --replace để thay thế năm đã có
  gen-synthetic [--blocs 40] [--agencies 25] [--criteria 120] [--years 5] [--seed 1] [--prefix sx] [--last-year 2025]
              sinh dữ liệu tổng hợp quy mô tỉnh (để đo hiệu năng); mật khẩu mọi tài khoản: thidua2022
  backup <tệp>
              sao lưu toàn bộ dữ liệu ra một tệp (JSON lines, dùng cho cả PGlite và PostgreSQL)
  restore <tệp> [--force]
              khôi phục từ tệp sao lưu vào cơ sở dữ liệu trống; --force để xóa dữ liệu hiện có`;

/** One command: its arguments after the name; `env` is where it reads its configuration (DATABASE_URL, DATA_DIR). */
type Command = (args: string[], env?: NodeJS.ProcessEnv) => Promise<void>;

/** The CLI's commands by name (src/cli.ts runs one; the tests call them in their own process). */
export const commands: Record<string, Command> = {
  async migrate(_args, env) {
    await withDatabase(env, async (db) => {
      const applied = await migrateLatest(db);
      console.log(applied.length ? `Đã áp dụng ${applied.length} migration: ${applied.join(", ")}` : "Cơ sở dữ liệu đã ở phiên bản mới nhất.");
    });
  },
  async "create-user"(args, env) {
    const { createUserCommand } = await load.users();
    await withDatabase(env, (db) => createUserCommand(db, args, process.stdin));
  },
  async ranking(args, env) {
    const { rankingCommand } = await load.ranking();
    await withDatabase(env, async (db) => {
      const out = await rankingCommand(db, args);
      // The csv already ends its last line (CRLF, as the web's file); the table and json do not.
      process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
    });
  },
  async "export-year"(args, env) {
    const { exportYearCommand } = await load.bundle();
    await withDatabase(env, async (db) => {
      console.log(await exportYearCommand(db, args));
    });
  },
  async "import-year"(args, env) {
    const { importYearCommand } = await load.bundle();
    await withDatabase(env, async (db) => {
      const { ok, lines } = await importYearCommand(db, args);
      if (ok) console.log(lines.join("\n"));
      else {
        console.error(lines.join("\n"));
        process.exitCode = 1;
      }
    });
  },
  async backup(args, env) {
    const { backupCommand } = await load.backup();
    await withOpenDatabase(env, async (database) => {
      console.log(await backupCommand(database, args));
    });
  },
  async restore(args, env) {
    const { restoreCommand } = await load.backup();
    await withOpenDatabase(env, async (database) => {
      console.log(await restoreCommand(database, args));
    });
  },
  async "gen-synthetic"(args, env) {
    const { genSyntheticCommand } = await load.synthetic();
    await withDatabase(env, async (db) => {
      const { summary: s, ms } = await genSyntheticCommand(db, args, (line) => console.log(line));
      console.log(`Đã sinh ${s.blocs} khối, ${s.agencies} cơ quan, ${s.years} năm-khối, ${s.reports} báo cáo, ${s.sheets} bảng điểm, ${s.entries} dòng chấm điểm, ${s.users} tài khoản trong ${(ms / 1000).toFixed(1)} giây.`);
    });
  },
  async "seed-demo"(_args, env) {
    const { seedDemo } = await load.seeds();
    await withDatabase(env, async (db) => {
      await migrateLatest(db);
      const { created } = await seedDemo(db);
      console.log(created ? "Đã nạp dữ liệu mẫu." : "Dữ liệu mẫu đã có sẵn; không thay đổi gì.");
    });
  },
};

async function withDatabase(env: NodeJS.ProcessEnv | undefined, fn: (db: import("knex").Knex) => Promise<void>): Promise<void> {
  const database = await openDatabase(loadConfig(env));
  try {
    await fn(database.knex);
  } finally {
    await database.close();
  }
}

async function withOpenDatabase(env: NodeJS.ProcessEnv | undefined, fn: (database: import("./db/database.js").Database) => Promise<void>): Promise<void> {
  const database = await openDatabase(loadConfig(env));
  try {
    await fn(database);
  } finally {
    await database.close();
  }
}
