import type { User } from "../auth/users-repo.js";
import { access, can } from "../auth/access.js";
import type { Bloc, BlocsRepo } from "../blocs/blocs-repo.js";
import { NotFoundError } from "../errors.js";
import { daysBetween, formatDate, formatDateTime, localDate } from "../lib/dates.js";
import type { RankingService } from "../ranking/ranking-service.js";
import { effectiveDueOn, formatPoints } from "../scoring/index.js";
import type { YearsService } from "../years/years-service.js";
import type { DashboardRepo, SubmissionCell } from "./dashboard-repo.js";
import { auditActionLabel } from "../audit/audit-service.js";


const STATE_LABELS: Record<string, string> = {
  missing: "Chưa gửi",
  draft: "Đang soạn (nháp)",
  submitted: "Đã gửi, chờ xem xét",
  returned: "Bị trả lại",
  accepted: "Đã tiếp nhận",
  reviewed: "Đã thẩm định",
};

type ColumnKey = "registration" | "six_month" | "annual" | "score_sheet";

interface Column {
  key: ColumnKey;
  label: string;
  dueOn: string | null;
  periodId: number | null;
  periodNumber: number | null;
}

/** "còn 3 ngày", "hạn là hôm nay", "đã quá hạn 2 ngày". */
function dueText(today: string, dueOn: string): { daysLeft: number; text: string } {
  const daysLeft = daysBetween(today, dueOn);
  const text = daysLeft > 0 ? `còn ${daysLeft} ngày` : daysLeft === 0 ? "hạn là hôm nay" : `đã quá hạn ${-daysLeft} ngày`;
  return { daysLeft, text };
}

const isIn = (status: string) => status === "submitted" || status === "accepted" || status === "reviewed";

/** Geometry of the server-drawn bar chart (SVG user units). */
const CHART = { width: 840, labelWidth: 250, barMax: 380, rowHeight: 30, barHeight: 20, top: 10 };

export function dashboardService(deps: { repo: DashboardRepo; years: YearsService; ranking: RankingService; blocs: BlocsRepo; now: () => Date }) {
  const { repo, years, ranking, blocs, now } = deps;

  return {
    /**
     * The secretariat's dashboard of a year: deadlines, the agencies × deliverables matrix, what is overdue,
     * the latest activity and the ranking so far. Bloc readers only (clerks: 404); read-only for everyone.
     */
    async dashboard(user: User, blocCode: string, yearNumber: number) {
      const ctx = await years.open(user, blocCode, yearNumber);
      if (!access.isBlocReader(user)) throw new NotFoundError();
      const today = localDate(now());
      // A closed year shows what was done; nothing of it can still be overdue (lateness stays as recorded).
      const closed = ctx.year.closedAt !== null;
      const [subs, activity, rows] = [
        await repo.submissions(ctx.year.id),
        await repo.recentActivity(ctx.bloc.id, 10),
        await ranking.rows(user, blocCode, yearNumber),
      ];

      const sixMonth = ctx.periods.find((p) => p.kind === "six_month");
      const annual = ctx.periods.find((p) => p.kind === "annual");
      const columns: Column[] = [
        { key: "registration", label: "Đăng ký thi đua", dueOn: ctx.year.registrationDueOn, periodId: null, periodNumber: null },
        { key: "six_month", label: "Báo cáo sơ kết 6 tháng", dueOn: sixMonth?.dueOn ?? null, periodId: sixMonth?.id ?? null, periodNumber: sixMonth?.number ?? null },
        { key: "annual", label: "Báo cáo tổng kết năm", dueOn: annual?.dueOn ?? null, periodId: annual?.id ?? null, periodNumber: annual?.number ?? null },
        { key: "score_sheet", label: "Bảng chấm điểm", dueOn: annual?.dueOn ?? null, periodId: annual?.id ?? null, periodNumber: null },
      ];
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
          const overdueDays = !closed && !isIn(status) && dueOn && today > dueOn ? daysBetween(dueOn, today) : 0;
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
            label: c.key === "registration" ? "Đăng ký thi đua" : c.key === "annual" ? "Báo cáo tổng kết năm và bảng chấm điểm" : c.label,
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
        const y = CHART.top + i * CHART.rowHeight;
        const short = shortOf.get(r.agency) ?? r.name;
        const label = r.rank === null ? short : `${r.rank}. ${short}`;
        return {
          label,
          value: r.rank === null ? (r.total === null ? "chưa có bảng điểm" : `${formatPoints(total)} (tạm tính, không xếp hạng)`) : formatPoints(total),
          ranked: r.rank !== null,
          y,
          textY: y + CHART.barHeight / 2 + 5,
          x: CHART.labelWidth,
          width: Math.round((Math.max(0, Math.min(total, scale)) / scale) * CHART.barMax * 10) / 10,
          valueX: CHART.labelWidth + Math.round((Math.max(0, Math.min(total, scale)) / scale) * CHART.barMax) + 6,
        };
      });

      return {
        ctx,
        today: formatDate(today),
        deadlines,
        columns: columns.map((c) => ({ label: c.label, dueOn: formatDate(c.dueOn) })),
        matrix,
        overdue,
        activity: activity.map((a) => ({
          at: formatDateTime(a.at),
          who: a.username ?? "",
          label: auditActionLabel(a.action),
          agency: a.agencyId !== null ? (agencyName.get(a.agencyId) ?? "") : "",
        })),
        chart: {
          width: CHART.width,
          height: CHART.top * 2 + rows.length * CHART.rowHeight,
          labelX: CHART.labelWidth - 8,
          barHeight: CHART.barHeight,
          rows: chartRows,
          desc: rows.map((r) => (r.total === null ? `${r.name}: chưa có bảng điểm` : `${r.name}: ${formatPoints(r.total)} điểm${r.rank === null ? " (tạm tính, không xếp hạng)" : `, hạng ${r.rank}`}`)).join("; "),
        },
        published: ctx.year.rankingPublishedAt !== null,
        closed,
        closedOn: closed ? formatDate(localDate(ctx.year.closedAt!)) : null,
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
