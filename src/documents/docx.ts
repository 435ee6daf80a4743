import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type IBorderOptions,
  type ParagraphChild,
} from "docx";
import { DRAFT_MARK, MOTTO_SUBTITLE, NATIONAL_MOTTO, type DocSigner, type DocTable, type OfficialDocument } from "./document-model.js";

/** Word measures in twips (1/20 pt): 1 mm = 56.7 twips. */
const MM = 1440 / 25.4;
const mm = (n: number) => Math.round(n * MM);
/** A4, and the margins of Nghị định 30/2020 (top/bottom 20–25, left 30–35, right 15–20 mm), as the PDF uses. */
export const PAGE = { width: 11906, height: 16838, margin: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) } } as const;
const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right;
export const FONT = "Times New Roman";
/** Sizes in half-points: body 14, header lines 13, table text 13. */
const BODY = 28;
const HEAD = 26;
const TABLE = 24;

const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };
const LINE: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: "000000" };

type Run = { text: string; bold?: boolean; italics?: boolean; size?: number };

function para(runs: Run | Run[], opts: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: number; after?: number; before?: number; keepNext?: boolean; keepLines?: boolean } = {}): Paragraph {
  const children: ParagraphChild[] = (Array.isArray(runs) ? runs : [runs]).map(
    (r) => new TextRun({ text: r.text, bold: r.bold, italics: r.italics, size: r.size ?? BODY, font: FONT }),
  );
  return new Paragraph({
    children,
    alignment: opts.align ?? AlignmentType.LEFT,
    indent: opts.indent ? { firstLine: opts.indent } : undefined,
    spacing: { before: opts.before ?? 0, after: opts.after ?? 0, line: 276 },
    keepNext: opts.keepNext,
    keepLines: opts.keepLines,
  });
}

/** A short rule under the issuer and under the motto: an empty, tiny paragraph bordered below, centred by equal indents. */
const rule = (columnWidth: number, share: number) =>
  new Paragraph({
    children: [new TextRun({ text: "", size: 2, font: FONT })],
    border: { bottom: { ...LINE, space: 1 } },
    indent: { left: Math.round((columnWidth * (1 - share)) / 2), right: Math.round((columnWidth * (1 - share)) / 2) },
    spacing: { before: 0, after: 0, line: 120, lineRule: "exact" },
  });

const cell = (children: Paragraph[], width: number, borders = true) =>
  new TableCell({
    children,
    width: { size: width, type: WidthType.DXA },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    ...(borders ? {} : { borders: NO_BORDERS }),
  });

/** The two-column header: issuing body and issuer, number (left); motto, slogan, place and date (right). */
function headerTable(doc: OfficialDocument): Table {
  const left = Math.round(TEXT_WIDTH * 0.42);
  const right = TEXT_WIDTH - left;
  const leftCell = [
    ...(doc.issuingBody ? [para({ text: doc.issuingBody, size: HEAD }, { align: AlignmentType.CENTER })] : []),
    para({ text: doc.issuer, bold: true, size: HEAD }, { align: AlignmentType.CENTER }),
    rule(left, 0.35),
    para({ text: doc.symbol, size: HEAD }, { align: AlignmentType.CENTER, before: 120 }),
  ];
  const rightCell = [
    para({ text: NATIONAL_MOTTO, bold: true, size: 24 }, { align: AlignmentType.CENTER }),
    para({ text: MOTTO_SUBTITLE, bold: true, size: BODY }, { align: AlignmentType.CENTER }),
    rule(right, 0.6),
    para({ text: doc.placeDate, italics: true, size: BODY }, { align: AlignmentType.CENTER, before: 120 }),
  ];
  return new Table({
    rows: [new TableRow({ children: [cell(leftCell, left, false), cell(rightCell, right, false)], cantSplit: true })],
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
  });
}

const ALIGN = { left: AlignmentType.LEFT, right: AlignmentType.RIGHT, center: AlignmentType.CENTER } as const;

/** A data table: the header row repeats on every page, a row never splits across pages. */
function dataTable(t: DocTable): Table {
  const total = t.columns.reduce((s, c) => s + c.width, 0);
  const widths = t.columns.map((c) => Math.round((c.width / total) * TEXT_WIDTH));
  const row = (cells: string[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      cantSplit: true,
      children: cells.map((text, i) =>
        cell([para({ text, bold: header, size: TABLE }, { align: header ? AlignmentType.CENTER : ALIGN[t.columns[i]!.align] })], widths[i]!),
      ),
    });
  return new Table({
    rows: [row(t.columns.map((c) => c.label), true), ...t.rows.map((r) => row(r, false))],
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
  });
}

function signerParagraphs(s: DocSigner): Paragraph[] {
  return [
    para({ text: s.role, bold: true }, { align: AlignmentType.CENTER, keepNext: true }),
    ...(s.subtitle ? [para({ text: s.subtitle, italics: true, size: HEAD }, { align: AlignmentType.CENTER, keepNext: true })] : []),
    ...(s.title ? [para({ text: s.title, bold: true }, { align: AlignmentType.CENTER, keepNext: true })] : []),
    // Room to sign and stamp.
    ...[1, 2, 3, 4].map(() => para({ text: "" }, { keepNext: true })),
    para({ text: s.name, bold: true }, { align: AlignmentType.CENTER }),
  ];
}

/** Recipients (bottom left) and the signature block(s), as one row that never splits. */
function footerTable(doc: OfficialDocument): Table {
  const half = Math.round(TEXT_WIDTH / 2);
  const recipients = doc.recipients
    ? [para({ text: "Nơi nhận:", bold: true, italics: true, size: 24 }, { keepNext: true }), ...doc.recipients.map((r) => para({ text: `- ${r}`, size: 22 }, { keepNext: true }))]
    : [para({ text: "" })];
  const cells =
    doc.signers.length === 1
      ? [cell(recipients, half, false), cell(signerParagraphs(doc.signers[0]!), TEXT_WIDTH - half, false)]
      : doc.signers.map((s) => cell(signerParagraphs(s), half, false));
  return new Table({
    rows: [new TableRow({ children: cells, cantSplit: true })],
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [half, TEXT_WIDTH - half],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
  });
}

/** A boxed "DỰ THẢO" under the header of a draft. */
const draftMark = () =>
  new Paragraph({
    children: [new TextRun({ text: DRAFT_MARK, bold: true, size: 32, font: FONT, color: "B00000" })],
    alignment: AlignmentType.CENTER,
    border: { top: { ...LINE, color: "B00000", size: 12 }, bottom: { ...LINE, color: "B00000", size: 12 }, left: { ...LINE, color: "B00000", size: 12 }, right: { ...LINE, color: "B00000", size: 12 } },
    indent: { left: Math.round(TEXT_WIDTH * 0.38), right: Math.round(TEXT_WIDTH * 0.38) },
    spacing: { before: 200, after: 0 },
  });

/**
 * Renders an official document as a Word file (.docx) the secretariat can edit, sign and stamp: A4 with the
 * margins of Nghị định 30/2020, Times New Roman, the two-column header, page numbers from page 2 (top
 * centre), tables whose header rows repeat, and a signature block kept with the text before it.
 */
export async function renderDocx(doc: OfficialDocument): Promise<Buffer> {
  const body: (Paragraph | Table)[] = [headerTable(doc)];
  if (doc.draft) body.push(draftMark());
  body.push(para({ text: doc.kind, bold: true }, { align: AlignmentType.CENTER, before: 360 }));
  body.push(para({ text: doc.summary, bold: true }, { align: AlignmentType.CENTER, after: 120 }));
  if (doc.addressee) body.push(para({ text: doc.addressee }, { align: AlignmentType.CENTER, before: 120, after: 120 }));
  body.push(para({ text: "" }));
  const lastSection = doc.sections.length - 1;
  doc.sections.forEach((section, si) => {
    if (section.heading) body.push(para({ text: section.heading, bold: true }, { keepNext: true, before: 120, after: 60 }));
    section.paragraphs.forEach((p, pi) => {
      // The last paragraph stays with the signature block: the signature is never alone on a page.
      const last = si === lastSection && pi === section.paragraphs.length - 1 && !section.table;
      body.push(para({ text: p }, { align: AlignmentType.JUSTIFIED, indent: mm(10), after: 80, keepNext: last || Boolean(section.table), keepLines: last }));
    });
    if (section.table) {
      body.push(dataTable(section.table));
      body.push(para({ text: "" }, { keepNext: si === lastSection }));
    }
  });
  body.push(para({ text: "" }, { keepNext: true }));
  body.push(footerTable(doc));

  const document = new Document({
    creator: "Cổng thông tin thi đua",
    title: doc.title,
    styles: { default: { document: { run: { font: FONT, size: BODY } } } },
    sections: [
      {
        properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: { ...PAGE.margin, header: mm(10), footer: mm(10) } }, titlePage: true },
        headers: {
          // Page numbers from the second page, top centre (Nghị định 30/2020); a draft says so on every page.
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: HEAD }),
                  ...(doc.draft ? [new TextRun({ text: `   ${DRAFT_MARK}`, bold: true, font: FONT, size: HEAD, color: "B00000" })] : []),
                ],
              }),
            ],
          }),
          first: new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: doc.draft ? [new TextRun({ text: DRAFT_MARK, bold: true, font: FONT, size: HEAD, color: "B00000" })] : [] })] }),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(document);
}
