import { barChartFrame, barGeometry } from "../lib/bar-chart.js";

export interface HistoryPoint {
  /** "2023 · hạng 3/25" */
  label: string;
  /** The bar's length on the scale; null: nothing to draw that year (not published, no sheet). */
  value: number | null;
  /** What is written after the bar. */
  text: string;
  /** Drawn pale (e.g. not ranked that year). */
  muted?: boolean;
}

/**
 * The year-over-year chart of an agency or a bloc: one horizontal bar per year, as the dashboard's
 * ranking chart draws them (same geometry, same styles). Pure: the template places what this returns.
 */
export function historyChart(points: HistoryPoint[], scale: number) {
  return {
    ...barChartFrame(points.length),
    rows: points.map((p, i) => ({
      label: p.label,
      value: p.text,
      ranked: p.value !== null && !p.muted,
      ...barGeometry(i, p.value ?? 0, scale),
    })),
    desc: points.map((p) => `${p.label}: ${p.text}`).join("; "),
  };
}
