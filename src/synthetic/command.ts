import type { Knex } from "knex";
import { migrateLatest } from "../db/migrate.js";
import { DEFAULT_OPTIONS, type SyntheticOptions } from "./generator.js";
import { writeSynthetic, type WriteSummary } from "./writer.js";

const NUMERIC = ["blocs", "agencies", "criteria", "years", "seed", "last-year"] as const;

/** `--blocs 40 --agencies 25 --criteria 120 --years 5 --seed 1 --prefix sx --last-year 2025` → options. */
export function parseSyntheticArgs(args: string[]): SyntheticOptions {
  const opts = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!;
    const value = args[i + 1];
    const name = flag.replace(/^--/, "");
    if (!flag.startsWith("--") || value === undefined) throw new Error(`Tham số không hợp lệ: ${flag}`);
    if (name === "prefix") {
      if (!/^[a-z][a-z0-9-]{0,20}$/.test(value)) throw new Error("--prefix chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang.");
      opts.prefix = value;
    } else if ((NUMERIC as readonly string[]).includes(name)) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} phải là số nguyên không âm.`);
      if (name === "last-year") opts.lastYear = n;
      else opts[name as "blocs" | "agencies" | "criteria" | "years" | "seed"] = n;
    } else throw new Error(`Tham số không hợp lệ: ${flag}`);
  }
  if (opts.agencies < 2) throw new Error("--agencies phải từ 2 trở lên.");
  if (opts.criteria < 4) throw new Error("--criteria phải từ 4 trở lên.");
  if (opts.years < 1 || opts.blocs < 1) throw new Error("--years và --blocs phải từ 1 trở lên.");
  return opts;
}

export async function genSyntheticCommand(db: Knex, args: string[], log: (line: string) => void = () => {}): Promise<{ summary: WriteSummary; ms: number }> {
  const opts = parseSyntheticArgs(args);
  await migrateLatest(db);
  const t0 = performance.now();
  const summary = await writeSynthetic(db, opts, (code, i) => log(`  ${i + 1}/${opts.blocs} ${code}`));
  return { summary, ms: performance.now() - t0 };
}
