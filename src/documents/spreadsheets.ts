import ExcelJS from "exceljs";
import type { RankingFile, RankingWorkbook } from "./documents-service.js";
import type { ProposalsFile } from "../province/province-service.js";
import { csvField } from "../lib/spreadsheet-cells.js";

const HEADERS = ["Hạng", "Mã", "Cơ quan, đơn vị", "Tổng điểm", "Xếp loại", "Đề nghị khen thưởng", "Lý do (không xếp hạng / không đề nghị)"];

/** Row of the column headers in ranking.xlsx (a title and the bloc above it). */
export const RANKING_HEADER_ROW = 4;

/**
 * A landscape A4 sheet whose first two rows are the title and subtitle across every column, and whose
 * `headerRow` holds the bold column headers, frozen and printed on every page (ranking.xlsx, proposals.xlsx).
 */
function titledSheet(book: ExcelJS.Workbook, o: { name: string; title: string; subtitle: string; headers: string[]; widths: number[]; headerRow: number; frozenColumns?: number }): ExcelJS.Worksheet {
  const sheet = book.addWorksheet(o.name, {
    views: [{ state: "frozen", ySplit: o.headerRow, ...(o.frozenColumns ? { xSplit: o.frozenColumns } : {}) }],
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${o.headerRow}:${o.headerRow}` },
  });
  sheet.columns = o.widths.map((width) => ({ width }));
  sheet.mergeCells(1, 1, 1, o.headers.length);
  sheet.mergeCells(2, 1, 2, o.headers.length);
  Object.assign(sheet.getCell(1, 1), { value: o.title, font: { bold: true, size: 14 }, alignment: { horizontal: "center" } });
  Object.assign(sheet.getCell(2, 1), { value: o.subtitle, font: { italic: true }, alignment: { horizontal: "center" } });
  const header = sheet.getRow(o.headerRow);
  header.values = o.headers;
  header.font = { bold: true };
  header.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  return sheet;
}

/**
 * ranking.xlsx: a title, then one row per agency with its group points, bonus, deductions, total
 * (numbers "0.00"), classification, votes and proposal; frozen header, A4 landscape fitted to the width.
 * Text goes in as string cells, which a spreadsheet shows and never evaluates (no formula injection).
 */
export async function rankingXlsx(file: RankingWorkbook): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "Cổng thông tin thi đua";
  const headers = ["Hạng", "Mã", "Cơ quan, đơn vị", ...file.groups, "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại", "Số phiếu đồng ý / hợp lệ", "Đề nghị khen thưởng", "Lý do (không xếp hạng / không đề nghị)"];
  const widths = [12, 10, 40, ...file.groups.map(() => 14), 11, 10, 11, 24, 14, 28, 50];
  const sheet = titledSheet(book, { name: file.sheetName, title: file.title, subtitle: file.subtitle, headers, widths, headerRow: RANKING_HEADER_ROW, frozenColumns: 3 });
  const last = headers.length;
  const pointCols = { from: 4, to: 3 + file.groups.length + 3 };
  for (const r of file.ranked) {
    sheet.addRow([r.rank, r.code, r.name, ...r.groups, r.bonus, r.deductions, r.total, r.classification, r.votes, r.proposal, r.reason]);
  }
  for (const r of file.unranked) {
    sheet.addRow(["Không xếp hạng", r.code, r.name, ...file.groups.map(() => null), null, null, r.total, "", "", "", r.reason]);
  }
  for (let row = RANKING_HEADER_ROW + 1; row <= sheet.rowCount; row++) {
    for (let col = pointCols.from; col <= pointCols.to; col++) sheet.getCell(row, col).numFmt = "0.00";
    sheet.getCell(row, last).alignment = { wrapText: true, vertical: "top" };
  }
  sheet.autoFilter = { from: { row: RANKING_HEADER_ROW, column: 1 }, to: { row: RANKING_HEADER_ROW, column: last } };
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
    ...file.rows.map((r) => [r.rank === null ? "" : String(r.rank), r.agency, r.name, r.total === null ? "" : r.total.toFixed(2).replace(".", ","), r.classification ?? "", r.proposal ?? "", r.reason ?? ""]),
  ];
  return "\uFEFF" + lines.map((cells) => cells.map(csvCell).join(";")).join("\r\n") + "\r\n";
}

/** Row of the column headers in the province's proposals.xlsx. */
export const PROPOSALS_HEADER_ROW = 4;

/**
 * The province's consolidated proposals (proposals.xlsx): a title, then one row per proposal exactly as
 * the page lists them (award, agency, bloc, rank, total, classification, votes); text as string cells.
 */
export async function provinceProposalsXlsx(file: ProposalsFile): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "Cổng thông tin thi đua";
  const headers = ["STT", "Hình thức khen thưởng", "Cơ quan, đơn vị", "Khối, cụm thi đua", "Hạng", "Tổng điểm", "Xếp loại", "Số phiếu đồng ý / hợp lệ"];
  const sheet = titledSheet(book, { name: "De nghi khen thuong", title: file.title, subtitle: file.subtitle, headers, widths: [6, 32, 40, 40, 8, 11, 26, 14], headerRow: PROPOSALS_HEADER_ROW });
  file.lines.forEach((l, i) => sheet.addRow([i + 1, l.awardLabel, l.agency, l.bloc, l.rank, l.totalValue, l.classification, l.votes]));
  for (let row = PROPOSALS_HEADER_ROW + 1; row <= sheet.rowCount; row++) sheet.getCell(row, 6).numFmt = "0.00";
  sheet.autoFilter = { from: { row: PROPOSALS_HEADER_ROW, column: 1 }, to: { row: PROPOSALS_HEADER_ROW, column: headers.length } };
  return Buffer.from(await book.xlsx.writeBuffer());
}
