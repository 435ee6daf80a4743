import { fileTypeFromBuffer } from "file-type";

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** The quota of one report: enough for a signed scan and its annexes, not a file store. */
export const MAX_ATTACHMENTS_PER_REPORT = 10;
export const MAX_ATTACHMENT_TOTAL_BYTES = 30 * 1024 * 1024;

/** The listed types and the extension a stored file gets for each. */
const EXTENSIONS: Record<string, string> = {
  "application/pdf": "pdf",
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/tiff": "tif",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.oasis.opendocument.text": "odt",
  "application/vnd.oasis.opendocument.spreadsheet": "ods",
};
const SCAN_TYPES = new Set(["application/pdf", "image/jpeg", "image/png"]);
const DOCUMENT_TYPES = new Set(Object.keys(EXTENSIONS));

export interface DetectedType {
  mimeType: string;
  extension: string;
}

/**
 * The type is read from the file's content (magic bytes), never from its name or the
 * browser's claim. Returns the type and its extension, or null when the kind does not allow it.
 */
export async function detectAllowedType(content: Buffer, kind: "signed_scan" | "other"): Promise<DetectedType | null> {
  const detected = await fileTypeFromBuffer(content);
  if (!detected || !(kind === "signed_scan" ? SCAN_TYPES : DOCUMENT_TYPES).has(detected.mime)) return null;
  return { mimeType: detected.mime, extension: EXTENSIONS[detected.mime]! };
}

// Control characters (Cc) and format characters (Cf: the bidi overrides and isolates that make
// "fdp.bat" read as "tab.pdf", zero-width characters), plus quotes and path separators.
const UNSAFE = /[\p{Cc}\p{Cf}"\\/]/gu;

/**
 * The name a file is stored and served under: the typed name without path, control or bidi
 * characters, whose extension is the detected type's (so `bao-cao.bat` holding a PDF is
 * `bao-cao.pdf`).
 */
export function storedFilename(name: string, extension: string): string {
  const base = (name.split(/[\\/]/).pop() ?? "").replace(UNSAFE, "").trim();
  const stem = base.replace(/\.[^.]*$/, "").replace(/[.\s]+$/, "").slice(0, 180) || "tep";
  return `${stem}.${extension}`;
}

/** A file size as people read it: bytes under 1 KB, then KB, then MB. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024).toLocaleString("vi-VN")} KB`;
  return `${(bytes / (1024 * 1024)).toLocaleString("vi-VN", { maximumFractionDigits: 1 })} MB`;
}
