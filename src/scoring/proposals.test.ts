import { describe, expect, it } from "vitest";
import { hasVoteShare, proposeAwards } from "./proposals.js";
import { rankAgencies } from "./rank.js";
import { DEMO_RULES } from "./rules.js";
import type { RuleSet } from "./rules.js";
import { candidate } from "./test-support.js";
import type { Ballot, RankCandidate } from "./types.js";

const FLAG = "Cờ thi đua của UBND tỉnh";
const MERIT = "Bằng khen của Chủ tịch UBND tỉnh";

function propose(candidates: RankCandidate[], ballots: Ballot[], rules: RuleSet = DEMO_RULES) {
  return proposeAwards(rankAgencies(candidates, rules).ranked, ballots, rules);
}

function awards(result: ReturnType<typeof proposeAwards>) {
  return result.proposals.map((p) => [p.award, p.agencyId]);
}

const sevenOf7 = (agencyId: number): Ballot => ({ agencyId, votesFor: 7, validBallots: 7 });

describe("hasVoteShare", () => {
  it("when the share is exactly the threshold, then inclusive passes and exclusive fails", () => {
    const twoThirds = { numerator: 2, denominator: 3 };
    const half = { numerator: 1, denominator: 2 };
    expect(hasVoteShare(4, 6, twoThirds, true)).toBe(true);
    expect(hasVoteShare(4, 7, twoThirds, true)).toBe(false);
    expect(hasVoteShare(5, 7, twoThirds, true)).toBe(true);
    expect(hasVoteShare(3, 6, half, false)).toBe(false);
    expect(hasVoteShare(4, 7, half, false)).toBe(true);
    expect(hasVoteShare(0, 0, { numerator: 0, denominator: 1 }, true)).toBe(false);
  });
});

describe("proposeAwards: the flag", () => {
  it("when the top agency has the disciplinary flag, then the next gets the flag and the reason says why", () => {
    const result = propose(
      [
        candidate({ agencyId: 1, name: "Công an tỉnh", total: 98, disciplineFlag: true, disciplineReason: "02 cán bộ bị kỷ luật cảnh cáo" }),
        candidate({ agencyId: 2, name: "Tòa án nhân dân tỉnh", total: 96 }),
      ],
      [sevenOf7(1), sevenOf7(2)],
    );
    expect(awards(result)).toEqual([["flag", 2]]);
    expect(result.proposals[0]?.passedOver).toEqual([
      {
        agencyId: 1,
        name: "Công an tỉnh",
        rank: 1,
        reasons: [
          "Có vi phạm kỷ luật: 02 cán bộ bị kỷ luật cảnh cáo",
          "Xếp loại Hoàn thành nhiệm vụ, chưa đạt Hoàn thành xuất sắc nhiệm vụ",
        ],
      },
    ]);
    expect(result.byAgency[1]).toEqual({
      award: null,
      reasons: [
        "Có vi phạm kỷ luật: 02 cán bộ bị kỷ luật cảnh cáo",
        "Xếp loại Hoàn thành nhiệm vụ, chưa đạt Hoàn thành xuất sắc nhiệm vụ",
        "Xếp loại Hoàn thành nhiệm vụ, chưa đạt Hoàn thành tốt nhiệm vụ",
      ],
    });
  });

  it("when the top agency lacks votes, then it is passed over for the flag but may get the merit", () => {
    const result = propose(
      [candidate({ agencyId: 1, total: 97 }), candidate({ agencyId: 2, total: 96 })],
      [
        { agencyId: 1, votesFor: 4, validBallots: 7 },
        { agencyId: 2, votesFor: 5, validBallots: 7 },
      ],
    );
    expect(awards(result)).toEqual([
      ["flag", 2],
      ["merit", 1],
    ]);
    expect(result.proposals[0]?.passedOver).toEqual([
      { agencyId: 1, name: "Đơn vị 1", rank: 1, reasons: ["Đạt 4/7 phiếu, chưa đủ 2/3 số phiếu hợp lệ"] },
    ]);
    expect(result.proposals[1]).toMatchObject({ votesFor: 4, validBallots: 7, passedOver: [] });
  });

  it("when no ballot is recorded, or no valid ballots, then the agency is not proposed", () => {
    const result = propose(
      [candidate({ agencyId: 1, total: 97 }), candidate({ agencyId: 2, total: 96 })],
      [{ agencyId: 2, votesFor: 0, validBallots: 0 }],
    );
    expect(result.proposals).toEqual([]);
    expect(result.byAgency[1]).toEqual({ award: null, reasons: ["Chưa có kết quả bỏ phiếu"] });
    expect(result.byAgency[2]).toEqual({ award: null, reasons: ["Chưa có kết quả bỏ phiếu"] });
  });

  it("when nobody qualifies, then nobody is proposed", () => {
    const result = propose(
      [candidate({ agencyId: 1, total: 70 }), candidate({ agencyId: 2, total: 60 })],
      [sevenOf7(1), { agencyId: 2, votesFor: 3, validBallots: 6 }],
    );
    expect(result.proposals).toEqual([]);
    expect(result.byAgency[2]?.reasons).toEqual([
      "Xếp loại Hoàn thành nhiệm vụ, chưa đạt Hoàn thành xuất sắc nhiệm vụ",
      "Đạt 3/6 phiếu, chưa đủ 2/3 số phiếu hợp lệ",
      "Xếp loại Hoàn thành nhiệm vụ, chưa đạt Hoàn thành tốt nhiệm vụ",
      "Đạt 3/6 phiếu, chưa đạt quá 1/2 số phiếu hợp lệ",
    ]);
  });

  it("when two agencies tie for the only flag, then nobody gets it by order and the meeting decides", () => {
    const tied = { total: 97, groupOneTotal: 55, deductionTotal: 0, sheetSubmittedAt: "2022-12-01T08:00:00Z" };
    const candidates = [
      candidate({ agencyId: 1, name: "Viện Kiểm sát", ...tied }),
      candidate({ agencyId: 2, name: "Bộ Chỉ huy Quân sự", ...tied }),
      candidate({ agencyId: 3, total: 90 }),
    ];
    const ballots = [sevenOf7(1), sevenOf7(2), sevenOf7(3)];
    const pending = propose(candidates, ballots);
    expect(awards(pending)).toEqual([["merit", 3]]);
    expect(pending.ties).toEqual([{ award: "flag", rank: 1, places: 1, agencyIds: [1, 2], decision: null }]);
    expect(pending.byAgency[1]).toEqual({ award: null, pendingTie: "flag", reasons: [`Đồng hạng — Hội nghị quyết định (${FLAG})`] });
    expect(pending.byAgency[2]?.pendingTie).toBe("flag");

    const decision = { award: "flag" as const, tiedAgencyIds: [2, 1], chosenAgencyIds: [1], reason: "Hội nghị biểu quyết 6/7 chọn Viện Kiểm sát." };
    const decided = proposeAwards(rankAgencies(candidates, DEMO_RULES).ranked, ballots, DEMO_RULES, [decision]);
    expect(awards(decided)).toEqual([
      ["flag", 1],
      ["merit", 2],
      ["merit", 3],
    ]);
    expect(decided.ties[0]?.decision).toEqual(decision);
    expect(decided.proposals[1]?.passedOver).toEqual([{ agencyId: 1, name: "Viện Kiểm sát", rank: 1, reasons: [`Đã được đề nghị ${FLAG}`] }]);
    expect(decided.byAgency[2]?.reasons).toEqual([]);
    expect(decided.proposals[0]?.passedOver).toEqual([
      { agencyId: 2, name: "Bộ Chỉ huy Quân sự", rank: 1, reasons: [`Đồng hạng; Hội nghị chọn đơn vị khác để đề nghị ${FLAG}: Hội nghị biểu quyết 6/7 chọn Viện Kiểm sát`] },
    ]);
  });

  it("when the tie the meeting decided has changed, then its decision no longer applies", () => {
    const tied = { total: 97, groupOneTotal: 55, deductionTotal: 0, sheetSubmittedAt: "2022-12-01T08:00:00Z" };
    const candidates = [1, 2, 3].map((agencyId) => candidate({ agencyId, ...tied }));
    const decision = { award: "flag" as const, tiedAgencyIds: [1, 2], chosenAgencyIds: [1], reason: "Biểu quyết" };
    const result = proposeAwards(rankAgencies(candidates, DEMO_RULES).ranked, [sevenOf7(1), sevenOf7(2), sevenOf7(3)], DEMO_RULES, [decision]);
    expect(result.ties).toEqual([{ award: "flag", rank: 1, places: 1, agencyIds: [1, 2, 3], decision: null }]);
    expect(awards(result)).toEqual([]);
  });

  it("when only one of two tied agencies qualifies, then it gets the flag without the meeting", () => {
    const tied = { total: 97, groupOneTotal: 55, deductionTotal: 0, sheetSubmittedAt: "2022-12-01T08:00:00Z" };
    const result = propose(
      [candidate({ agencyId: 1, ...tied }), candidate({ agencyId: 2, ...tied })],
      [sevenOf7(1), { agencyId: 2, votesFor: 3, validBallots: 7 }],
    );
    expect(result.ties).toEqual([]);
    expect(awards(result)).toEqual([["flag", 1]]);
  });
});

describe("proposeAwards: self-votes", () => {
  it("when self-votes are off, then the share is over the other members' ballots and the reason says so", () => {
    const noSelf: RuleSet = { ...DEMO_RULES, allowSelfVote: false };
    // 4 of 7 ballots: < 2/3 of 7 but = 2/3 of the 6 other members.
    const candidates = [candidate({ agencyId: 1, total: 97 })];
    const ballots = [{ agencyId: 1, votesFor: 4, validBallots: 7 }];
    expect(awards(propose(candidates, ballots, DEMO_RULES))).toEqual([["merit", 1]]);
    const result = propose(candidates, ballots, noSelf);
    expect(awards(result)).toEqual([["flag", 1]]);
    expect(result.proposals[0]).toMatchObject({ votesFor: 4, validBallots: 7, shareOver: 6 });

    const short = propose(candidates, [{ agencyId: 1, votesFor: 3, validBallots: 7 }], noSelf);
    expect(short.byAgency[1]?.reasons).toContain("Đạt 3/6 phiếu, chưa đủ 2/3 số phiếu hợp lệ của các đơn vị khác");
  });
});

describe("proposeAwards: the merit", () => {
  it("when more agencies qualify than the quota, then only 2 further agencies get it and the others are told why", () => {
    const candidates = [97, 96, 90, 88, 85].map((total, i) => candidate({ agencyId: i + 1, total }));
    const result = propose(candidates, candidates.map((c) => sevenOf7(c.agencyId)));
    expect(awards(result)).toEqual([
      ["flag", 1],
      ["merit", 2],
      ["merit", 3],
    ]);
    expect(result.byAgency[4]).toEqual({
      award: null,
      reasons: [
        "Xếp loại Hoàn thành tốt nhiệm vụ, chưa đạt Hoàn thành xuất sắc nhiệm vụ",
        `Đã đủ số lượng đề nghị ${MERIT} (2 đơn vị)`,
      ],
    });
    expect(result.byAgency[1]).toEqual({ award: "flag", reasons: [] });
  });

  it("when an agency above qualifies for neither, then each merit proposal lists it with its reasons", () => {
    const result = propose(
      [
        candidate({ agencyId: 1, total: 97 }),
        candidate({ agencyId: 2, total: 92 }),
        candidate({ agencyId: 3, total: 85 }),
      ],
      [sevenOf7(1), { agencyId: 2, votesFor: 2, validBallots: 7 }, sevenOf7(3)],
    );
    expect(awards(result)).toEqual([
      ["flag", 1],
      ["merit", 3],
    ]);
    expect(result.proposals[1]?.passedOver).toEqual([
      { agencyId: 1, name: "Đơn vị 1", rank: 1, reasons: [`Đã được đề nghị ${FLAG}`] },
      { agencyId: 2, name: "Đơn vị 2", rank: 2, reasons: ["Đạt 2/7 phiếu, chưa đạt quá 1/2 số phiếu hợp lệ"] },
    ]);
  });

  it("when the same agency has two ballots, then it throws", () => {
    expect(() => propose([candidate({ agencyId: 1 })], [sevenOf7(1), sevenOf7(1)])).toThrow();
  });
});

describe("proposeAwards: a non-default rule set", () => {
  it("when the rule set allows 2 flags, 1 merit, merit from 'pass' and a simple majority, then the outcome follows", () => {
    const rules: RuleSet = {
      ...DEMO_RULES,
      flag: { ...DEMO_RULES.flag, quota: 2, voteShare: { numerator: 1, denominator: 2 } },
      merit: { ...DEMO_RULES.merit, quota: 1, minClassification: "pass", inclusive: true },
    };
    const candidates = [98, 96, 60, 55].map((total, i) => candidate({ agencyId: i + 1, total }));
    const ballots = [
      { agencyId: 1, votesFor: 4, validBallots: 8 },
      { agencyId: 2, votesFor: 4, validBallots: 8 },
      { agencyId: 3, votesFor: 4, validBallots: 8 },
      { agencyId: 4, votesFor: 8, validBallots: 8 },
    ];
    expect(awards(propose(candidates, ballots, rules))).toEqual([
      ["flag", 1],
      ["flag", 2],
      ["merit", 3],
    ]);
    expect(awards(propose(candidates, ballots, DEMO_RULES))).toEqual([]);
  });
});
