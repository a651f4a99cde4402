/** The table `npm run bench` prints: one block per scenario, one row per figure. */
import type { Figure, ScenarioResult } from "../core/result.js";

export function formatNumber(v: number | undefined, unit?: string): string {
  if (v === undefined || !Number.isFinite(v)) return "";
  const s = Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : String(v);
  return unit ? `${s} ${unit}` : s;
}

function row(f: Figure): string[] {
  const limit = f.limit ? `${formatNumber(f.limit.value, f.limit.unit)} (${f.limit.label})` : "";
  const valueUnit = f.valueUnit ?? f.unit;
  return [
    f.label,
    f.median !== undefined ? formatNumber(f.median, f.unit) : "",
    f.p99 !== undefined ? formatNumber(f.p99, f.unit) : "",
    formatNumber(f.value, valueUnit),
    f.ratio !== undefined ? `${f.ratio}×` : "",
    limit,
  ];
}

/** Plain-text table with aligned columns. */
export function renderTable(results: ScenarioResult[]): string {
  const header = ["figure", "median", "p99", "value", "ratio", "limit (same run)"];
  const lines: string[] = [];
  for (const r of results) {
    const load = r.loadAverage ? `, load average ${r.loadAverage.start} → ${r.loadAverage.end}` : "";
    lines.push("", `== ${r.title} (${(r.durationMs / 1000).toFixed(1)} s${load})`);
    if (r.unavailable) lines.push(`   not measured: ${r.unavailable}`);
    if (r.error) lines.push(`   FAILED: ${r.error}`);
    if (r.figures.length === 0) continue;
    const rows = [header, ...r.figures.map(row)];
    const widths = header.map((_, c) => Math.min(60, Math.max(...rows.map((x) => x[c].length))));
    for (const x of rows) lines.push("   " + x.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ").trimEnd());
    for (const f of r.figures) if (f.note) lines.push(`   · ${f.label}: ${f.note}`);
  }
  return lines.join("\n") + "\n";
}
