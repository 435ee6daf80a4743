import type { User } from "../auth/users-repo.js";
import { access, can } from "../auth/access.js";
import type { Bloc, BlocsRepo } from "../blocs/blocs-repo.js";
import { NotFoundError } from "../errors.js";
import { daysBetween, formatDate, formatDateTime, localDate } from "../lib/dates.js";
import { ANNUAL_DEADLINE_LABEL, DELIVERABLE_NAMES, STATE_LABELS, dueText, isIn, overdueDays as overdueOf, yearDeliverables, type DeliverableKind } from "../years/deliverables.js";
import type { RankingExportRow, RankingService } from "../ranking/ranking-service.js";
import { effectiveDueOn, formatPoints } from "../scoring/index.js";
import type { YearContext, YearsService } from "../years/years-service.js";
import type { DashboardRepo, SubmissionCell } from "./dashboard-repo.js";
import { auditActionLabel } from "../audit/audit-service.js";
import { barChartFrame, barGeometry } from "../lib/bar-chart.js";
import { noYearCache, type ComputedYearCache } from "../years/year-cache.js";


type ColumnKey = DeliverableKind;

type Submissions = Awaited<ReturnType<DashboardRepo["submissions"]>>;

interface Column {
  key: ColumnKey;
  label: string;
  dueOn: string | null;
  periodId: number | null;
  periodNumber: number | null;
}

/**
 * The part of a year's dashboard made from the year's rows and today's date: deadlines, the agencies ×
 * deliverables matrix, what is overdue and the ranking chart.
 */
function yearView(ctx: YearContext, today: string, subs: Submissions, rows: RankingExportRow[]) {
  // A closed year shows what was done; nothing of it can still be overdue (lateness stays as recorded).
  const closed = ctx.year.closedAt !== null;

  // The year's deliverables, from the one definition (src/years/deliverables.ts).
  const columns: Column[] = yearDeliverables(ctx.year, ctx.periods).map((d) => ({
    key: d.kind,
    label: DELIVERABLE_NAMES[d.kind].column,
    dueOn: d.dueOn,
    periodId: d.period?.id ?? null,
    periodNumber: d.kind === "score_sheet" ? null : (d.period?.number ?? null),
  }));
  const extensionOf = (periodId: number | null, agencyId: number) =>
    periodId === null ? null : (subs.extensions.find((e) => e.periodId === periodId && e.agencyId === agencyId)?.dueOn ?? null);
  const recordOf = (col: Column, agencyId: number): SubmissionCell | undefined =>
    col.key === "registration" ? subs.registrations.find((r) => r.agencyId === agencyId)
    : col.key === "score_sheet" ? subs.sheets.find((s) => s.agencyId === agencyId)
    : subs.reports.find((r) => r.periodId === col.periodId && r.agencyId === agencyId);

  const overdue: { agency: string; deliverable: string; dueOn: string; days: number; href: string }[] = [];
  const matrix = ctx.agencies.map((agency) => ({
    agency,
    cells: columns.map((col) => {
      const rec = recordOf(col, agency.id);
      const status = rec?.status ?? "missing";
      const extension = extensionOf(col.periodId, agency.id);
      const dueOn = col.dueOn ? effectiveDueOn(col.dueOn, extension) : null;
      const overdueDays = overdueOf({ closed, status, dueOn, today }, daysBetween);
      const href =
        col.key === "registration" ? `${ctx.basePath}/registration/${encodeURIComponent(agency.code)}`
        : col.key === "score_sheet" ? `${ctx.basePath}/sheets/${encodeURIComponent(agency.code)}`
        : `${ctx.basePath}/periods/${col.periodNumber}/reports/${encodeURIComponent(agency.code)}`;
      if (overdueDays > 0 && dueOn) overdue.push({ agency: agency.name, deliverable: col.label, dueOn: formatDate(dueOn), days: overdueDays, href });
      return {
        column: col.label,
        stateKey: status,
        label: STATE_LABELS[status] ?? status,
        date: formatDate(rec?.submittedOn ?? null),
        lateText: rec && rec.lateDays > 0 ? `chậm ${rec.lateDays} ngày` : null,
        overdueText: overdueDays > 0 ? `quá hạn ${overdueDays} ngày` : null,
        extended: extension !== null,
        href,
      };
    }),
  }));

  const deadlines = columns
    .filter((c) => c.key !== "score_sheet" && c.dueOn)
    .map((c) => {
      const due = closed ? { daysLeft: 0, text: "" } : dueText(today, c.dueOn!);
      const done = ctx.agencies.filter((a) => isIn(recordOf(c, a.id)?.status ?? "missing")).length;
      return {
        label: c.key === "annual" ? ANNUAL_DEADLINE_LABEL : c.label,
        dueOn: formatDate(c.dueOn),
        text: due.text,
        overdue: !closed && due.daysLeft < 0,
        progress: `${done}/${ctx.agencies.length} cơ quan đã gửi`,
      };
    });

  const agencyName = new Map(ctx.agencies.map((a) => [a.id, a.shortName || a.name]));
  const shortOf = new Map(ctx.agencies.map((a) => [a.code, a.shortName || a.name]));
  const scale = ctx.year.rules.scale;
  // An agency with no sheet has no total (null): its bar is empty.
  const chartRows = rows.map((r, i) => {
    const total = r.total ?? 0;
    const short = shortOf.get(r.agency) ?? r.name;
    const label = r.rank === null ? short : `${r.rank}. ${short}`;
    return {
      label,
      value: r.rank === null ? (r.total === null ? "chưa có bảng điểm" : `${formatPoints(total)} (tạm tính, không xếp hạng)`) : formatPoints(total),
      ranked: r.rank !== null,
      ...barGeometry(i, total, scale),
    };
  });

  return {
    year: ctx.year.year,
    scale,
    agencyName,
    today: formatDate(today),
    deadlines,
    columns: columns.map((c) => ({ label: c.label, dueOn: formatDate(c.dueOn) })),
    matrix,
    overdue,
    chart: {
      ...barChartFrame(rows.length),
      rows: chartRows,
      desc: rows.map((r) => (r.total === null ? `${r.name}: chưa có bảng điểm` : `${r.name}: ${formatPoints(r.total)} điểm${r.rank === null ? " (tạm tính, không xếp hạng)" : `, hạng ${r.rank}`}`)).join("; "),
    },
    published: ctx.year.rankingPublishedAt !== null,
    closed,
    closedOn: closed ? formatDate(localDate(ctx.year.closedAt!)) : null,
  };
}

export function dashboardService(deps: { repo: DashboardRepo; years: YearsService; ranking: RankingService; blocs: BlocsRepo; now: () => Date; cache?: ComputedYearCache }) {
  const { repo, years, ranking, blocs, now } = deps;
  const cache = deps.cache ?? noYearCache;

  return {
    /**
     * The secretariat's dashboard of a year: deadlines, the agencies × deliverables matrix, what is overdue,
     * the latest activity and the ranking so far. Bloc readers only (clerks: 404); read-only for everyone.
     */
    async dashboard(user: User, blocCode: string, yearNumber: number) {
      const ctx = await years.open(user, blocCode, yearNumber);
      if (!access.isBlocReader(user)) throw new NotFoundError();
      const today = localDate(now());
      // What the year's rows and today's date make (deadlines, the matrix, what is overdue, the chart): once
      // per revision and day (issue 16), shared between readers and read only; its HTML is kept with it
      // (routes.ts). The bloc is not a row of the year: its URL is part of the key.
      const rows = await ranking.rows(user, blocCode, yearNumber); // (the ranking's own access check, each time)
      const year = await cache.memo(ctx.year.id, ctx.year.revision, `dashboard:${today}:${ctx.basePath}`, async () =>
        yearView(ctx, today, await repo.submissions(ctx.year.id), rows));
      const activity = await repo.recentActivity(ctx.bloc.id, 10);
      return {
        ctx,
        year,
        activity: activity.map((a) => ({
          at: formatDateTime(a.at),
          who: a.username ?? "",
          label: auditActionLabel(a.action),
          agency: a.agencyId !== null ? (year.agencyName.get(a.agencyId) ?? "") : "",
        })),
        readOnly: !can(user, "bloc.manage", { kind: "bloc", blocId: ctx.bloc.id }),
      };
    },

    /** The blocs an observer (or admin) may see, each with its latest year's dashboard link, in one query. */
    async blocList(user: User): Promise<{ bloc: Bloc; year: number | null; href: string | null }[]> {
      const visible = (await blocs.list()).filter((b) => access.canReadBloc(user, b.id));
      const latest = await repo.latestYears(visible.map((b) => b.id));
      return visible.map((bloc) => {
        const year = latest.get(bloc.id) ?? null;
        return { bloc, year, href: year === null ? null : `/blocs/${encodeURIComponent(bloc.code)}/years/${year}/dashboard` };
      });
    },
  };
}

export type DashboardService = ReturnType<typeof dashboardService>;
export type DashboardView = Awaited<ReturnType<DashboardService["dashboard"]>>;
