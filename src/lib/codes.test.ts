import { describe, expect, it } from "vitest";
import { CODE_RULES, tooDeep } from "./codes.js";

describe("tooDeep", () => {
  it("returns the path of the first value deeper than the limit, or null", () => {
    expect(tooDeep({ a: [{ b: 1 }] }, 3)).toBeNull();
    expect(tooDeep({ a: [{ b: { c: 1 } }] }, 3)).toEqual(["a", 0, "b"]);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(tooDeep(deep, 16)).toHaveLength(16);
  });
});

describe("CODE_RULES", () => {
  it("accept the demo's codes and refuse spaces, diacritics and markup", () => {
    expect(CODE_RULES.bloc.pattern.test("noichinh-tq")).toBe(true);
    expect(CODE_RULES.agency.pattern.test("congan")).toBe(true);
    for (const bad of ["Công an", "a b", "<b>", ""]) expect(CODE_RULES.agency.pattern.test(bad)).toBe(false);
    expect(CODE_RULES.bloc.pattern.test("../x")).toBe(false);
  });
});
