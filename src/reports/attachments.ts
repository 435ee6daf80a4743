import { fileTypeFromBuffer } from "file-type";

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const SCAN_TYPES = new Set(["application/pdf", "image/jpeg", "image/png"]);
const DOCUMENT_TYPES = new Set([
  ...SCAN_TYPES,
  "image/webp",
  "image/tiff",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
]);

/**
 * The type is read from the file's content (magic bytes), never from its name or the
 * browser's claim. Returns the MIME type, or null when the kind does not allow it.
 */
export async function detectAllowedType(content: Buffer, kind: "signed_scan" | "other"): Promise<string | null> {
  const detected = await fileTypeFromBuffer(content);
  if (!detected) return null;
  return (kind === "signed_scan" ? SCAN_TYPES : DOCUMENT_TYPES).has(detected.mime) ? detected.mime : null;
}

/** A safe download name: no path, no control characters. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "tep";
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim().slice(0, 200);
  return clean || "tep";
}
