import { describe, expect, it } from "vitest";
import { historyChart } from "./history-chart.js";
import { BAR_CHART } from "../lib/bar-chart.js";

describe("historyChart", () => {
  it("when three years are drawn on a 100-point scale, then each bar's length is its share of the bar area, one row per year", () => {
    const chart = historyChart(
      [
        { label: "2021 · hạng 2/5", value: 90, text: "90,00" },
        { label: "2022 · chưa công bố", value: null, text: "chưa công bố" },
        { label: "2023 · hạng 1/5", value: 100, text: "100,00" },
      ],
      100,
    );
    expect(chart.height).toBe(BAR_CHART.top * 2 + 3 * BAR_CHART.rowHeight);
    expect(chart.rows.map((r) => r.width)).toEqual([BAR_CHART.barMax * 0.9, 0, BAR_CHART.barMax]);
    expect(chart.rows.map((r) => r.y)).toEqual([10, 40, 70]);
    expect(chart.rows.map((r) => r.ranked)).toEqual([true, false, true]);
    expect(chart.rows[0]!.valueX).toBe(BAR_CHART.labelWidth + Math.round(BAR_CHART.barMax * 0.9) + 6);
    expect(chart.desc).toBe("2021 · hạng 2/5: 90,00; 2022 · chưa công bố: chưa công bố; 2023 · hạng 1/5: 100,00");
  });

  it("when a total is above the scale or negative, then its bar is clamped to the axis", () => {
    const chart = historyChart([{ label: "a", value: 130, text: "" }, { label: "b", value: -5, text: "" }], 100);
    expect(chart.rows.map((r) => r.width)).toEqual([BAR_CHART.barMax, 0]);
  });
});

describe("gapSummary", () => {
  it("when self-scores ran above the review every year, then it is persistent with the mean gap; one year below breaks it", async () => {
    const { gapSummary } = await import("./province-service.js");
    expect(gapSummary([2, 3.5, 1])).toEqual({ years: 3, above: 3, mean: "+2,17", persistent: true });
    expect(gapSummary([2, -1, 1])).toEqual({ years: 3, above: 2, mean: "+0,67", persistent: false });
    expect(gapSummary([4])).toMatchObject({ persistent: false });
    expect(gapSummary([])).toBeNull();
  });
});
