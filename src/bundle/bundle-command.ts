import fs from "node:fs/promises";
import type { Knex } from "knex";
import { createServices } from "../services.js";

/** `export-year <bloc> <year>`: the bundle as pretty JSON (2 spaces). */
export async function exportYearCommand(db: Knex, args: string[]): Promise<string> {
  const [bloc, yearText] = args;
  if (!bloc || !yearText || !/^\d{4}$/.test(yearText)) throw new Error("Cách dùng: export-year <mã khối> <năm>");
  const doc = await createServices(db).bundle.exportYear(bloc, Number(yearText));
  return JSON.stringify(doc, null, 2);
}

/** `import-year <file> [--replace]`: one summary line, or every error with its JSON path. */
export async function importYearCommand(db: Knex, args: string[]): Promise<{ ok: boolean; lines: string[] }> {
  const replace = args.includes("--replace");
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) throw new Error("Cách dùng: import-year <tệp.json> [--replace]");
  let doc: unknown;
  try {
    doc = JSON.parse(await fs.readFile(file, "utf8"));
  } catch (err) {
    throw new Error(`Không đọc được tệp JSON "${file}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const result = await createServices(db).bundle.importYear(doc, { replace });
  if (!result.ok) return { ok: false, lines: [`Không nhập được (${result.errors.length} lỗi, không ghi gì):`, ...result.errors.map((e) => `${e.path}: ${e.message}`)] };
  const s = result.summary;
  return {
    ok: true,
    lines: [`Đã nhập năm ${s.year} của khối ${s.bloc}${s.replaced ? " (thay thế năm đã có)" : ""}: ${s.agencies} cơ quan, ${s.criteria} tiêu chí, ${s.reports} báo cáo, ${s.scoreSheets} bảng điểm.`],
  };
}
