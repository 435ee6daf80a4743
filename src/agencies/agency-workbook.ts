import ExcelJS from "exceljs";

/** The cell as text (rich text, formulas' results and numbers included). */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return "";
  if (typeof v === "object") {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: string };
    if (o.richText) return o.richText.map((r) => r.text).join("");
    if (o.result !== undefined) return String(o.result);
    if (o.text !== undefined) return String(o.text);
  }
  return String(v).replace(/[\t\r\n]+/g, " ");
}

const HEADER = /^(tên|ten|stt|name)/i;

/**
 * The agency list of an .xlsx (first sheet; columns: name, short name, code), as the lines the
 * pasted list would have (tab-separated). A first row that reads like a header is skipped. Null
 * when the file is not a readable .xlsx workbook.
 */
export async function readAgencyWorkbook(file: Buffer): Promise<string | null> {
  // An .xlsx is a zip archive: refuse anything else before handing it to the parser.
  if (file.length < 4 || file[0] !== 0x50 || file[1] !== 0x4b) return null;
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    return null;
  }
  const sheet = book.worksheets[0];
  if (!sheet) return null;
  const lines: string[] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells = [1, 2, 3].map((c) => cellText(row.getCell(c)).trim());
    if (n === 1 && HEADER.test(cells[0] ?? "")) return;
    lines.push(cells.join("\t").replace(/\t+$/, ""));
  });
  return lines.join("\n");
}
