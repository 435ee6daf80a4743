import { describe, expect, it } from "vitest";
import { csvField, neutraliseFormula } from "./spreadsheet-cells.js";

describe("neutraliseFormula", () => {
  it("when a text starts like a formula, then it gets the apostrophe text mark and keeps its words", () => {
    for (const t of ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) expect(neutraliseFormula(t)).toBe(`'${t}`);
  });
  it("when a text is ordinary, then it is unchanged", () => {
    for (const t of ["Công an tỉnh", "1+1=2", "", "Sở Tư pháp - Tuyên Quang", "'đã có dấu", "-1,50", "+3", "-2.25"]) expect(neutraliseFormula(t)).toBe(t);
  });
});

describe("csvField", () => {
  it("quotes a field holding the separator, a quote or a line end, after neutralising", () => {
    expect(csvField('=1;"2"', ";")).toBe(`"'=1;""2"""`);
    expect(csvField("a,b", ",")).toBe('"a,b"');
    expect(csvField("a,b", ";")).toBe("a,b");
    expect(csvField(null, ";")).toBe("");
    expect(csvField(12, ",")).toBe("12");
  });
});
