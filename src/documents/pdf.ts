import fs from "node:fs";
import PDFDocument from "pdfkit";
import { woffToSfnt } from "./woff.js";
import { FONT_SUBSETS, fontFile, fontRuns, type FontStyle } from "./fonts.js";
import { DRAFT_MARK, MOTTO_SUBTITLE, NATIONAL_MOTTO, type DocTable, type OfficialDocument } from "./document-model.js";

const MM = 72 / 25.4;
/** The print stylesheet's @page margins (top, right, bottom, left), as Nghị định 30/2020 sets them. */
const MARGIN = { top: 20 * MM, right: 15 * MM, bottom: 20 * MM, left: 30 * MM };
const A4 = { width: 595.28, height: 841.89 };
const BODY = 13;
const SMALL = 12;
const LINE = 1.3;

/**
 * Unwrapped from WOFF once per process: fontkit inflates a WOFF's compressed tables again on every glyph
 * lookup, which made most of a PDF's time; a plain TrueType file it reads in place. Each document still
 * parses its own fonts from these bytes (cheap), as before: a fontkit font keeps per-glyph state (such as
 * the code points a glyph was first drawn for, which become the PDF's ToUnicode map), so one shared by all
 * documents let a PDF's extracted text depend on what the process had drawn before (seen once in CI).
 */
const FONT_FILES = new Map<string, Buffer>();
function trueTypeFont(key: string, file: string): Buffer {
  let data = FONT_FILES.get(key);
  if (!data) {
    data = woffToSfnt(fs.readFileSync(file));
    FONT_FILES.set(key, data);
  }
  return data;
}

type Align = "left" | "center" | "right";

/**
 * Renders an official document as an A4 PDF with pdfkit and the bundled Tinos font (no system package,
 * no browser). Text is laid out line by line here, each line split into runs by font subset, so Vietnamese
 * diacritics draw and extract (pdfkit writes a ToUnicode map per embedded font).
 */
export function renderPdf(doc: OfficialDocument): Promise<Buffer> {
  const pdf = new PDFDocument({ size: "A4", margins: MARGIN, info: { Title: doc.title, Author: doc.issuer, Creator: "Cổng thông tin thi đua" }, autoFirstPage: true });
  for (const subset of FONT_SUBSETS) {
    for (const style of ["regular", "bold", "italic", "boldItalic"] as FontStyle[]) {
      pdf.registerFont(`${subset}-${style}`, trueTypeFont(`${subset}-${style}`, fontFile(subset, style)));
    }
  }
  const chunks: Buffer[] = [];
  pdf.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });

  const left = MARGIN.left;
  const width = A4.width - MARGIN.left - MARGIN.right;
  const bottom = A4.height - MARGIN.bottom;
  let y = MARGIN.top;

  const widthOf = (text: string, style: FontStyle, size: number) =>
    fontRuns(text).reduce((w, r) => w + pdf.font(`${r.subset}-${style}`).fontSize(size).widthOfString(r.text), 0);

  /** Greedy word wrap with our own measure (runs of several fonts make one line). */
  function wrap(text: string, style: FontStyle, size: number, max: number): string[] {
    const lines: string[] = [];
    for (const para of text.split("\n")) {
      let line = "";
      for (const word of para.split(/\s+/).filter(Boolean)) {
        const next = line ? `${line} ${word}` : word;
        if (line && widthOf(next, style, size) > max) {
          lines.push(line);
          line = word;
        } else line = next;
      }
      lines.push(line);
    }
    return lines;
  }

  function drawLine(text: string, x: number, atY: number, w: number, style: FontStyle, size: number, align: Align): number {
    const lineWidth = widthOf(text, style, size);
    let cx = align === "center" ? x + (w - lineWidth) / 2 : align === "right" ? x + w - lineWidth : x;
    for (const run of fontRuns(text)) {
      pdf.font(`${run.subset}-${style}`).fontSize(size).text(run.text, cx, atY, { lineBreak: false });
      cx += pdf.widthOfString(run.text);
    }
    return lineWidth;
  }

  function ensure(height: number) {
    if (y + height > bottom) {
      pdf.addPage();
      y = MARGIN.top;
    }
  }

  /** A block of wrapped text; returns the lines' widths (for underlines). */
  function block(text: string, x: number, w: number, style: FontStyle, size: number, align: Align, indent = 0): void {
    const lines = wrap(text, style, size, w - indent);
    lines.forEach((line, i) => {
      ensure(size * LINE);
      drawLine(line, x + (i === 0 ? indent : 0), y, w - (i === 0 ? indent : 0), style, size, align);
      y += size * LINE;
    });
  }

  // Header: issuing body (left) and national motto (right), as two columns.
  const leftCol = width * 0.42;
  const rightCol = width - leftCol;
  const top = y;
  drawLine(doc.issuingBody, left, top, leftCol, "regular", SMALL, "center");
  const issuerW = drawLine(doc.issuer, left, top + SMALL * LINE, leftCol, "bold", SMALL, "center");
  const ruleY = top + SMALL * LINE * 2 + 2;
  pdf.moveTo(left + leftCol / 2 - issuerW / 6, ruleY).lineTo(left + leftCol / 2 + issuerW / 6, ruleY).lineWidth(0.6).stroke();
  drawLine(doc.symbol, left, ruleY + 6, leftCol, "regular", BODY, "center");

  drawLine(NATIONAL_MOTTO, left + leftCol, top, rightCol, "bold", SMALL, "center");
  const mottoW = drawLine(MOTTO_SUBTITLE, left + leftCol, top + SMALL * LINE, rightCol, "bold", BODY, "center");
  const mottoRule = top + SMALL * LINE + BODY + 2;
  pdf.moveTo(left + leftCol + (rightCol - mottoW) / 2, mottoRule).lineTo(left + leftCol + (rightCol + mottoW) / 2, mottoRule).lineWidth(0.6).stroke();
  drawLine(doc.placeDate, left + leftCol, ruleY + 6, rightCol, "italic", BODY, "center");
  y = ruleY + 6 + BODY * LINE + 18;

  // A draft: a boxed DỰ THẢO under the header, and a faint one across every page.
  const watermark = () => {
    pdf.save();
    pdf.fillColor("#b00000").fillOpacity(0.08).rotate(-30, { origin: [A4.width / 2, A4.height / 2] });
    drawLine(DRAFT_MARK, 0, A4.height / 2 - 36, A4.width, "bold", 72, "center");
    pdf.restore();
    pdf.fillColor("black").fillOpacity(1);
  };
  if (doc.draft) {
    watermark();
    pdf.on("pageAdded", watermark);
    const markW = widthOf(DRAFT_MARK, "bold", 15) + 20;
    pdf.rect(left + (width - markW) / 2, y - 4, markW, 15 * LINE + 4).lineWidth(1.5).strokeColor("#b00000").stroke().strokeColor("black");
    pdf.fillColor("#b00000");
    drawLine(DRAFT_MARK, left, y, width, "bold", 15, "center");
    pdf.fillColor("black");
    y += 15 * LINE + 12;
  }

  // Document type and summary.
  block(doc.kind, left, width, "bold", 14, "center");
  block(doc.summary, left + 30, width - 60, "bold", BODY, "center");
  y += 4;
  if (doc.addressee) {
    y += 6;
    block(doc.addressee, left, width, "regular", BODY, "center");
  }
  y += 10;

  // The signature block's height: it never stands alone on a page, so the text before it reserves it.
  const signHeight = SMALL * LINE * (doc.signers.some((s) => s.title) ? 10 : 9) + 10;
  doc.sections.forEach((section, si) => {
    const last = si === doc.sections.length - 1;
    if (section.heading) {
      ensure(BODY * LINE * 3);
      block(section.heading, left, width, "bold", BODY, "left");
    }
    section.paragraphs.forEach((p, pi) => {
      if (last && !section.table && pi === section.paragraphs.length - 1) ensure(wrap(p, "regular", BODY, width - 28).length * BODY * LINE + signHeight);
      block(p, left, width, "regular", BODY, "left", 28);
      y += 3;
    });
    if (section.table) table(section.table, last ? signHeight : 0);
    y += 6;
  });

  function table(t: DocTable, reserveAfterLast: number) {
    const total = t.columns.reduce((s, c) => s + c.width, 0);
    const widths = t.columns.map((c) => (c.width / total) * width);
    const pad = 4;
    const size = SMALL;
    const rowLines = (cells: string[], style: FontStyle) => cells.map((c, i) => wrap(c, style, size, widths[i]! - pad * 2));
    const heightOf = (lines: string[][]) => Math.max(...lines.map((l) => l.length)) * size * LINE + pad * 2;
    const drawRow = (cells: string[], style: FontStyle, header: boolean) => {
      const lines = rowLines(cells, style);
      const h = heightOf(lines);
      let x = left;
      lines.forEach((cellLines, i) => {
        const w = widths[i]!;
        pdf.rect(x, y, w, h).lineWidth(0.5).stroke();
        cellLines.forEach((line, j) => {
          drawLine(line, x + pad, y + pad + j * size * LINE, w - pad * 2, style, size, header ? "center" : t.columns[i]!.align);
        });
        x += w;
      });
      y += h;
    };
    const header = t.columns.map((c) => c.label);
    const headerHeight = heightOf(rowLines(header, "bold"));
    ensure(headerHeight + size * LINE * 2 + 8);
    drawRow(header, "bold", true);
    t.rows.forEach((row, ri) => {
      const h = heightOf(rowLines(row, "regular"));
      const reserve = ri === t.rows.length - 1 ? reserveAfterLast : 0;
      // A row never splits across pages; the header repeats on the next page (like thead in print).
      if (y + h + reserve > bottom) {
        pdf.addPage();
        y = MARGIN.top;
        drawRow(header, "bold", true);
      }
      drawRow(row, "regular", false);
    });
    y += 6;
  }

  // Recipients (left) and signers.
  ensure(signHeight);
  y += 10;
  const startY = y;
  const half = width / 2;
  const signBlock = (s: OfficialDocument["signers"][number], x: number, w: number) => {
    y = startY;
    block(s.role, x, w, "bold", BODY, "center");
    if (s.subtitle) block(s.subtitle, x, w, "italic", SMALL, "center");
    if (s.title) block(s.title, x, w, "bold", BODY, "center");
    y += BODY * LINE * 3.5;
    block(s.name, x, w, "bold", BODY, "center");
    return y;
  };
  let endY = startY;
  if (doc.recipients) {
    y = startY;
    drawLine("Nơi nhận:", left, y, half, "boldItalic", SMALL, "left");
    y += SMALL * LINE;
    for (const r of doc.recipients) {
      drawLine(`- ${r}`, left, y, half, "regular", 11, "left");
      y += 11 * LINE;
    }
    endY = Math.max(endY, y);
  }
  if (doc.signers.length === 1) endY = Math.max(endY, signBlock(doc.signers[0]!, left + half, half));
  else doc.signers.forEach((s, i) => (endY = Math.max(endY, signBlock(s, left + i * half, half))));
  y = endY;

  pdf.end();
  return done;
}
