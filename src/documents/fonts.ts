import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

/**
 * Tinos (metric-compatible with Times New Roman), bundled through npm (@fontsource/tinos) and read from
 * node_modules at run time: no font file is committed. Fontsource splits each style into unicode subsets
 * (latin, latin-ext, vietnamese); the browser picks them by unicode-range, the PDF writer by FONT_SUBSETS.
 */
export const FONT_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve("@fontsource/tinos/package.json")), "files");

/** The subsets Vietnamese text needs, in the order a character is looked up. */
export const FONT_SUBSETS = ["latin", "vietnamese", "latin-ext"] as const;
export type FontSubset = (typeof FONT_SUBSETS)[number];

export const FONT_STYLES = { regular: "400-normal", bold: "700-normal", italic: "400-italic", boldItalic: "700-italic" } as const;
export type FontStyle = keyof typeof FONT_STYLES;

/** Only these names are served under /fonts/tinos/ (no path from the request reaches the file system). */
export const SERVED_FONT = /^tinos-(latin|latin-ext|vietnamese)-(400|700)-(normal|italic)\.woff2?$/;

export function fontFile(subset: FontSubset, style: FontStyle, ext: "woff" | "woff2" = "woff"): string {
  return path.join(FONT_DIR, `tinos-${subset}-${FONT_STYLES[style]}.${ext}`);
}

function parseRanges(spec: string): [number, number][] {
  return spec.split(",").map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, "").split("-");
    return [parseInt(from!, 16), parseInt(to ?? from!, 16)];
  });
}

const unicode = JSON.parse(fs.readFileSync(path.join(FONT_DIR, "..", "unicode.json"), "utf8")) as Record<string, string>;
const RANGES = FONT_SUBSETS.map((s) => ({ subset: s, ranges: parseRanges(unicode[s]!) }));

/** The subset whose file holds this code point (latin when none does). */
export function subsetOf(codePoint: number): FontSubset {
  for (const { subset, ranges } of RANGES) {
    if (ranges.some(([a, b]) => codePoint >= a && codePoint <= b)) return subset;
  }
  return "latin";
}

/** Splits text into runs that each one subset file can draw. */
export function fontRuns(text: string): { subset: FontSubset; text: string }[] {
  const runs: { subset: FontSubset; text: string }[] = [];
  for (const ch of text) {
    // A space draws in any subset: keep it in the current run.
    const subset = ch === " " && runs.length ? runs[runs.length - 1]!.subset : subsetOf(ch.codePointAt(0)!);
    const last = runs[runs.length - 1];
    if (last && last.subset === subset) last.text += ch;
    else runs.push({ subset, text: ch });
  }
  return runs;
}
