import { describe, expect, it } from "vitest";
import { criterionIdsIn, describeChanges, readableIp } from "./audit-format.js";

describe("describeChanges", () => {
  it("names changed fields in Vietnamese with old → new values, status values as words", () => {
    expect(describeChanges({ status: "submitted" }, { status: "returned", comment: "Bổ sung số liệu" })).toEqual([
      { field: "Trạng thái", before: "Đã gửi", after: "Bị trả lại" },
      { field: "Ý kiến", before: "(trống)", after: "Bổ sung số liệu" },
    ]);
  });

  it("reads score-sheet entries by criterion code and leaves unchanged ones out", () => {
    const codes = new Map([[7, "1.1"], [8, "1.2"]]);
    const before = { status: "submitted", entries: [{ criterionId: 7, selfPoints: 40, blocPoints: null }, { criterionId: 8, selfPoints: 9, blocPoints: null }] };
    const after = { status: "reviewed", entries: [{ criterionId: 7, blocPoints: 38, reason: "Thiếu minh chứng" }, { criterionId: 8, blocPoints: null, reason: "" }] };
    expect(describeChanges(before, after, (id) => codes.get(id))).toEqual([
      { field: "Trạng thái", before: "Đã gửi", after: "Đã thẩm định" },
      { field: "Điểm Khối chấm 1.1", before: "(trống)", after: "38" },
      { field: "Lý do Khối chấm 1.1", before: "(trống)", after: "Thiếu minh chứng" },
    ]);
    expect(criterionIdsIn(before, after)).toEqual([7, 8]);
  });

  it("reads a report's content by movement and part", () => {
    const before = { content: { sections: { PT1: { done: "A" } }, general: "" } };
    const after = { content: { sections: { PT1: { done: "B" } }, general: "Hoàn thành" } };
    expect(describeChanges(before, after).map((c) => c.field)).toEqual(["Phong trào PT1 — Nội dung đã triển khai", "Kết quả chung"]);
  });
});

describe("readableIp", () => {
  it("shows IPv4 without the ::ffff: prefix and leaves IPv6 alone", () => {
    expect(readableIp("::ffff:10.0.0.5")).toBe("10.0.0.5");
    expect(readableIp("2001:db8::1")).toBe("2001:db8::1");
    expect(readableIp(null)).toBe("");
  });
});
