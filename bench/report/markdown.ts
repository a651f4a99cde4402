/**
 * The generated parts of BENCHMARKS.md: the run's machine and command, every target with its
 * measured figure and verdict, and every figure with its limit. They sit between marker comments;
 * everything outside the markers (method, analysis, what would meet a missed target) is prose
 * kept by hand and never touched here.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { BenchRun } from "../core/run.js";
import type { Figure } from "../core/result.js";
import { formatNumber } from "./table.js";
import { evaluateTargets } from "./targets.js";

const BEGIN = "<!-- bench:generated:begin -->";
const END = "<!-- bench:generated:end -->";

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function figureRow(f: Figure): string {
  const valueUnit = f.valueUnit ?? f.unit;
  const limit = f.limit ? `${formatNumber(f.limit.value, f.limit.unit)} — ${f.limit.label}` : "";
  return `| ${cell(f.label)} | ${formatNumber(f.median, f.unit)} | ${formatNumber(f.p99, f.unit)} | ${formatNumber(f.value, valueUnit)} | ${f.ratio !== undefined ? `${f.ratio}×` : ""} | ${cell(limit)} | ${cell(f.note ?? "")} |`;
}

export function renderGenerated(run: BenchRun, source: string): string {
  const m = run.machine;
  const out: string[] = [];
  out.push(`Run of ${run.startedAt} (\`${run.command}\`, ${run.options.quick ? "quick" : "full"} mode, ${Math.round(run.durationMs / 1000)} s), results file \`${source}\`.`, "");
  out.push(`Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, kernel ${m.kernel}, Node ${m.node}, virtualization: ${m.virtualization}; data dirs on ${m.disk}; code at ${m.gitCommit}${m.gitDirty ? " (with uncommitted changes)" : ""}.`, "");
  out.push("### Targets", "", "| area | target | measured | verdict |", "| --- | --- | --- | --- |");
  for (const v of evaluateTargets(run.results)) {
    const measured = v.measured === undefined ? "—" : `${formatNumber(v.measured)} ${v.target.unit} (${v.target.stat}; ${v.figureLabel})`;
    out.push(`| ${v.target.area} | ${cell(v.target.text)} | ${cell(measured)} | **${v.status}** |`);
  }
  out.push("", "### All figures", "");
  for (const r of run.results) {
    out.push(`#### ${r.title} (${(r.durationMs / 1000).toFixed(1)} s)`, "");
    if (r.unavailable) out.push(`Not measured: ${r.unavailable}`, "");
    if (r.error) out.push(`Failed: ${r.error}`, "");
    if (r.figures.length === 0) continue;
    out.push("| figure | median | p99 | value | ratio | limit (same run) | note |", "| --- | --- | --- | --- | --- | --- | --- |");
    for (const f of r.figures) out.push(figureRow(f));
    out.push("");
  }
  return out.join("\n");
}

/** Replaces the generated section of `path` (appending markers if the file has none). */
export function updateBenchmarksMd(path: string, run: BenchRun, source: string): void {
  const text = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  const generated = `${BEGIN}\n${renderGenerated(run, source)}\n${END}`;
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  const next = a >= 0 && b > a ? text.slice(0, a) + generated + text.slice(b + END.length) : `${text.trimEnd()}\n\n${generated}\n`;
  writeFileSync(path, next);
}
