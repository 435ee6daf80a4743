import type { User } from "../auth/users-repo.js";
import { NotFoundError } from "../errors.js";
import { formatDate, localDate } from "../lib/dates.js";
import { bloc, can, hasRight } from "../auth/access.js";
import { joinReasons } from "../lib/text.js";
import {
  AWARD_LABELS,
  CLASSIFICATION_LABELS,
  explainAgency,
  formatPoints,
  lateReports,
  scoreYear,
  toHundredths,
  type AgencyYearInput,
  type Award,
  type Explanation,
  type RuleSet,
  type SheetStatus,
  type YearInput,
  type YearResult,
} from "../scoring/index.js";
import { messages as scoringMessages } from "../scoring/messages.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import { noYearCache, type ComputedYearCache } from "../years/year-cache.js";
import type { BallotMeeting, RankingRepo, YearData } from "./ranking-repo.js";

/** One year scored live: the raw data, the scoring input per agency and the result of the rules. */
export interface YearComputation {
  ctx: YearContext;
  data: YearData;
  inputs: AgencyYearInput[];
  result: YearResult;
}

/**
 * A scored ranking with everything its outputs need: the scoring input (agencies with their names,
 * entries and late reports; criteria; ballots; the meeting's tie decisions), the rules in force, the
 * result and the meeting. Stored whole at the meeting and at publication (`ranking_snapshots`), so a
 * stored one never changes when rules, criteria or names change later.
 */
export interface RankingState {
  source: "live" | "meeting" | "published";
  /** ISO instant the snapshot was taken (null: live). */
  takenAt: string | null;
  rules: RuleSet;
  input: YearInput;
  result: YearResult;
  meeting: BallotMeeting | null;
}

/** The row contract of ranking.json and of the CLI's json/csv output. */
export interface RankingExportRow {
  rank: number | null;
  agency: string;
  name: string;
  /** Ranked: the total. Unranked: the provisional total of its sheet (`provisional`), or null with no sheet. */
  total: number | null;
  provisional: boolean;
  classification: string | null;
  proposal: string | null;
  reason: string | null;
}

const messages = scoringMessages.proposals;

/** Who sees the free text of a disciplinary flag: the secretariat, the leader, the province's board. */
export const seesDisciplineDetails = (user: User | null) => user === null || hasRight(user, "bloc.overview");

/** The award status reasons as a reader may read them: members (details false) see discipline without its details. */
function reasonsFor(reasons: readonly string[], disciplineReason: string | null, details: boolean): string[] {
  if (details || !disciplineReason) return [...reasons];
  const detailed = messages.discipline(disciplineReason);
  return reasons.map((r) => (r === detailed ? messages.discipline(null) : r));
}

/** A short signature of a result: who stands where with what, and who is proposed for what. */
function signature(state: RankingState): string {
  const ranked = state.result.ranking.ranked.map((r) => `${r.agencyId}:${r.rank}:${toHundredths(r.total)}:${r.classification}`).sort();
  const awards = state.result.proposals.proposals.map((p) => `${p.award}:${p.agencyId}`).sort();
  return JSON.stringify([ranked, awards]);
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
    `Thang điểm ${formatPoints(rules.scale)}; điểm thưởng tính tối đa ${formatPoints(rules.bonusCap)} điểm; mỗi báo cáo gửi chậm trừ ${formatPoints(rules.lateReportPoints)} điểm; khi bảng điểm đã được thẩm định, báo cáo đã quá hạn mà chưa gửi tính như một báo cáo gửi chậm.`,
    `Xếp loại: từ ${formatPoints(t.excellent)} điểm: ${CLASSIFICATION_LABELS.excellent}; từ ${formatPoints(t.good)} điểm: ${CLASSIFICATION_LABELS.good}; từ ${formatPoints(t.pass)} điểm: ${CLASSIFICATION_LABELS.pass}; dưới ${formatPoints(t.pass)} điểm: ${CLASSIFICATION_LABELS.fail}.`,
    `Đơn vị có vi phạm kỷ luật vượt mức cho phép: xếp loại tối đa ${CLASSIFICATION_LABELS[rules.disciplineCap]}.`,
    rules.requiredReviewed
      ? "Chỉ xếp hạng đơn vị có bảng chấm điểm đã được Khối thẩm định."
      : "Xếp hạng đơn vị có bảng chấm điểm đã gửi.",
    "Khi bằng điểm: xếp trên đơn vị có điểm nhóm I cao hơn, rồi đơn vị bị trừ ít điểm hơn, rồi đơn vị gửi bảng điểm sớm hơn.",
    "Khi vẫn bằng nhau sau mọi tiêu chí phụ ở suất cuối của một danh hiệu: đồng hạng — Hội nghị quyết định; không đơn vị nào được chọn theo tên, mã hay thứ tự nhập.",
    award("flag"),
    award("merit"),
    rules.allowSelfVote
      ? "Tỷ lệ phiếu tính trên tổng số phiếu hợp lệ."
      : "Đơn vị không được tự bỏ phiếu cho mình: tỷ lệ phiếu tính trên số phiếu hợp lệ của các đơn vị khác.",
    rules.objectionDays > 0
      ? `Sau khi công bố, các cơ quan, đơn vị thành viên gửi kiến nghị trong ${rules.objectionDays} ngày; kết quả chính thức khi hết thời hạn và mọi kiến nghị đã được trả lời.`
      : "Không nhận kiến nghị sau khi công bố: kết quả chính thức ngay khi công bố.",
  ];
}

export function rankingService(deps: { repo: RankingRepo; years: YearsService; cache?: ComputedYearCache; now?: () => Date }) {
  const { repo, years } = deps;
  const cache = deps.cache ?? noYearCache;
  const now = deps.now ?? (() => new Date());
  /** The live ranking depends on the date as well as the rows: a missing report counts once it is overdue. */
  const today = () => localDate(now());
  /** A memo key for what is built from the live ranking: kept per revision of the year and per day. */
  const perDay = (key: string, day = today()) => `${key}:${day}`;

  /**
   * The year scored live, once per revision of the year and day (issue 16): the sheets pages, the ranking
   * and the dashboard share it. Shared between requests: read only.
   */
  const compute = (ctx: YearContext): Promise<YearComputation> => {
    const day = today();
    return cache.memo(ctx.year.id, ctx.year.revision, perDay("computation", day), () => computeNow(ctx, day));
  };

  /** Loads and scores a year live on `day` (a fixed number of queries, whatever the number of agencies). */
  async function computeNow(ctx: YearContext, day: string): Promise<YearComputation> {
    const data = await repo.loadYear({
      id: ctx.year.id,
      registrationDueOn: ctx.year.registrationDueOn,
      agencyIds: ctx.agencies.map((a) => a.id),
    });
    const inputs: AgencyYearInput[] = ctx.agencies.map((agency) => {
      const sheet = data.sheets.find((s) => s.agencyId === agency.id);
      const status: SheetStatus = sheet ? sheet.status : "none";
      // Once the sheet is reviewed, a report never sent counts as a late one once overdue (scoring-rules.md).
      const late = lateReports(
        data.deliverables.get(agency.id) ?? [],
        status === "reviewed" ? { missingCountsAsLate: true, today: day } : { missingCountsAsLate: false },
      );
      return {
        agencyId: agency.id,
        code: agency.code,
        name: agency.name,
        sheetStatus: status,
        sheetSubmittedAt: sheet?.submittedAt ? new Date(sheet.submittedAt).toISOString() : null,
        disciplineFlag: sheet?.disciplineFlag ?? false,
        disciplineReason: sheet?.disciplineReason ?? null,
        entries: sheet?.entries ?? [],
        lateReports: late.length,
        lateReportCauses: late,
      };
    });
    const ballots = data.votes.filter((v) => ctx.agencies.some((a) => a.id === v.agencyId));
    const result = scoreYear({ agencies: inputs, criteria: data.criteria, ballots, decisions: data.decisions }, ctx.year.rules);
    return { ctx, data, inputs, result };
  }

  async function liveState(ctx: YearContext): Promise<RankingState> {
    const { data, inputs, result } = await compute(ctx);
    const ballots = data.votes.filter((v) => ctx.agencies.some((a) => a.id === v.agencyId));
    return {
      source: "live",
      takenAt: null,
      rules: ctx.year.rules,
      input: { agencies: inputs, criteria: data.criteria, ballots, decisions: data.decisions },
      result,
      meeting: data.meeting,
    };
  }

  /** THE read path of every ranking output: the published snapshot once published, else live. */
  // Issue 16: the stored and the live ranking are read/scored once per revision of the year, whatever
  // page (ranking, print, PDF, XLSX, CSV, JSON, dashboard) asks; the cached states are shared: read only.
  async function state(ctx: YearContext): Promise<RankingState> {
    if (ctx.year.rankingPublishedAt !== null) {
      const stored = await cache.memo(ctx.year.id, ctx.year.revision, "snapshot:published", () => repo.snapshot(ctx.year.id, "published"));
      if (stored) return stored;
    }
    return cache.memo(ctx.year.id, ctx.year.revision, perDay("live"), () => liveState(ctx));
  }

  /** The ranking as it stood when the meeting's ballot (or tie decision) was last recorded. */
  const meetingState = (ctx: YearContext) => cache.memo(ctx.year.id, ctx.year.revision, "snapshot:meeting", () => repo.snapshot(ctx.year.id, "meeting"));

  function exportRows(st: RankingState, user: User | null): RankingExportRow[] {
    const { ranking, proposals } = st.result;
    return [
      ...ranking.ranked.map((row) => {
        const status = proposals.byAgency[row.agencyId];
        const reasons = status ? reasonsFor(status.reasons, row.disciplineReason, seesDisciplineDetails(user)) : [];
        return {
          rank: row.rank,
          agency: row.code,
          name: row.name,
          total: row.total,
          provisional: false,
          classification: CLASSIFICATION_LABELS[row.classification],
          proposal: status?.award ? AWARD_LABELS[status.award] : null,
          reason: status && !status.award && reasons.length ? joinReasons(reasons) : null,
        };
      }),
      ...ranking.unranked.map((row) => ({
        rank: null,
        agency: row.code,
        name: row.name,
        total: row.sheetStatus === "none" ? null : row.total,
        provisional: row.sheetStatus !== "none",
        classification: null,
        proposal: null,
        reason: row.reason,
      })),
    ];
  }

  function viewModel(ctx: YearContext, st: RankingState, details: boolean, meeting: RankingState | null) {
    const { result, input } = st;
    const standardGroups = input.criteria.filter((c) => c.parentId === null && c.kind === "standard");
    const nameOf = (agencyId: number) => input.agencies.find((a) => a.agencyId === agencyId)?.name ?? "";
    const voteOf = (agencyId: number) => {
      const v = input.ballots.find((x) => x.agencyId === agencyId);
      return v ? `${v.votesFor}/${v.validBallots}` : "—";
    };
    return {
      ctx,
      year: ctx.year.year,
      published: ctx.year.rankingPublishedAt !== null,
      source: st.source,
      /** The day (Vietnam time) the shown result was stored, dd/mm/yyyy; null when live. */
      takenOn: st.takenAt ? formatDate(localDate(new Date(st.takenAt))) : null,
      groupHeaders: standardGroups.map((g) => ({ code: g.code, title: g.title })),
      ranked: result.ranking.ranked.map((row) => {
        const status = result.proposals.byAgency[row.agencyId];
        return {
          agencyId: row.agencyId,
          rank: String(row.rank) + (row.shared ? " (đồng hạng)" : ""),
          code: row.code,
          name: row.name,
          href: `${ctx.basePath}/ranking/${encodeURIComponent(row.code)}`,
          groups: standardGroups.map((g) => formatPoints(row.groupTotals.find((t) => t.code === g.code)?.total ?? 0)),
          bonus: formatPoints(row.bonusTotal),
          deductions: formatPoints(row.deductionTotal),
          /** Reports never sent that count as late (scoring-rules.md): the page names them. */
          missingReports: (input.agencies.find((a) => a.agencyId === row.agencyId)?.lateReportCauses ?? []).filter((c) => c.submittedOn === null).map((c) => c.label),
          total: formatPoints(row.total),
          classification: CLASSIFICATION_LABELS[row.classification],
          discipline: row.disciplineFlag ? (details && row.disciplineReason ? row.disciplineReason : "") : null,
          votes: voteOf(row.agencyId),
          proposal: status?.award ? AWARD_LABELS[status.award] : null,
          pendingTie: status?.pendingTie ? messages.tiePending(status.pendingTie) : null,
          // The pending tie is shown on its own line: not again among the reasons.
          reasons: status && !status.award ? reasonsFor(status.reasons, row.disciplineReason, details).filter((r) => !status.pendingTie || r !== messages.tiePending(status.pendingTie)) : [],
          reasonsText: status && !status.award ? joinReasons(reasonsFor(status.reasons, row.disciplineReason, details).filter((r) => !status.pendingTie || r !== messages.tiePending(status.pendingTie))) : "",
        };
      }),
      unranked: result.ranking.unranked.map((row) => ({
        code: row.code,
        name: row.name,
        href: `${ctx.basePath}/ranking/${encodeURIComponent(row.code)}`,
        total: row.sheetStatus === "none" ? "—" : formatPoints(row.total),
        reason: row.reason,
      })),
      ties: result.proposals.ties.map((t) => ({
        award: t.award,
        awardLabel: AWARD_LABELS[t.award],
        rank: t.rank,
        places: t.places,
        agencies: t.agencyIds.map((id) => ({ id, name: nameOf(id) })),
        decision: t.decision ? { chosen: t.decision.chosenAgencyIds.map(nameOf), reason: t.decision.reason } : null,
      })),
      meeting: st.meeting,
      /** Points or proposals changed since the meeting: the results now differ from the meeting's. */
      differsFromMeeting: meeting !== null && signature(meeting) !== signature(st),
      meetingHeldOn: meeting?.meeting ? formatDate(meeting.meeting.heldOn) : null,
      rules: rulesText(st.rules),
    };
  }

  /** The year as a user may see its ranking: bloc readers always; a bloc's clerks once it is published. */
  async function openRanking(user: User, blocCode: string, year: number): Promise<YearContext> {
    const ctx = await years.open(user, blocCode, year);
    if (!can(user, ctx.year.rankingPublishedAt === null ? "ranking.read" : "ranking.readPublished", { kind: "bloc", blocId: ctx.bloc.id })) throw new NotFoundError();
    return ctx;
  }

  /** The same state with other ballots, meeting or tie decisions, scored again (no database). */
  function rescore(st: RankingState, changes: Partial<Pick<YearInput, "ballots" | "decisions">> & { meeting?: BallotMeeting | null }): RankingState {
    const input: YearInput = { ...st.input, ...(changes.ballots ? { ballots: changes.ballots } : {}), ...(changes.decisions ? { decisions: changes.decisions } : {}) };
    return { ...st, input, result: scoreYear(input, st.rules), meeting: changes.meeting === undefined ? st.meeting : changes.meeting };
  }

  return {
    compute,
    perDay,
    liveState,
    rescore,
    state,
    meetingState,
    /**
     * For a clerk of the bloc before publication: the year, so the page can say the ranking is
     * not yet published (instead of a bare 404). Null for everyone who may see the ranking.
     */
    async waitingForPublication(user: User, blocCode: string, year: number): Promise<YearContext | null> {
      const ctx = await years.open(user, blocCode, year);
      const waits = ctx.year.rankingPublishedAt === null && !can(user, "ranking.read", bloc(ctx.bloc.id)) && can(user, "ranking.readPublished", bloc(ctx.bloc.id));
      return waits ? ctx : null;
    },
    /**
     * The ranking page's view model: ranked rows, unranked rows with their reason, the rules in force.
     * `as: "meeting"` gives the ranking as it stood at the meeting (the minutes), when one is stored;
     * `as: "document"` the published one once published, else the meeting's (the proposal letter).
     */
    async page(user: User, blocCode: string, year: number, opts: { as?: "current" | "meeting" | "document" } = {}) {
      const ctx = await openRanking(user, blocCode, year);
      const meeting = await meetingState(ctx);
      const published = ctx.year.rankingPublishedAt !== null;
      const chosen =
        opts.as === "meeting" ? (meeting ?? (await state(ctx))) : opts.as === "document" && !published ? (meeting ?? (await state(ctx))) : await state(ctx);
      // Built from the year's rows (and whether the reader sees discipline details): once per revision and day,
      // shared between requests and read only, like the states it is built from (issue 16). The bloc is not a
      // row of the year: its URL is part of the key and its context is this request's.
      const details = seesDisciplineDetails(user);
      const key = perDay(`ranking-view:${opts.as ?? "current"}:${details}:${ctx.basePath}`);
      const rows = await cache.memo(ctx.year.id, ctx.year.revision, key, async () => viewModel(ctx, chosen, details, meeting));
      return { ...rows, ctx };
    },
    /** The rows of ranking.json / CSV / XLSX and the dashboard. */
    async rows(user: User, blocCode: string, year: number): Promise<RankingExportRow[]> {
      const ctx = await openRanking(user, blocCode, year);
      return exportRows(await state(ctx), user);
    },
    /** The rows for the CLI (no user: whoever runs the CLI has the database). */
    async rowsForCli(blocCode: string, year: number): Promise<RankingExportRow[]> {
      return exportRows(await state(await years.load(blocCode, year)), null);
    },
    /**
     * "Why this rank" for one agency: the secretariat, leader and observer always; clerks once the
     * ranking is published (any agency of their bloc then).
     */
    async explain(user: User, blocCode: string, year: number, agencyCode: string): Promise<{ ctx: YearContext; st: RankingState; explanation: Explanation; details: boolean }> {
      const ctx = await openRanking(user, blocCode, year);
      const st = await state(ctx);
      const agency = st.input.agencies.find((a) => a.code === agencyCode);
      const explanation = agency ? explainAgency(st.input, st.result, st.rules, agency.agencyId) : null;
      if (!explanation) throw new NotFoundError();
      const details = seesDisciplineDetails(user);
      const disciplineReason = agency?.disciplineReason ?? null;
      return { ctx, st, explanation: { ...explanation, reasons: reasonsFor(explanation.reasons, disciplineReason, details) }, details };
    },
  };
}

export type RankingService = ReturnType<typeof rankingService>;
