import ExcelJS from "exceljs";
import { formatPoints } from "../scoring/index.js";

/** What the workbook of one agency's sheet holds: who it belongs to, and the criteria in the page's order. */
export interface WorkbookModel {
  bloc: string;
  blocName: string;
  year: number;
  agency: string;
  agencyName: string;
  bonusCap: number;
  groups: {
    code: string;
    title: string;
    kind: "standard" | "bonus" | "deduction";
    /** The group's maximum (standard groups); null otherwise. */
    max: number | null;
    items: { id: number; code: string; title: string; max: number; auto: boolean; self: number | null; evidence: string }[];
  }[];
}

export const SHEET_NAME = "Bảng chấm điểm";
/** A very hidden sheet that says whose workbook this is: bloc, year, agency (checked on import). */
const ID_SHEET = "_thidua";
const ID_MARK = "thidua-score-sheet/1";
export const HEADER_ROW = 6;
const COL = { code: 1, title: 2, max: 3, input: 4, points: 5, evidence: 6 } as const;
const INPUT_COLUMN = "D";
const EVIDENCE_COLUMN = "F";

export const workbookMessages = {
  notWorkbook: "Tệp không đọc được như một bảng tính Excel (.xlsx). Hãy tải bảng tính từ cổng, điền rồi nhập lại.",
  notOurs: "Tệp không phải bảng chấm điểm tải từ cổng (thiếu phần nhận dạng). Hãy tải bảng tính từ trang này, điền rồi nhập lại.",
  otherAgency: (theirs: string, ours: string) => `Bảng tính này là của đơn vị “${theirs}”, không phải của ${ours}: không nhập.`,
  otherYear: (theirs: string, ours: number) => `Bảng tính này là của năm ${theirs}, không phải năm ${ours}: không nhập.`,
  otherBloc: (theirs: string, ours: string) => `Bảng tính này là của khối “${theirs}”, không phải ${ours}: không nhập.`,
  altered: (cell: string, expected: string) => `Ô ${cell}: cấu trúc bảng đã bị thay đổi (ô này phải là “${expected}”). Hãy tải lại bảng tính từ cổng.`,
  missingSheet: `Bảng tính không có trang “${SHEET_NAME}”: cấu trúc đã bị thay đổi. Hãy tải lại bảng tính từ cổng.`,
  notNumber: (cell: string) => `Ô ${cell}: không phải là số.`,
  textTooLong: (cell: string) => `Ô ${cell}: nội dung quá dài (tối đa 2.000 ký tự).`,
} as const;

/** The row of each criterion and group, the same for the writer and the reader. */
function layout(model: WorkbookModel) {
  let row = HEADER_ROW + 1;
  const groups = model.groups.map((g) => {
    const groupRow = row++;
    const items = g.items.map((item) => ({ item, row: row++ }));
    return { group: g, row: groupRow, items };
  });
  return { groups, totalRow: row + 1 };
}

const decimal = (n: number) => String(n).replace(".", ",");

/** The workbook: locked codes, titles and maxima; inputs for points or counts and evidence; totals as formulas. */
export async function buildSheetWorkbook(model: WorkbookModel): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "Cổng thông tin thi đua";
  const ws = book.addWorksheet(SHEET_NAME, {
    views: [{ state: "frozen", ySplit: HEADER_ROW }],
    pageSetup: { paperSize: 9, orientation: "portrait", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}` },
  });
  ws.columns = [{ width: 8 }, { width: 60 }, { width: 11 }, { width: 16 }, { width: 11 }, { width: 48 }];
  const title = (r: number, text: string, font: Partial<ExcelJS.Font>) => {
    ws.mergeCells(r, 1, r, 6);
    Object.assign(ws.getCell(r, 1), { value: text, font, alignment: { horizontal: "center", wrapText: true } });
  };
  title(1, `BẢNG TỰ CHẤM ĐIỂM THI ĐUA NĂM ${model.year}`, { bold: true, size: 14 });
  title(2, `Cơ quan, đơn vị: ${model.agencyName}`, { bold: true });
  title(3, `${model.blocName} (mã khối ${model.bloc}, mã đơn vị ${model.agency})`, { italic: true });
  title(4, `Nhập điểm tự chấm ở cột ${INPUT_COLUMN} (với mục trừ điểm: số lần), minh chứng ở cột ${EVIDENCE_COLUMN}; các cột khác đã khóa. Điểm dùng dấu phẩy thập phân, tối đa hai chữ số lẻ.`, { italic: true, size: 10 });
  ws.getRow(4).height = 28;
  const header = ws.getRow(HEADER_ROW);
  header.values = ["Mã", "Nội dung tiêu chí", "Điểm tối đa", "Điểm tự chấm / số lần", "Điểm tính", "Minh chứng, ghi chú"];
  header.font = { bold: true };
  header.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  header.height = 30;

  const { groups, totalRow } = layout(model);
  const groupCells: { kind: string; ref: string; value: number }[] = [];
  for (const { group, row, items } of groups) {
    const r = ws.getRow(row);
    r.values = [group.code, group.title, group.max, null, null, null];
    r.font = { bold: true };
    r.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };
    let sum = 0;
    for (const { item, row: ir } of items) {
      const deduction = group.kind === "deduction";
      const value = item.self ?? null;
      const points = value === null ? 0 : deduction ? -value * item.max : Math.min(value, item.max);
      sum += points;
      const cells = ws.getRow(ir);
      cells.getCell(COL.code).value = item.code;
      cells.getCell(COL.title).value = item.title;
      cells.getCell(COL.title).alignment = { wrapText: true, vertical: "top" };
      cells.getCell(COL.max).value = item.max;
      cells.getCell(COL.max).numFmt = "0.00";
      const input = cells.getCell(COL.input);
      input.value = value;
      input.numFmt = deduction ? "0" : "0.00";
      const d = `${INPUT_COLUMN}${ir}`;
      cells.getCell(COL.points).value = {
        formula: deduction ? `-IF(${d}="",0,${d})*C${ir}` : `IF(${d}="",0,MIN(${d},C${ir}))`,
        result: points,
      };
      cells.getCell(COL.points).numFmt = "0.00";
      const evidence = cells.getCell(COL.evidence);
      evidence.value = item.auto ? "Tự động: tính từ ngày gửi các báo cáo (không nhập)." : item.evidence || null;
      evidence.alignment = { wrapText: true, vertical: "top" };
      if (item.auto) {
        input.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };
        continue;
      }
      input.protection = { locked: false };
      evidence.protection = { locked: false };
      input.dataValidation = deduction
        ? { type: "whole", operator: "between", formulae: [0, 9999], allowBlank: true, showErrorMessage: true, errorTitle: "Số lần không hợp lệ", error: "Nhập số lần: số nguyên từ 0 trở lên." }
        : { type: "decimal", operator: "between", formulae: [0, item.max], allowBlank: true, showErrorMessage: true, errorTitle: "Điểm không hợp lệ", error: `Nhập điểm từ 0 đến ${formatPoints(item.max)}.` };
      input.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF8DC" } };
    }
    const first = items[0]?.row ?? row;
    const last = items[items.length - 1]?.row ?? row;
    const sumFormula = `SUM(E${first}:E${last})`;
    const groupValue = group.kind === "bonus" ? Math.min(sum, model.bonusCap) : sum;
    r.getCell(COL.points).value = { formula: group.kind === "bonus" ? `MIN(${sumFormula},${model.bonusCap})` : sumFormula, result: groupValue };
    r.getCell(COL.points).numFmt = "0.00";
    if (group.kind === "bonus") r.getCell(COL.evidence).value = `Điểm thưởng tính tối đa ${formatPoints(model.bonusCap)} điểm.`;
    groupCells.push({ kind: group.kind, ref: `E${row}`, value: groupValue });
  }
  const total = ws.getRow(totalRow);
  total.getCell(COL.title).value = "TỔNG ĐIỂM TỰ CHẤM";
  total.getCell(COL.points).value = { formula: groupCells.map((g) => g.ref).join("+") || "0", result: groupCells.reduce((s, g) => s + g.value, 0) };
  total.getCell(COL.points).numFmt = "0.00";
  total.font = { bold: true };

  await ws.protect("", { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });

  const id = book.addWorksheet(ID_SHEET, { state: "veryHidden" });
  id.getCell("A1").value = ID_MARK;
  id.getCell("A2").value = model.bloc;
  id.getCell("A3").value = model.year;
  id.getCell("A4").value = model.agency;
  id.getCell("A5").value = model.agencyName;
  return Buffer.from(await book.xlsx.writeBuffer());
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object" && "richText" in v) return v.richText.map((t) => t.text).join("");
  if (typeof v === "object" && "text" in v) return String(v.text);
  if (typeof v === "object" && "result" in v) return v.result === undefined || v.result === null ? "" : String(v.result);
  return "";
}

/** The typed input as the form would send it: numbers with a decimal comma, text trimmed. */
function inputText(v: ExcelJS.CellValue): string | null {
  if (v === null || v === undefined || v === "") return "";
  if (typeof v === "number") return decimal(v);
  if (typeof v === "string") return v.trim();
  if (typeof v === "object" && "richText" in v) return cellText(v).trim();
  if (typeof v === "object" && "result" in v && typeof v.result === "number") return decimal(v.result);
  return null;
}

/**
 * Reads a filled workbook back as the sheet form's fields (p_<id>, e_<id>), with the cell of each field,
 * or the reasons it is refused: not a workbook, another agency/year/bloc, an altered structure, a value
 * that is no number. Range and format checks are the form's own (the service runs them).
 */
export async function readSheetWorkbook(data: Buffer, model: WorkbookModel): Promise<{ errors: string[] } | { values: Record<string, string>; cells: Record<string, string> }> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as unknown as Parameters<typeof book.xlsx.load>[0]);
  } catch {
    return { errors: [workbookMessages.notWorkbook] };
  }
  const id = book.getWorksheet(ID_SHEET);
  if (!id || cellText(id.getCell("A1").value) !== ID_MARK) return { errors: [workbookMessages.notOurs] };
  const [bloc, year, agency, agencyName] = ["A2", "A3", "A4", "A5"].map((a) => cellText(id.getCell(a).value));
  if (bloc !== model.bloc) return { errors: [workbookMessages.otherBloc(bloc!, model.blocName)] };
  if (year !== String(model.year)) return { errors: [workbookMessages.otherYear(year!, model.year)] };
  if (agency !== model.agency) return { errors: [workbookMessages.otherAgency(agencyName || agency!, model.agencyName)] };
  const ws = book.getWorksheet(SHEET_NAME);
  if (!ws) return { errors: [workbookMessages.missingSheet] };

  const errors: string[] = [];
  const values: Record<string, string> = {};
  const cells: Record<string, string> = {};
  const { groups } = layout(model);
  for (const { group, row, items } of groups) {
    if (cellText(ws.getCell(row, COL.code).value) !== group.code) {
      errors.push(workbookMessages.altered(`A${row}`, group.code));
      return { errors };
    }
    for (const { item, row: ir } of items) {
      const code = cellText(ws.getCell(ir, COL.code).value);
      const max = ws.getCell(ir, COL.max).value;
      if (code !== item.code) {
        errors.push(workbookMessages.altered(`A${ir}`, item.code));
        return { errors };
      }
      if (typeof max !== "number" || Math.abs(max - item.max) > 1e-9) {
        errors.push(workbookMessages.altered(`C${ir}`, formatPoints(item.max)));
        return { errors };
      }
      if (item.auto) continue;
      const inputRef = `${INPUT_COLUMN}${ir}`;
      const typed = inputText(ws.getCell(inputRef).value);
      if (typed === null) errors.push(workbookMessages.notNumber(inputRef));
      values[`p_${item.id}`] = typed ?? "";
      cells[`p_${item.id}`] = inputRef;
      const evidenceRef = `${EVIDENCE_COLUMN}${ir}`;
      values[`e_${item.id}`] = cellText(ws.getCell(evidenceRef).value).trim();
      cells[`e_${item.id}`] = evidenceRef;
    }
  }
  return errors.length ? { errors } : { values, cells };
}
