import { describe, expect, it } from "vitest";
import { parseAgencyList, proposeCode, uniqueCodes } from "./agency-list.js";

describe("proposeCode", () => {
  it("drops diacritics and đ, joins words with hyphens, keeps 40 characters", () => {
    expect(proposeCode("Công an tỉnh Tuyên Quang")).toBe("cong-an-tinh-tuyen-quang");
    expect(proposeCode("Đảng ủy Khối cơ quan và doanh nghiệp tỉnh")).toBe("dang-uy-khoi-co-quan-va-doanh-nghiep-tin");
    expect(proposeCode("Ủy ban MTTQ Việt Nam (tỉnh)")).toBe("uy-ban-mttq-viet-nam-tinh");
  });
});

describe("uniqueCodes", () => {
  it("adds -2, -3 to codes already used", () => {
    expect(uniqueCodes(["stp", "stp", "vks"], new Set(["vks"]))).toEqual(["stp", "stp-2", "vks-2"]);
  });
});

describe("parseAgencyList", () => {
  it("reads names with optional short name and code after a tab or a semicolon", () => {
    const { rows, errors } = parseAgencyList("Sở Tư pháp tỉnh\tSở Tư pháp\tstp\nThanh tra tỉnh; Thanh tra\nBáo Tuyên Quang\n");
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { name: "Sở Tư pháp tỉnh", shortName: "Sở Tư pháp", code: "stp" },
      { name: "Thanh tra tỉnh", shortName: "Thanh tra", code: "thanh-tra-tinh" },
      { name: "Báo Tuyên Quang", shortName: "Báo Tuyên Quang", code: "bao-tuyen-quang" },
    ]);
  });
  it("names a blank line inside the list and a repeated name by their line numbers", () => {
    const { errors } = parseAgencyList("Sở Tư pháp\n\nThanh tra tỉnh\nsở tư pháp");
    expect(errors).toEqual(["Dòng 2 trống: xóa dòng trống hoặc ghi tên cơ quan, đơn vị.", "Dòng 4 trùng với dòng 1: “sở tư pháp”."]);
  });
  it("refuses an empty list", () => {
    expect(parseAgencyList("  \n ").errors).toHaveLength(1);
  });
});
