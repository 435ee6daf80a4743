import type { User } from "../auth/users-repo.js";
import { NotFoundError } from "../errors.js";
import {
  AWARD_LABELS,
  CLASSIFICATION_LABELS,
  countLateReports,
  formatPoints,
  scoreYear,
  type AgencyYearInput,
  type Award,
  type RuleSet,
  type SheetStatus,
  type YearResult,
} from "../scoring/index.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import type { RankingRepo, YearData } from "./ranking-repo.js";

/** One year scored: the raw data, the scoring input per agency and the result of the rules. */
export interface YearComputation {
  ctx: YearContext;
  data: YearData;
  inputs: AgencyYearInput[];
  result: YearResult;
}

/** The row contract of ranking.json and of the CLI's json/csv output. */
export interface RankingExportRow {
  rank: number | null;
  agency: string;
  name: string;
  total: number;
  classification: string | null;
  proposal: string | null;
  reason: string | null;
}

const share = (s: { numerator: number; denominator: number }) => `${s.numerator}/${s.denominator}`;

/** The rules in force, as lines of text for the ranking page. */
export function rulesText(rules: RuleSet): string[] {
  const t = rules.thresholds;
  const award = (a: Award) => {
    const r = rules[a];
    return `${AWARD_LABELS[a]}: tối đa ${r.quota} đơn vị; xếp loại từ ${CLASSIFICATION_LABELS[r.minClassification]} trở lên, không có vi phạm kỷ luật, ${r.inclusive ? "đạt từ" : "đạt trên"} ${share(r.voteShare)} số phiếu hợp lệ.`;
  };
  return [
    `Thang điểm ${formatPoints(rules.scale)}; điểm thưởng tính tối đa ${formatPoints(rules.bonusCap)} điểm; mỗi báo cáo gửi chậm trừ ${formatPoints(rules.lateReportPoints)} điểm.`,
    `Xếp loại: từ ${formatPoints(t.excellent)} điểm: ${CLASSIFICATION_LABELS.excellent}; từ ${formatPoints(t.good)} điểm: ${CLASSIFICATION_LABELS.good}; từ ${formatPoints(t.pass)} điểm: ${CLASSIFICATION_LABELS.pass}; dưới ${formatPoints(t.pass)} điểm: ${CLASSIFICATION_LABELS.fail}.`,
    `Đơn vị có vi phạm kỷ luật vượt mức cho phép: xếp loại tối đa ${CLASSIFICATION_LABELS[rules.disciplineCap]}.`,
    rules.requiredReviewed
      ? "Chỉ xếp hạng đơn vị có bảng chấm điểm đã được Khối thẩm định."
      : "Xếp hạng đơn vị có bảng chấm điểm đã gửi.",
    "Khi bằng điểm: xếp trên đơn vị có điểm nhóm I cao hơn, rồi đơn vị bị trừ ít điểm hơn, rồi đơn vị gửi bảng điểm sớm hơn.",
    award("flag"),
    award("merit"),
  ];
}

export function rankingService(deps: { repo: RankingRepo; years: YearsService }) {
  const { repo, years } = deps;

  /** Loads and scores a year (a fixed number of queries, whatever the number of agencies). */
  async function compute(ctx: YearContext): Promise<YearComputation> {
    const data = await repo.loadYear({
      id: ctx.year.id,
      registrationDueOn: ctx.year.registrationDueOn,
      agencyIds: ctx.agencies.map((a) => a.id),
    });
    const inputs: AgencyYearInput[] = ctx.agencies.map((agency) => {
      const sheet = data.sheets.find((s) => s.agencyId === agency.id);
      const status: SheetStatus = sheet ? sheet.status : "none";
      return {
        agencyId: agency.id,
        code: agency.code,
        name: agency.name,
        sheetStatus: status,
        sheetSubmittedAt: sheet?.submittedAt ? new Date(sheet.submittedAt).toISOString() : null,
        disciplineFlag: sheet?.disciplineFlag ?? false,
        disciplineReason: sheet?.disciplineReason ?? null,
        entries: sheet?.entries ?? [],
        lateReports: countLateReports(data.deliverables.get(agency.id) ?? []),
      };
    });
    const ballots = data.votes.filter((v) => ctx.agencies.some((a) => a.id === v.agencyId));
    const result = scoreYear({ agencies: inputs, criteria: data.criteria, ballots }, ctx.year.rules);
    return { ctx, data, inputs, result };
  }

  function exportRows({ result }: YearComputation): RankingExportRow[] {
    const { ranking, proposals } = result;
    return [
      ...ranking.ranked.map((row) => {
        const status = proposals.byAgency[row.agencyId];
        return {
          rank: row.rank,
          agency: row.code,
          name: row.name,
          total: row.total,
          classification: CLASSIFICATION_LABELS[row.classification],
          proposal: status?.award ? AWARD_LABELS[status.award] : null,
          reason: status && !status.award && status.reasons.length ? status.reasons.join("; ") : null,
        };
      }),
      ...ranking.unranked.map((row) => ({
        rank: null,
        agency: row.code,
        name: row.name,
        total: row.total,
        classification: null,
        proposal: null,
        reason: row.reason,
      })),
    ];
  }

  function viewModel(comp: YearComputation) {
    const { ctx, data, result } = comp;
    const standardGroups = data.criteria.filter((c) => c.parentId === null && c.kind === "standard");
    const voteOf = (agencyId: number) => {
      const v = data.votes.find((x) => x.agencyId === agencyId);
      return v ? `${v.votesFor}/${v.validBallots}` : "—";
    };
    return {
      ctx,
      published: ctx.year.rankingPublishedAt !== null,
      groupHeaders: standardGroups.map((g) => ({ code: g.code, title: g.title })),
      ranked: result.ranking.ranked.map((row) => {
        const status = result.proposals.byAgency[row.agencyId];
        return {
          rank: String(row.rank) + (row.shared ? " (đồng hạng)" : ""),
          code: row.code,
          name: row.name,
          groups: standardGroups.map((g) => formatPoints(row.groupTotals.find((t) => t.code === g.code)?.total ?? 0)),
          bonus: formatPoints(row.bonusTotal),
          deductions: formatPoints(row.deductionTotal),
          total: formatPoints(row.total),
          classification: CLASSIFICATION_LABELS[row.classification],
          discipline: row.disciplineFlag ? (row.disciplineReason ?? "Có vi phạm kỷ luật") : null,
          votes: voteOf(row.agencyId),
          proposal: status?.award ? AWARD_LABELS[status.award] : null,
          reasons: status && !status.award ? status.reasons : [],
        };
      }),
      unranked: result.ranking.unranked.map((row) => ({
        code: row.code,
        name: row.name,
        total: formatPoints(row.total),
        reason: row.reason,
      })),
      meeting: data.meeting ? { heldOn: data.meeting.heldOn, place: data.meeting.place, validBallots: data.meeting.validBallots } : null,
      rules: rulesText(ctx.year.rules),
    };
  }

  /** The year as a user may see its ranking: bloc readers always; a bloc's clerks once it is published. */
  async function openRanking(user: User, blocCode: string, year: number): Promise<YearContext> {
    const ctx = await years.open(user, blocCode, year);
    if (user.role === "clerk" && ctx.year.rankingPublishedAt === null) throw new NotFoundError();
    return ctx;
  }

  return {
    compute,
    /** The ranking page's view model: ranked rows, unranked rows with their reason, the rules in force. */
    async page(user: User, blocCode: string, year: number) {
      return viewModel(await compute(await openRanking(user, blocCode, year)));
    },
    /** The rows of ranking.json. */
    async rows(user: User, blocCode: string, year: number): Promise<RankingExportRow[]> {
      return exportRows(await compute(await openRanking(user, blocCode, year)));
    },
    /** The rows for the CLI (no user: whoever runs the CLI has the database). */
    async rowsForCli(blocCode: string, year: number): Promise<RankingExportRow[]> {
      return exportRows(await compute(await years.load(blocCode, year)));
    },
  };
}

export type RankingService = ReturnType<typeof rankingService>;
