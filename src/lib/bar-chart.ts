/**
 * Geometry of the server-drawn horizontal bar charts (SVG user units): the dashboard's ranking chart and
 * the year-over-year charts. Pure: the templates only place what this computes.
 */
export const BAR_CHART = { width: 840, labelWidth: 250, barMax: 380, rowHeight: 30, barHeight: 20, top: 10 } as const;

/** Where the i-th bar of a value on a 0…scale axis goes (values outside are clamped). */
export function barGeometry(i: number, value: number, scale: number) {
  const c = BAR_CHART;
  const y = c.top + i * c.rowHeight;
  const share = scale > 0 ? Math.max(0, Math.min(value, scale)) / scale : 0;
  return {
    y,
    textY: y + c.barHeight / 2 + 5,
    x: c.labelWidth,
    width: Math.round(share * c.barMax * 10) / 10,
    valueX: c.labelWidth + Math.round(share * c.barMax) + 6,
  };
}

/** The frame of a chart of `rows` bars. */
export function barChartFrame(rows: number) {
  return { width: BAR_CHART.width, height: BAR_CHART.top * 2 + rows * BAR_CHART.rowHeight, labelX: BAR_CHART.labelWidth - 8, barHeight: BAR_CHART.barHeight };
}
