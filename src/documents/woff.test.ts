import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { create } from "fontkit";
import { woffToSfnt } from "./woff.js";
import { FONT_SUBSETS, fontFile } from "./fonts.js";

type ParsedFont = { numGlyphs: number; postscriptName: string; characterSet: number[]; glyphForCodePoint(cp: number): { advanceWidth: number; path: { toSVG(): string } } };

describe("woffToSfnt: the bundled WOFF fonts back to the TrueType files they wrap", () => {
  it("every subset and style unwraps to a font with the WOFF's glyphs, names, advances and outlines", () => {
    for (const subset of FONT_SUBSETS) {
      for (const style of ["regular", "bold", "italic", "boldItalic"] as const) {
        const woff = fs.readFileSync(fontFile(subset, style));
        const sfnt = woffToSfnt(woff);
        expect(sfnt.readUInt32BE(0), `${subset} ${style}: a TrueType file`).toBe(0x00010000);
        const [a, b] = [create(woff) as ParsedFont, create(sfnt) as ParsedFont];
        expect(b.numGlyphs).toBe(a.numGlyphs);
        expect(b.postscriptName).toBe(a.postscriptName);
        expect(b.characterSet).toEqual(a.characterSet);
        for (const cp of a.characterSet.slice(0, 40)) {
          expect(b.glyphForCodePoint(cp).advanceWidth).toBe(a.glyphForCodePoint(cp).advanceWidth);
          expect(b.glyphForCodePoint(cp).path.toSVG()).toBe(a.glyphForCodePoint(cp).path.toSVG());
        }
      }
    }
  });

  it("refuses what is not a WOFF 1.0 font", () => {
    expect(() => woffToSfnt(Buffer.from("not a font at all, not even close"))).toThrow("not a WOFF 1.0 font");
  });
});
