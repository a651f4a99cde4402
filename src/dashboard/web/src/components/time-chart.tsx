/**
 * One uPlot time chart. Lines differ by dash pattern as well as colour; the figure's caption
 * says the latest values in words, and the canvas is labelled with the same text.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import type { Series } from "../../../model/usage-series.js";

export interface Line {
  label: string;
  color: string;
  dash?: number[];
}

export const PALETTE = ["#1d4ed8", "#b45309", "#047857", "#7e22ce", "#be123c", "#0e7490", "#4d7c0f", "#52525b"];
export const DASHES: (number[] | undefined)[] = [undefined, [8, 4], [2, 3], [12, 3, 3, 3]];

function xRange(xs: ArrayLike<number>): uPlot.Range.MinMax {
  if (xs.length === 0) return [null, null];
  const last = xs[xs.length - 1];
  return [Math.min(xs[0], last - 300), last];
}

export function TimeChart({ title, series, lines, format, summary, height = 170 }: { title: string; series: Series; lines: Line[]; format: (v: number) => string; summary: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = lines.map((l) => l.label).join("|");

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      // From the data, at least five minutes wide (uPlot widens a single sample to a day times 1000 in seconds mode).
      scales: { x: { time: true, range: (u) => xRange(u.data[0]) } },
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, dash: l.dash, spanGaps: false, value: (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)) }))],
      axes: [{ stroke: "#374151", grid: { stroke: "#e5e7eb" } }, { stroke: "#374151", grid: { stroke: "#e5e7eb" }, size: 80, values: (_u, splits) => splits.map((v) => format(v)) }],
    };
    const u = new uPlot(opts, series as uPlot.AlignedData, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of lines changes; data changes go through setData below.
  }, [key, height]);

  useEffect(() => {
    plot.current?.setData(series as uPlot.AlignedData);
  }, [series]);

  return (
    <figure className="chart">
      <figcaption><span className="chart-title">{title}</span> <span className="chart-summary">{summary}</span></figcaption>
      <div ref={box} className="chart-canvas" role="img" aria-label={`${title}: ${summary}`}>
        {series[0].length === 0 && <span className="chart-waiting" aria-hidden="true">waiting for a second sample…</span>}
      </div>
    </figure>
  );
}
