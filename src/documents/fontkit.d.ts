// fontkit (pdfkit's own font parser) ships no types; the PDF writer only opens fonts with it.
declare module "fontkit" {
  /** Parses a TrueType/OpenType/WOFF/WOFF2 font; the result is opaque here and handed to pdfkit. */
  export function create(buffer: Uint8Array, postscriptName?: string): unknown;
}
