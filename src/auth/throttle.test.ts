import { describe, expect, it } from "vitest";
import { lockoutRemainingMs } from "./throttle.js";

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 8, min));
const WINDOW = 15 * 60_000;

describe("login lockout rule", () => {
  it("when fewer than 5 failures fall in the window, then no wait", () => {
    expect(lockoutRemainingMs([at(0), at(1), at(2), at(3)], at(4), 5, WINDOW)).toBe(0);
  });
  it("when 5 failures fall in the window, then wait until the oldest of them leaves it", () => {
    expect(lockoutRemainingMs([at(0), at(1), at(2), at(3), at(4)], at(5), 5, WINDOW)).toBe(10 * 60_000);
  });
  it("when older failures have left the window, then they do not count", () => {
    expect(lockoutRemainingMs([at(0), at(1), at(2), at(3), at(4)], at(15), 5, WINDOW)).toBe(0);
  });
  it("when failures are dated after now (clock skew), then they are ignored", () => {
    expect(lockoutRemainingMs([at(30), at(31), at(32), at(33), at(34)], at(5), 5, WINDOW)).toBe(0);
  });
});
