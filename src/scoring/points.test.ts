import { describe, expect, it } from "vitest";
import { comparePoints, formatPoints, fromHundredths, parsePoints, sumPoints, toHundredths } from "./points.js";

describe("parsePoints", () => {
  it("when the decimal separator is a comma or a dot, then both read the same", () => {
    expect(parsePoints("7,5")).toBe(7.5);
    expect(parsePoints("7.5")).toBe(7.5);
    expect(parsePoints(" 10 ")).toBe(10);
    expect(parsePoints("0,25")).toBe(0.25);
  });

  it("when the sign is negative, then the number is returned (range checks happen elsewhere)", () => {
    expect(parsePoints("-2")).toBe(-2);
    expect(parsePoints("-0")).toBe(0);
    expect(Object.is(parsePoints("-0"), -0)).toBe(false);
  });

  it("when the text is not a number with at most two decimals, then null", () => {
    for (const text of ["", " ", "abc", "7,555", "7.5.1", "1,2,3", "NaN", "Infinity", "7,", ",5", "1e2", "1 000"]) {
      expect(parsePoints(text), text).toBeNull();
    }
  });
});

describe("formatPoints", () => {
  it("when formatting, then a decimal comma and exactly two decimals", () => {
    expect(formatPoints(95)).toBe("95,00");
    expect(formatPoints(7.5)).toBe("7,50");
    expect(formatPoints(parsePoints("7,5") ?? Number.NaN)).toBe("7,50");
    expect(formatPoints(0)).toBe("0,00");
    expect(formatPoints(-1)).toBe("-1,00");
    expect(formatPoints(1234.5)).toBe("1.234,50");
  });

  it("when the value is not finite, then it throws", () => {
    expect(() => formatPoints(Number.NaN)).toThrow(RangeError);
  });
});

describe("hundredths", () => {
  it("when summing 0.1 and 0.2, then exactly 0.3", () => {
    expect(sumPoints([0.1, 0.2])).toBe(0.3);
    expect(comparePoints(0.1 + 0.2, 0.3)).toBe(0);
    expect(toHundredths(94.99)).toBe(9499);
    expect(fromHundredths(9499)).toBe(94.99);
    expect(Object.is(toHundredths(-0), -0)).toBe(false);
  });
});
