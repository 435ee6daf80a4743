import type { User } from "../auth/users-repo.js";
import { agencyRecord, authorize, bloc as blocTarget, can } from "../auth/access.js";
import type { Bloc, BlocsRepo } from "../blocs/blocs-repo.js";
import { NotFoundError } from "../errors.js";
import { localDate } from "../lib/dates.js";
import { RANKING_STAGE_LABELS, rankingStage } from "../ranking/ranking-results.js";
import { AWARD_LABELS, AWARDS, CLASSIFICATION_LABELS, formatPoints, type Award } from "../scoring/index.js";
import { historyChart } from "./history-chart.js";
import { blocHeader } from "../blocs/bloc-header.js";
import { revisionsKey, type RevisionKeyedCache } from "../years/year-cache.js";
import type { HistoryRow, ProvinceRepo, ResultRow } from "./province-repo.js";
import type { DocTable, OfficialDocument } from "../documents/document-model.js";
import { BLANK_DATE } from "../documents/documents-service.js";

/** The scale of the year-over-year charts (the portal's sheets are out of 100). */
const SCALE = 100;

const PERIOD_LABELS: Record<string, string> = { six_month: "Sơ kết 6 tháng", annual: "Tổng kết năm", quarter: "Quý", other: "Đợt" };

const votes = (r: { votesFor: number | null; validBallots: number | null }) => (r.votesFor === null || r.validBallots === null ? "—" : `${r.votesFor}/${r.validBallots}`);
const points = (v: number | null) => (v === null ? "—" : formatPoints(v));
const blocPath = (b: Bloc) => `/blocs/${encodeURIComponent(b.code)}`;

export interface ProposalsFile {
  filename: string;
  title: string;
  subtitle: string;
  lines: ProposalLine[];
}

/** One line of the consolidated proposals: the same on the page, in the .xlsx and in the .docx. */
export interface ProposalLine {
  award: Award;
  awardLabel: string;
  agency: string;
  agencyCode: string;
  bloc: string;
  blocCode: string;
  rank: number | null;
  total: string;
  /** The total as a number, for the workbook (null: none). */
  totalValue: number | null;
  classification: string;
  votes: string;
}

export function provinceService(deps: { repo: ProvinceRepo; blocs: BlocsRepo; now: () => Date; cache: RevisionKeyedCache }) {
  const { repo, blocs, now, cache } = deps;

  /** The blocs the user may read as a whole (an observer: those given to it; the admin: all), in their order. */
  async function visibleBlocs(user: User): Promise<Bloc[]> {
    authorize(user, "province.read");
    // The list the page header read with the session (no query of its own).
    return (await blocHeader(blocs, user.id)).blocs.filter((b) => can(user, "bloc.overview", blocTarget(b.id)));
  }

  /**
   * The repo's reads over a set of blocs' years, cached under those years' revisions (issue 20): the page
   * reads the revisions (one light query) and the rest only when some year of those blocs has changed.
   */
  async function yearsOf(blocIds: number[]) {
    const key = revisionsKey(await repo.revisions(blocIds));
    const memo = <T>(name: string, args: unknown[], load: () => Promise<T>) => cache.memo(`province:${name}:${JSON.stringify(args)}:${key}`, load);
    return {
      /** Names these blocs' years at their revisions: part of the key of anything made from their rows. */
      key,
      years: (year: number) => memo("years", [blocIds, year], () => repo.years(blocIds, year)),
      periods: (yearIds: number[], today: string) => memo("periods", [yearIds, today], () => repo.periods(yearIds, today)),
      published: (yearIds: number[], award: Award | null) => memo("published", [yearIds, award], () => repo.published(yearIds, award)),
    };
  }

  /** The consolidated list: every visible bloc's published proposals, flag first, then bloc order, then rank. */
  function proposalLines(list: Bloc[], years: { id: number; blocId: number }[], rows: ResultRow[]): ProposalLine[] {
    const blocOfYear = new Map(years.map((y) => [y.id, list.find((b) => b.id === y.blocId)!]));
    const order = new Map(list.map((b, i) => [b.id, i]));
    return rows
      .filter((r) => r.award !== null && blocOfYear.has(r.yearId))
      .sort((a, b) => AWARDS.indexOf(a.award!) - AWARDS.indexOf(b.award!) || order.get(blocOfYear.get(a.yearId)!.id)! - order.get(blocOfYear.get(b.yearId)!.id)! || (a.rank ?? 0) - (b.rank ?? 0) || a.agencyId - b.agencyId)
      .map((r) => {
        const b = blocOfYear.get(r.yearId)!;
        return {
          award: r.award!, awardLabel: AWARD_LABELS[r.award!], agency: r.name, agencyCode: r.code, bloc: b.name, blocCode: b.code,
          rank: r.rank, total: points(r.total), totalValue: r.total, classification: r.classification ? CLASSIFICATION_LABELS[r.classification] : "—", votes: votes(r),
        };
      });
  }

  /** The published proposals of `year` across the user's blocs (the page's list and both exports). */
  async function consolidated(user: User, year: number, award: Award | null) {
    const list = await visibleBlocs(user);
    const read = await yearsOf(list.map((b) => b.id));
    const all = (await read.years(year)).years;
    const years = all.filter((y) => rankingStage(y, now()) !== "open");
    return { list, all, years, lines: proposalLines(list, years, (await read.published(years.map((y) => y.id), award)).proposals) };
  }

  /** The province page's view from the blocs' years (`page` keeps it). */
  async function pageOf(list: Bloc[], read: Awaited<ReturnType<typeof yearsOf>>, year: number, award: Award | null, at: Date) {
    const today = localDate(at);
    const { numbers: yearNumbers, years } = await read.years(year);
    const published = years.filter((y) => rankingStage(y, at) !== "open");
    const [periods, { ranked, proposals }] = [await read.periods(years.map((y) => y.id), today), await read.published(published.map((y) => y.id), award)];
    const lines = proposalLines(list, published, proposals);
    const rows = list.map((b) => {
      const y = years.find((x) => x.blocId === b.id);
      const base = `${blocPath(b)}/years/${year}`;
      if (!y) return { code: b.code, name: b.name, hasYear: false as const, historyHref: `${blocPath(b)}/history` };
      const closed = y.closedAt !== null;
      const stage = rankingStage(y, at);
      return {
        code: b.code,
        name: b.name,
        hasYear: true as const,
        href: `${base}/dashboard`,
        rankingHref: `${base}/ranking`,
        historyHref: `${blocPath(b)}/history`,
        agencies: y.agencies,
        closed,
        periods: periods
          .filter((p) => p.yearId === y.id)
          .map((p) => ({
            label: p.title ?? PERIOD_LABELS[p.kind] ?? `Đợt ${p.number}`,
            sent: p.sent,
            agencies: p.agencies,
            complete: p.agencies > 0 && p.sent === p.agencies,
            percent: p.agencies ? Math.round((p.sent * 100) / p.agencies) : 0,
            late: p.late,
            // A closed year has nothing overdue (the dashboard's rule, src/dashboard/completeness.ts).
            overdue: closed ? 0 : p.overdue,
            href: `${base}/periods/${p.number}/reports`,
          })),
        sheets: { reviewed: y.sheetsReviewed, waiting: y.sheetsWaiting, agencies: y.agencies },
        stage,
        stageLabel: RANKING_STAGE_LABELS[stage],
        ranked: ranked.get(y.id) ?? null,
        proposals: lines.filter((l) => l.blocCode === b.code).length,
      };
    });
    const query = award ? `?award=${award}` : "";
    return {
      year,
      years: yearNumbers.map((n) => ({ year: n, href: `/province/${n}${query}`, current: n === year })),
      blocs: rows,
      counts: { blocs: list.length, withYear: years.length, published: published.length },
      award,
      awards: AWARDS.map((a) => ({ value: a, label: AWARD_LABELS[a] })),
      proposals: lines,
      xlsxHref: `/province/${year}/proposals.xlsx${query}`,
      docxHref: `/province/${year}/proposals.docx${query}`,
    };
  }

  return {
    /**
     * `/province/<year>`: every bloc the user may see with its year's state (periods' completeness and
     * lateness, sheets reviewed, ranking stage) and the consolidated published proposals. A fixed number
     * of queries whatever the number of blocs; published results are read as stored, never rescored.
     */
    async page(user: User, year: number, award: Award | null) {
      const list = await visibleBlocs(user);
      const read = await yearsOf(list.map((b) => b.id));
      const at = now();
      const today = localDate(at);
      // Kept while the blocs shown (with their names), their years' revisions and the day are the same
      // (issue 16): the same object each time, so its tables are rendered once (routes.ts). The stages
      // change by the day (the objection window ends with a day), nothing else varies with the clock.
      const blocs = JSON.stringify(list.map((b) => [b.id, b.code, b.name]));
      return cache.memo(`province:page:${year}:${award}:${today}:${blocs}:${read.key}`, () => pageOf(list, read, year, award, at));
    },

    /** The year `/province` opens: the latest with a published ranking in the user's blocs, else the latest, else this year. */
    async defaultYear(user: User): Promise<number> {
      const list = await visibleBlocs(user);
      const { numbers } = await repo.years(list.map((b) => b.id), 0);
      const published = await repo.latestPublishedYear(list.map((b) => b.id));
      return published ?? numbers[0] ?? Number(localDate(now()).slice(0, 4));
    },

    /** proposals.xlsx: the page's consolidated list, row for row. */
    async proposalsFile(user: User, year: number, award: Award | null): Promise<ProposalsFile> {
      const { lines, list, years } = await consolidated(user, year, award);
      return {
        filename: `de-nghi-khen-thuong-toan-tinh-${year}${award ? `-${award}` : ""}`,
        title: `TỔNG HỢP ĐỀ NGHỊ KHEN THƯỞNG NĂM ${year} CỦA CÁC KHỐI, CỤM THI ĐUA`,
        subtitle: `${award ? AWARD_LABELS[award] : "Cờ thi đua và Bằng khen"} · ${years.length}/${list.length} khối, cụm đã công bố kết quả`,
        lines,
      };
    },

    /**
     * proposals.docx: the board's summary for the provincial council, as an administrative document
     * (Nghị định 30/2020) with the same lines as the page, one table per award. DỰ THẢO while a bloc of
     * the user's has not published its ranking of the year.
     */
    async proposalsDocument(user: User, year: number, award: Award | null): Promise<{ doc: OfficialDocument; filename: string; lines: ProposalLine[] }> {
      const { lines, list, years, all: allYears } = await consolidated(user, year, award);
      const first = list[0];
      const table = (rows: ProposalLine[], caption: string): DocTable => ({
        caption,
        columns: [
          { label: "STT", align: "center", width: 6 },
          { label: "Cơ quan, đơn vị", align: "left", width: 30 },
          { label: "Khối, cụm thi đua", align: "left", width: 26 },
          { label: "Hạng", align: "center", width: 7 },
          { label: "Tổng điểm", align: "right", width: 10 },
          { label: "Xếp loại", align: "left", width: 14 },
          { label: "Số phiếu", align: "center", width: 9 },
        ],
        rows: rows.map((l, i) => [String(i + 1), l.agency, l.bloc, l.rank === null ? "—" : String(l.rank), l.total, l.classification, l.votes]),
      });
      const awards = (award ? [award] : [...AWARDS]).map((a) => ({ a, rows: lines.filter((l) => l.award === a) }));
      const waiting = list.filter((b) => !years.some((y) => y.blocId === b.id) && allYears.some((y) => y.blocId === b.id));
      const doc: OfficialDocument = {
        title: `Tổng hợp đề nghị khen thưởng năm ${year}`,
        issuingBody: (first?.issuingBody ?? "").toLocaleUpperCase("vi"),
        issuer: "BAN THI ĐUA – KHEN THƯỞNG",
        symbol: "Số:      /BC-BTĐKT",
        placeDate: `${first?.placeName ?? ""}, ${BLANK_DATE}`,
        draft: waiting.length > 0,
        kind: "BÁO CÁO",
        summary: `Tổng hợp đề nghị khen thưởng thành tích thi đua năm ${year} của các khối, cụm thi đua`,
        addressee: "Kính gửi: Hội đồng Thi đua – Khen thưởng tỉnh",
        sections: [
          {
            paragraphs: [
              `Căn cứ kết quả chấm điểm, xếp hạng và bình xét thi đua năm ${year} đã được các khối, cụm thi đua công bố, Ban Thi đua – Khen thưởng tổng hợp đề nghị khen thưởng của ${years.length}/${list.length} khối, cụm thi đua như sau:`,
              ...(waiting.length ? [`Các khối, cụm chưa công bố kết quả: ${waiting.map((b) => b.name).join("; ")}.`] : []),
            ],
          },
          ...awards.map(({ a, rows }, i) => ({
            heading: `${i + 1}. ${AWARD_LABELS[a]}: ${rows.length} tập thể`,
            paragraphs: rows.length ? [] : ["Không có tập thể được đề nghị."],
            table: rows.length ? table(rows, AWARD_LABELS[a]) : undefined,
          })),
          { paragraphs: ["Ban Thi đua – Khen thưởng kính trình Hội đồng Thi đua – Khen thưởng tỉnh xem xét, trình Chủ tịch Ủy ban nhân dân tỉnh khen thưởng./."] },
        ],
        recipients: ["Như trên;", "Các khối, cụm thi đua;", "Lưu: VT, TĐKT."],
        signers: [{ role: "TRƯỞNG BAN", subtitle: null, title: null, name: "" }],
      };
      return { doc, filename: `tong-hop-de-nghi-khen-thuong-${year}${award ? `-${award}` : ""}`, lines };
    },

    /**
     * An agency's published results across years (any bloc it was in that the user may read), with the
     * self-scoring gap for the secretariat, leader, observer and admin. Clerks: their own agency only, no gap.
     */
    async agencyHistory(user: User, code: string) {
      const agency = await repo.agency(code);
      if (!agency) throw new NotFoundError();
      const readable = (blocId: number) => can(user, "agency.read", agencyRecord({ agencyId: agency.id, blocId }));
      if (!agency.blocIds.some(readable)) throw new NotFoundError();
      const all = await blocs.list();
      const rows = (await repo.agencyHistory(agency.id)).filter((r) => readable(r.blocId));
      const showGap = agency.blocIds.some((blocId) => readable(blocId) && can(user, "history.selfGap", blocTarget(blocId)));
      const blocName = (id: number) => all.find((b) => b.id === id)?.name ?? "";
      const years = rows.map((r) => yearLine(r, blocName(r.blocId), `/blocs/${encodeURIComponent(all.find((b) => b.id === r.blocId)?.code ?? "")}/years/${r.year}/ranking/${encodeURIComponent(r.code)}`));
      const gaps = rows.filter(hasGap).map((r) => r.selfTotal! - r.total!);
      return {
        agency: { code: agency.code, name: rows.at(-1)?.name ?? agency.name },
        years,
        chart: historyChart(
          rows.map((r) => ({
            label: `${r.year} · ${r.rank === null ? "không xếp hạng" : `hạng ${r.rank}/${r.rankedCount}`}`,
            value: r.total,
            muted: r.rank === null,
            text: r.total === null ? "chưa có bảng điểm" : `${formatPoints(r.total)}${r.reviewed ? "" : " (chưa thẩm định)"}${showGap && hasGap(r) ? ` (tự chấm ${formatPoints(r.selfTotal!)})` : ""}`,
          })),
          SCALE,
        ),
        gap: showGap ? gapSummary(gaps) : null,
        showGap,
      };
    },

    /** A bloc's published results across its years: every agency's rank and total per year, and each year's state. */
    async blocHistory(user: User, blocCode: string) {
      const bloc = await blocs.findByCode(blocCode);
      if (!bloc) throw new NotFoundError();
      authorize(user, "ranking.readPublished", blocTarget(bloc.id));
      const [yearList, rows] = [await repo.blocYears(bloc.id), await repo.blocHistory(bloc.id)];
      const showGap = can(user, "history.selfGap", blocTarget(bloc.id));
      const years = yearList.map((y) => ({ year: y.year, stageLabel: RANKING_STAGE_LABELS[rankingStage(y, now())], published: rankingStage(y, now()) !== "open", href: `${blocPath(bloc)}/years/${y.year}/ranking` }));
      const codes = [...new Set(rows.map((r) => r.code))];
      const agencies = codes
        .map((code) => {
          const mine = rows.filter((r) => r.code === code);
          const last = mine.at(-1)!;
          const gaps = mine.filter(hasGap).map((r) => r.selfTotal! - r.total!);
          return {
            code,
            name: last.name,
            href: `/agencies/${encodeURIComponent(code)}/history`,
            cells: years.map((y) => {
              const r = mine.find((x) => x.year === y.year);
              if (!r) return null;
              return {
                rank: r.rank === null ? null : String(r.rank),
                total: r.total === null ? "chưa có bảng điểm" : `${formatPoints(r.total)}${r.rank === null ? " (tạm tính)" : ""}`,
                classification: r.classification ? CLASSIFICATION_LABELS[r.classification] : "",
                award: r.award ? AWARD_LABELS[r.award] : "",
              };
            }),
            gap: showGap ? gapSummary(gaps) : null,
            lastRank: last.rank ?? Number.MAX_SAFE_INTEGER,
          };
        })
        .sort((a, b) => a.lastRank - b.lastRank || a.name.localeCompare(b.name, "vi"));
      const perYear = years.filter((y) => y.published).map((y) => {
        const ranked = rows.filter((r) => r.year === y.year && r.rank !== null && r.total !== null);
        const mean = ranked.length ? ranked.reduce((s, r) => s + r.total!, 0) / ranked.length : null;
        return { label: `${y.year} · ${ranked.length} đơn vị xếp hạng`, value: mean, text: mean === null ? "không có đơn vị xếp hạng" : `bình quân ${formatPoints(mean)}` };
      });
      return { bloc: { code: bloc.code, name: bloc.name }, years, agencies, chart: historyChart(perYear, SCALE), showGap };
    },
  };

  function yearLine(r: HistoryRow, blocName: string, href: string) {
    return {
      year: r.year,
      bloc: blocName,
      href,
      rank: r.rank === null ? "Không xếp hạng" : `${r.rank}/${r.rankedCount}`,
      total: points(r.total),
      selfTotal: points(r.selfTotal),
      gap: hasGap(r) ? signed(r.selfTotal! - r.total!) : r.total === null ? "—" : "chưa thẩm định",
      high: hasGap(r) && r.selfTotal! - r.total! > 0,
      classification: r.classification ? CLASSIFICATION_LABELS[r.classification] : "—",
      award: r.award ? AWARD_LABELS[r.award] : "—",
      votes: votes(r),
    };
  }
}

/** The gap counts where the bloc reviewed the sheet: before, its total is the agency's own points. */
const hasGap = (r: ResultRow) => r.reviewed && r.selfTotal !== null && r.total !== null;

const signed = (v: number) => (v > 0 ? `+${formatPoints(v)}` : formatPoints(v));

/** How far self-scores ran above the bloc's review: years above, the mean gap, and whether it is every year. */
export function gapSummary(gaps: number[]): { years: number; above: number; mean: string; persistent: boolean } | null {
  if (!gaps.length) return null;
  const above = gaps.filter((g) => g > 0).length;
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  return { years: gaps.length, above, mean: signed(Math.round(mean * 100) / 100), persistent: gaps.length >= 2 && above === gaps.length };
}

export type ProvinceService = ReturnType<typeof provinceService>;
