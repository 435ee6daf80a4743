import type { Knex } from "knex";
import { createServices } from "../services.js";
import type { RankingExportRow } from "./ranking-service.js";
import { FORMATS } from "./schemas.js";
import { rankingCsv } from "../documents/spreadsheets.js";

const HEADERS = ["Hạng", "Mã", "Cơ quan, đơn vị", "Tổng điểm", "Xếp loại", "Đề nghị", "Lý do"];

function table(rows: RankingExportRow[]): string {
  const cells = [HEADERS, ...rows.map((r) => [
    r.rank === null ? "—" : String(r.rank), r.agency, r.name, r.total === null ? "—" : r.total.toFixed(2).replace(".", ",") + (r.provisional ? " (tạm tính)" : ""),
    r.classification ?? "", r.proposal ?? "", r.reason ?? "",
  ])];
  const widths = HEADERS.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) => c.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/**
 * `ranking <bloc> <year> [--format table|csv|json]`: returns the text to print.
 * Throws an Error with one clear line for unknown blocs, years or formats.
 */
export async function rankingCommand(db: Knex, args: string[]): Promise<string> {
  const positional: string[] = [];
  let format = "table";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--format") format = args[++i] ?? "";
    else if (arg.startsWith("--format=")) format = arg.slice("--format=".length);
    else positional.push(arg);
  }
  const [bloc, yearText] = positional;
  if (!bloc || !yearText || !/^\d{4}$/.test(yearText)) throw new Error("Cách dùng: ranking <mã khối> <năm> [--format table|csv|json]");
  if (!(FORMATS as readonly string[]).includes(format)) throw new Error(`Định dạng không hỗ trợ: ${format} (table, csv hoặc json).`);
  const rows = await createServices(db).ranking.rowsForCli(bloc, Number(yearText));
  if (format === "json") return JSON.stringify(rows, null, 2);
  // The web's ranking.csv, byte for byte (BOM, ";", decimal comma: what Excel in Vietnam opens).
  if (format === "csv") return rankingCsv({ rows, filename: `xep-hang-${bloc}-${yearText}`, sheetName: `Xếp hạng ${yearText}`, year: Number(yearText) });
  return table(rows);
}
