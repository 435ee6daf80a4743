import { expect } from "vitest";
import { getDocumentProxy } from "unpdf";

/** Each of `parts` is found in `text`, each after the one before (a page's or a document's reading order). */
export function expectInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect(at, `"${part}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + part.length;
  }
}

/** The PDF's text with pdf.js (pure JS, through unpdf): the items of a line joined as drawn. */
export async function pdfText(data: Buffer): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(data));
  let text = "";
  for (let i = 1; i <= pdf.numPages; i++) {
    for (const item of (await (await pdf.getPage(i)).getTextContent()).items) if ("str" in item) text += item.str + (item.hasEOL ? "\n" : "");
    text += "\n";
  }
  // A table cell may wrap a long name over two lines: compare with whitespace collapsed.
  return text.replace(/\s+/g, " ");
}
