import { describe, expect, it } from "vitest";
import { joinReasons } from "./text.js";

describe("joinReasons", () => {
  it("never leaves '.;' between reasons and ends with one full stop", () => {
    expect(joinReasons(["Không đủ tỷ lệ phiếu.", "Có vi phạm kỷ luật."])).toBe("Không đủ tỷ lệ phiếu; Có vi phạm kỷ luật.");
    expect(joinReasons(["Một lý do"])).toBe("Một lý do.");
    expect(joinReasons([])).toBe("");
  });
});
