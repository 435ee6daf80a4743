// fontkit (pdfkit's own font parser) ships no types; woff.test.ts opens fonts with it to compare them.
declare module "fontkit" {
  /** Parses a TrueType/OpenType/WOFF/WOFF2 font; the result is opaque here. */
  export function create(buffer: Uint8Array, postscriptName?: string): unknown;
}
