import { describe, expect, it } from "vitest";
import { rankAgencies } from "./rank.js";
import { DEMO_RULES } from "./rules.js";
import { candidate } from "./test-support.js";

function summary(rows: ReturnType<typeof rankAgencies>["ranked"]) {
  return rows.map((r) => ({ id: r.agencyId, rank: r.rank, tieBreak: r.tieBreak, shared: r.shared }));
}

describe("rankAgencies: order and tie-breaks", () => {
  it("when totals differ, then the higher total ranks first and no tie-break is named", () => {
    const { ranked } = rankAgencies(
      [candidate({ agencyId: 1, total: 80 }), candidate({ agencyId: 2, total: 97.5 }), candidate({ agencyId: 3, total: 90 })],
      DEMO_RULES,
    );
    expect(summary(ranked)).toEqual([
      { id: 2, rank: 1, tieBreak: null, shared: false },
      { id: 3, rank: 2, tieBreak: null, shared: false },
      { id: 1, rank: 3, tieBreak: null, shared: false },
    ]);
  });

  it("when totals tie, then (1) the higher group I total ranks first", () => {
    const { ranked } = rankAgencies(
      [
        candidate({ agencyId: 1, total: 95, groupOneTotal: 55, deductionTotal: 0 }),
        candidate({ agencyId: 2, total: 95, groupOneTotal: 57, deductionTotal: 3 }),
      ],
      DEMO_RULES,
    );
    expect(summary(ranked)).toEqual([
      { id: 2, rank: 1, tieBreak: null, shared: false },
      { id: 1, rank: 2, tieBreak: "group_one", shared: false },
    ]);
  });

  it("when totals and group I tie, then (2) the smaller deductions rank first", () => {
    const { ranked } = rankAgencies(
      [
        candidate({ agencyId: 1, total: 95, groupOneTotal: 55, deductionTotal: 2, sheetSubmittedAt: "2022-11-01T08:00:00Z" }),
        candidate({ agencyId: 2, total: 95, groupOneTotal: 55, deductionTotal: 1, sheetSubmittedAt: "2022-12-01T08:00:00Z" }),
      ],
      DEMO_RULES,
    );
    expect(summary(ranked)).toEqual([
      { id: 2, rank: 1, tieBreak: null, shared: false },
      { id: 1, rank: 2, tieBreak: "deductions", shared: false },
    ]);
  });

  it("when totals, group I and deductions tie, then (3) the earlier submission ranks first, compared as instants", () => {
    const { ranked } = rankAgencies(
      [
        candidate({ agencyId: 1, name: "A", sheetSubmittedAt: "2022-12-01T03:00:00Z" }),
        candidate({ agencyId: 2, name: "B", sheetSubmittedAt: "2022-12-01T09:00:00+07:00" }), // 02:00 UTC
      ],
      DEMO_RULES,
    );
    expect(summary(ranked)).toEqual([
      { id: 2, rank: 1, tieBreak: null, shared: false },
      { id: 1, rank: 2, tieBreak: "submitted_at", shared: false },
    ]);
  });

  it("when totals come from float arithmetic, then they are compared to the hundredth", () => {
    const { ranked } = rankAgencies(
      [
        candidate({ agencyId: 1, total: 0.1 + 0.2, groupOneTotal: 0.1 }),
        candidate({ agencyId: 2, total: 0.3, groupOneTotal: 0.2 }),
      ],
      DEMO_RULES,
    );
    expect(summary(ranked).map((r) => [r.id, r.tieBreak])).toEqual([[2, null], [1, "group_one"]]);
  });

  it("when a tie survives all tie-breaks, then the rank is shared (1, 2, 2, 4) and names order the display", () => {
    const tied = { total: 90, groupOneTotal: 50, deductionTotal: 1, sheetSubmittedAt: "2022-12-01T08:00:00Z" };
    const { ranked } = rankAgencies(
      [
        candidate({ agencyId: 1, name: "Sở Tư pháp", ...tied }),
        candidate({ agencyId: 2, name: "Công an tỉnh", total: 98 }),
        candidate({ agencyId: 3, name: "Đài Phát thanh và Truyền hình", ...tied }),
        candidate({ agencyId: 4, name: "Tòa án nhân dân tỉnh", total: 85 }),
      ],
      DEMO_RULES,
    );
    expect(summary(ranked)).toEqual([
      { id: 2, rank: 1, tieBreak: null, shared: false },
      { id: 3, rank: 2, tieBreak: null, shared: true }, // "Đ" sorts after "D", before "S" (Vietnamese order)
      { id: 1, rank: 2, tieBreak: null, shared: true },
      { id: 4, rank: 4, tieBreak: null, shared: false },
    ]);
  });
});

describe("rankAgencies: classification", () => {
  it("when ranked, then each row carries its classification, capped by the disciplinary flag", () => {
    const { ranked } = rankAgencies(
      [
        candidate({ agencyId: 1, total: 97, disciplineFlag: true, disciplineReason: "Cán bộ bị kỷ luật" }),
        candidate({ agencyId: 2, total: 96 }),
        candidate({ agencyId: 3, total: 82 }),
      ],
      DEMO_RULES,
    );
    expect(ranked.map((r) => [r.agencyId, r.rank, r.classification])).toEqual([
      [1, 1, "pass"], // still ranked by total; only the classification is capped
      [2, 2, "excellent"],
      [3, 3, "good"],
    ]);
  });
});

describe("rankAgencies: unranked agencies", () => {
  const candidates = [
    candidate({ agencyId: 1, name: "Viện Kiểm sát", sheetStatus: "reviewed" }),
    candidate({ agencyId: 2, name: "Thanh tra tỉnh", sheetStatus: "none", total: 0 }),
    candidate({ agencyId: 3, name: "Sở Tư pháp", sheetStatus: "draft", total: 99 }),
    candidate({ agencyId: 4, name: "Cục Thi hành án", sheetStatus: "submitted", total: 99 }),
    candidate({ agencyId: 5, name: "Đài Phát thanh", sheetStatus: "returned" }),
  ];

  it("when a sheet is not reviewed, then the agency is unranked, by name, with the reason", () => {
    const { ranked, unranked } = rankAgencies(candidates, DEMO_RULES);
    expect(ranked.map((r) => r.agencyId)).toEqual([1]);
    expect(unranked.map((r) => [r.name, r.reason])).toEqual([
      ["Cục Thi hành án", "Bảng chấm điểm chưa được Khối thẩm định"],
      ["Đài Phát thanh", "Bảng chấm điểm bị trả lại, chưa gửi lại"],
      ["Sở Tư pháp", "Bảng chấm điểm chưa được gửi"],
      ["Thanh tra tỉnh", "Chưa nộp bảng chấm điểm"],
    ]);
  });

  it("when the rule set does not require review, then submitted sheets are ranked too", () => {
    const { ranked, unranked } = rankAgencies(candidates, { ...DEMO_RULES, requiredReviewed: false });
    expect(ranked.map((r) => r.agencyId)).toEqual([4, 1]);
    expect(unranked.map((r) => r.agencyId)).toEqual([5, 3, 2]);
  });
});
