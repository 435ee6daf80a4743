import { describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS, generateBloc, generateCriteria, prng, splitUnits } from "./generator.js";
import { parseSyntheticArgs } from "./command.js";

const standardSum = (items: ReturnType<typeof generateCriteria>) =>
  items.filter((c) => c.kind === "standard" && c.parentCode !== null).reduce((s, c) => s + c.maxHundredths, 0);

describe("synthetic generator (pure)", () => {
  it.each([4, 12, 120, 250])("when %i criteria items are asked for, then there are that many items and the standard maxima sum to exactly 100 points", (n) => {
    const criteria = generateCriteria(prng(n), n);
    expect(criteria.filter((c) => c.parentCode !== null)).toHaveLength(n);
    expect(standardSum(criteria)).toBe(10_000);
    for (const g of criteria.filter((c) => c.parentCode === null && c.kind === "standard")) {
      const items = criteria.filter((c) => c.parentCode === g.code);
      expect(items.length).toBeGreaterThan(0);
      expect(g.maxHundredths).toBe(items.reduce((s, c) => s + c.maxHundredths, 0));
    }
    expect(criteria.some((c) => c.kind === "bonus" && c.parentCode)).toBe(true);
    expect(criteria.filter((c) => c.autoSource === "late_reports")).toHaveLength(1);
    expect(new Set(criteria.map((c) => c.code)).size).toBe(criteria.length);
  });

  it("when units are split, then every part is at least one and the parts add up", () => {
    const parts = splitUnits(prng(3), 100, 37);
    expect(parts).toHaveLength(37);
    expect(parts.every((p) => p >= 1)).toBe(true);
    expect(parts.reduce((s, p) => s + p, 0)).toBe(100);
  });

  it("when the default-size bloc is generated twice with the same seed, then it is identical, sized as asked and has every state", () => {
    const opts = { ...DEFAULT_OPTIONS, blocs: 2 };
    const a = generateBloc(opts, 1);
    expect(generateBloc(opts, 1)).toEqual(a);
    expect(a.agencies).toHaveLength(25);
    expect(a.years).toHaveLength(5);
    expect(new Set(a.agencies.map((x) => x.code)).size).toBe(25);
    expect(new Set(a.agencies.map((x) => x.name)).size).toBe(25);
    const reports = a.years.flatMap((y) => y.periods.flatMap((p) => p.reports));
    expect(new Set(reports.map((r) => r.status))).toEqual(new Set(["draft", "submitted", "returned", "accepted"]));
    expect(reports.some((r) => r.lateDays > 0)).toBe(true);
    // Some agencies have no report at all for a period ("missing").
    expect(a.years.some((y) => y.periods.some((p) => p.reports.length < 25))).toBe(true);
    const sheets = a.years.flatMap((y) => y.sheets);
    expect(new Set(sheets.map((s) => s.status))).toEqual(new Set(["draft", "submitted", "returned", "reviewed"]));
    expect(a.years.some((y) => y.sheets.length < 25)).toBe(true);
    expect(a.years.every((y) => y.votes.length === 25)).toBe(true);
    for (const y of a.years) expect(standardSum(y.criteria)).toBe(10_000);
  });

  it("when blocs of a province are generated, then their names and agency names follow Vietnamese patterns and do not repeat", () => {
    const opts = { ...DEFAULT_OPTIONS, agencies: 12, years: 1, criteria: 12 };
    const blocs = Array.from({ length: 12 }, (_, i) => generateBloc(opts, i));
    expect(new Set(blocs.map((b) => b.name)).size).toBe(12);
    expect(blocs[0]!.name).toMatch(/^Khối thi đua Nội chính tỉnh /);
    const names = blocs.flatMap((b) => b.agencies.map((a) => a.name));
    expect(new Set(names).size).toBe(names.length);
    expect(names.some((n) => n.startsWith("Sở Tư pháp tỉnh "))).toBe(true);
    expect(names.some((n) => n.startsWith("Công an huyện "))).toBe(true);
  });

  it("when the command's arguments are parsed, then sizes, seed and prefix are read and nonsense is refused in Vietnamese", () => {
    expect(parseSyntheticArgs(["--blocs", "2", "--agencies", "3", "--criteria", "12", "--years", "1", "--seed", "9", "--prefix", "tn"])).toMatchObject({
      blocs: 2, agencies: 3, criteria: 12, years: 1, seed: 9, prefix: "tn",
    });
    expect(() => parseSyntheticArgs(["--agencies", "1"])).toThrow(/--agencies/);
    expect(() => parseSyntheticArgs(["--bogus", "1"])).toThrow(/Tham số không hợp lệ/);
  });
});
