/**
 * An administrative document (Nghị định 30/2020/NĐ-CP) as data: the print page, the PDF and the Word file
 * are three renderings of the same model.
 */

export interface DocColumn {
  label: string;
  align: "left" | "right" | "center";
  /** Relative width: the columns share the text width in these proportions. */
  width: number;
}

export interface DocTable {
  caption: string;
  columns: DocColumn[];
  rows: string[][];
}

export interface DocSection {
  heading?: string;
  paragraphs: string[];
  table?: DocTable;
}

export interface DocSigner {
  /** In capitals, bold: "TRƯỞNG KHỐI THI ĐUA", "CHỦ TRÌ". */
  role: string;
  /** Under the role, e.g. the head agency. */
  subtitle: string | null;
  /** The signer's own title as set up, in capitals, above the signature: "CHÍNH ỦY". */
  title: string | null;
  name: string;
}

export interface OfficialDocument {
  /** The page's <title> and the PDF's title. */
  title: string;
  /** Top left: "UBND TỈNH TUYÊN QUANG" then the issuer in bold capitals. */
  issuingBody: string;
  issuer: string;
  /** "Số: 12/BC-KTĐNC" as the secretariat numbered it, or "Số:      /BC-KTĐNC" to fill by hand. */
  symbol: string;
  /** "Tuyên Quang, ngày 15 tháng 12 năm 2022" (the date set, or its default), dots when there is none yet. */
  placeDate: string;
  /** Not final (the year's ranking is unpublished, the report not sent): every rendering shows DỰ THẢO. */
  draft: boolean;
  /** "BÁO CÁO", "BIÊN BẢN", "TỜ TRÌNH". */
  kind: string;
  summary: string;
  /** "Kính gửi: …" under the summary, when the document is addressed. */
  addressee: string | null;
  sections: DocSection[];
  /** "Nơi nhận:" (bottom left); null when the document has none (minutes). */
  recipients: string[] | null;
  /** One signer: bottom right; two: left and right. */
  signers: DocSigner[];
}

export const NATIONAL_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
export const MOTTO_SUBTITLE = "Độc lập - Tự do - Hạnh phúc";

/** The mark every rendering puts on a draft. */
export const DRAFT_MARK = "DỰ THẢO";
