/**
 * CSV/formula injection: a spreadsheet treats a cell that starts with = + - @ (or a tab / CR
 * before one) as a formula, which can run commands or leak data. Any user text (agency names,
 * codes, reasons) bound for a CSV file goes through here: such a cell gets a leading apostrophe,
 * the spreadsheets' own "this is text" mark, so it shows the same words and never runs.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number ("-1,50") is data, not a formula: it stays a number. */
const PLAIN_NUMBER = /^[-+]?\d+(?:[.,]\d+)*$/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One CSV field: neutralised, then quoted when it holds the separator, a quote or a line end. */
export function csvField(value: unknown, separator: "," | ";"): string {
  const text = neutraliseFormula(value === null || value === undefined ? "" : String(value));
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
