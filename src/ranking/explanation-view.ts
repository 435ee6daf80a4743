// Presents a scoring explanation ("why this rank") as text for the page: numbers formatted, rules said
// in words. No SQL and no rule here: every number comes from the explanation object.
import { formatDate, localDate } from "../lib/dates.js";
import { AWARD_LABELS, AWARDS, CLASSIFICATION_LABELS, formatPoints, type Explanation, type Neighbour } from "../scoring/index.js";
import { rulesText, type RankingState } from "./ranking-service.js";
import type { YearContext } from "../years/years-service.js";

const pts = (n: number | null) => (n === null ? "—" : formatPoints(n));

function tieBreakText(n: Neighbour, e: Explanation): string {
  const other = n.name;
  const ours = n.position === "above" ? "dưới" : "trên";
  switch (n.decidedBy) {
    case "total":
      return `Xếp ${ours} ${other} (hạng ${n.rank}, ${pts(n.total)} điểm) do tổng điểm ${n.position === "above" ? "thấp hơn" : "cao hơn"}.`;
    case "group_one":
      return `Bằng tổng điểm với ${other} (${pts(e.total)}); xếp ${ours} do điểm nhóm I ${n.position === "above" ? "thấp hơn" : "cao hơn"}.`;
    case "deductions":
      return `Bằng tổng điểm và điểm nhóm I với ${other}; xếp ${ours} do bị trừ ${n.position === "above" ? "nhiều" : "ít"} điểm hơn.`;
    case "submitted_at":
      return `Bằng tổng điểm, điểm nhóm I và điểm trừ với ${other}; xếp ${ours} do gửi bảng chấm điểm ${n.position === "above" ? "muộn" : "sớm"} hơn.`;
    default:
      return `Đồng hạng ${n.rank} với ${other}: bằng nhau theo mọi tiêu chí phụ.`;
  }
}

export function explanationView(x: { ctx: YearContext; st: RankingState; explanation: Explanation; details: boolean }) {
  const { ctx, st, explanation: e } = x;
  const ranking = `${ctx.basePath}/ranking`;
  return {
    name: e.name,
    year: ctx.year.year,
    blocName: ctx.bloc.name,
    back: ranking,
    source:
      st.source === "published"
        ? `Theo kết quả đã công bố${st.takenAt ? ` ngày ${formatDate(localDate(new Date(st.takenAt)))}` : ""} (lưu nguyên như lúc công bố).`
        : "Theo số liệu hiện tại (kết quả chưa công bố).",
    place: e.ranked
      ? `Hạng ${e.rank}${e.shared ? " (đồng hạng)" : ""} với ${pts(e.total)} điểm.`
      : e.sheetStatus === "none"
        ? `Không xếp hạng: ${e.unrankedReason ?? ""}; chưa có điểm.`
        : `Không xếp hạng: ${e.unrankedReason ?? ""}. Điểm tạm tính: ${pts(e.total)}.`,
    classification: CLASSIFICATION_LABELS[e.classification],
    cappedFrom: e.cappedFrom ? `Tổng điểm đạt mức ${CLASSIFICATION_LABELS[e.cappedFrom]}; do có vi phạm kỷ luật nên xếp loại tối đa ${CLASSIFICATION_LABELS[e.classification]}.` : null,
    groups: e.groups.map((g) => ({
      heading: `${g.code}. ${g.title}`,
      kind: g.kind,
      self: pts(g.selfTotal),
      final: pts(g.finalTotal),
      items: g.items.map((i) => ({
        code: i.code,
        title: i.title,
        max: pts(i.max),
        self: g.kind === "deduction" ? (i.selfValue === null ? "—" : `${i.selfValue} lần`) : pts(i.selfValue),
        final: g.kind === "deduction" ? (i.finalValue === null ? "—" : `${i.finalValue} lần`) : pts(i.finalValue),
        points: pts(i.points),
        reason: i.differs ? (i.reason ?? "—") : null,
      })),
    })),
    sum: {
      standard: pts(e.standardTotal),
      bonusRaw: pts(e.bonusRaw),
      bonusCap: pts(e.bonusCap),
      bonus: pts(e.bonusTotal),
      deductions: pts(e.deductionTotal),
      total: pts(e.total),
    },
    lateReports: e.lateReports.map((r) =>
      r.submittedOn === null
        ? `${r.label}: chưa gửi (hạn ${formatDate(r.dueOn)}) — tính như một báo cáo gửi chậm.`
        : `${r.label}: gửi ngày ${formatDate(r.submittedOn)}, chậm ${r.daysLate} ngày so với hạn ${formatDate(r.dueOn)}.`,
    ),
    neighbours: e.neighbours.map((n) => tieBreakText(n, e)),
    ballot: e.ballot
      ? {
          text: `Đạt ${e.ballot.votesFor}/${e.ballot.shareOver} phiếu${e.ballot.selfExcluded ? ` (${e.ballot.validBallots} phiếu hợp lệ, không tính phiếu của chính đơn vị)` : " hợp lệ"}.`,
          checks: e.ballot.checks.map((c) => `${AWARD_LABELS[c.award]}: cần ${c.inclusive ? "từ" : "trên"} ${c.share} — ${c.met ? "đạt" : "chưa đạt"}.`),
        }
      : null,
    award: e.award ? `Được đề nghị ${AWARD_LABELS[e.award]}.` : e.pendingTie ? `Đồng hạng — Hội nghị quyết định (${AWARD_LABELS[e.pendingTie]}).` : "Không được đề nghị khen thưởng.",
    /** The rule of each award in force, beside the outcome for this agency. */
    awardRules: AWARDS.map((award) => ({
      rule: rulesText(st.rules).find((line) => line.startsWith(`${AWARD_LABELS[award]}:`)) ?? AWARD_LABELS[award],
      outcome:
        e.award === award
          ? "Đạt: được đề nghị."
          : e.pendingTie === award
            ? "Đồng hạng — Hội nghị quyết định."
            : e.award === "flag"
              ? "Không xét: đã được đề nghị danh hiệu cao hơn."
              : e.ranked
                ? "Không được đề nghị (lý do bên dưới)."
                : "Không xét: đơn vị không được xếp hạng.",
    })),
    reasons: e.reasons,
  };
}
