import ExcelJS from "exceljs";
import type { RankingFile } from "./documents-service.js";
import { csvField } from "../lib/spreadsheet-cells.js";

const HEADERS = ["Hạng", "Mã", "Cơ quan, đơn vị", "Tổng điểm", "Xếp loại", "Đề nghị khen thưởng", "Lý do (không xếp hạng / không đề nghị)"];

/**
 * ranking.xlsx: header row, widths, totals as numbers "0.00", frozen header, a Vietnamese sheet name.
 * Text goes in as string cells, which a spreadsheet shows and never evaluates (no formula injection).
 */
export async function rankingXlsx(file: RankingFile): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "Cổng thông tin thi đua";
  const sheet = book.addWorksheet(file.sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = [
    { header: HEADERS[0], key: "rank", width: 8 },
    { header: HEADERS[1], key: "agency", width: 12 },
    { header: HEADERS[2], key: "name", width: 44 },
    { header: HEADERS[3], key: "total", width: 12, style: { numFmt: "0.00" } },
    { header: HEADERS[4], key: "classification", width: 30 },
    { header: HEADERS[5], key: "proposal", width: 34 },
    { header: HEADERS[6], key: "reason", width: 60 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).alignment = { vertical: "middle", wrapText: true };
  for (const r of file.rows) {
    sheet.addRow({ rank: r.rank, agency: r.agency, name: r.name, total: r.total, classification: r.classification ?? "", proposal: r.proposal ?? "", reason: r.reason ?? "" });
  }
  sheet.autoFilter = { from: "A1", to: "G1" };
  return Buffer.from(await book.xlsx.writeBuffer());
}

const csvCell = (v: string) => csvField(v, ";");

/**
 * ranking.csv for Excel in Vietnam: UTF-8 with a BOM (so Excel reads the diacritics), ";" between fields and a
 * decimal comma in totals (the vi-VN list and decimal separators), CRLF line ends.
 */
export function rankingCsv(file: RankingFile): string {
  const lines = [
    HEADERS,
    ...file.rows.map((r) => [r.rank === null ? "" : String(r.rank), r.agency, r.name, r.total.toFixed(2).replace(".", ","), r.classification ?? "", r.proposal ?? "", r.reason ?? ""]),
  ];
  return "\uFEFF" + lines.map((cells) => cells.map(csvCell).join(";")).join("\r\n") + "\r\n";
}
