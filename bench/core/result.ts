/**
 * What a scenario reports. A figure is either a distribution (median and p99 of samples) or a
 * single value (a rate, a duration, a size); when it was measured against a limit in the same run,
 * the limit travels with it and `ratio` = value (or median) ÷ limit.
 */
import { round, summarize } from "./stats.js";

export type Unit = "ms" | "s" | "/s" | "MB" | "MiB/s" | "x";

export interface Limit {
  /** What the limit is, e.g. "raw SQLite durable commits (WAL, synchronous=FULL)". */
  label: string;
  value: number;
  unit: Unit;
}

export interface Figure {
  /** Stable id, e.g. "api.get"; targets refer to figures by it. */
  id: string;
  label: string;
  unit: Unit;
  /** For distributions. */
  n?: number;
  median?: number;
  p99?: number;
  max?: number;
  /** For single values (and the headline value of a distribution when there is one). */
  value?: number;
  /** The unit of `value` when it differs from `unit` (a latency distribution's rate: "/s"). */
  valueUnit?: Unit;
  limit?: Limit;
  /** value (or median) ÷ limit.value. */
  ratio?: number;
  note?: string;
}

export interface ScenarioResult {
  name: string;
  title: string;
  figures: Figure[];
  durationMs: number;
  /** The scenario could not run here (named reason, e.g. "no node agent in this build"). */
  unavailable?: string;
  /** The scenario failed part-way; its figures so far are kept. */
  error?: string;
  /** 1-minute load average at the start and end (other work on the machine skews the figures). */
  loadAverage?: { start: number; end: number };
}

/** A distribution figure from latency samples (ms). */
export function latencyFigure(id: string, label: string, samples: number[], extra: Partial<Figure> = {}): Figure {
  const s = summarize(samples);
  const f: Figure = { id, label, unit: "ms", n: s.n, median: round(s.median), p99: round(s.p99), max: round(s.max), ...extra };
  if (f.value !== undefined) {
    f.value = round(f.value);
    f.valueUnit ??= "/s";
  }
  if (f.limit) {
    f.limit = { ...f.limit, value: round(f.limit.value) };
    if (f.value !== undefined && f.ratio === undefined && f.limit.value > 0) f.ratio = round(f.value / f.limit.value);
  }
  return f;
}

/** A single-value figure, optionally with its limit (the ratio is computed here). */
export function valueFigure(id: string, label: string, unit: Unit, value: number, limit?: Limit, note?: string): Figure {
  const f: Figure = { id, label, unit, value: round(value) };
  if (limit) {
    f.limit = { ...limit, value: round(limit.value) };
    f.ratio = limit.value > 0 ? round(value / limit.value) : undefined;
  }
  if (note) f.note = note;
  return f;
}

/** Collects figures for one scenario; scenarios push as they measure so a failure keeps what was done. */
export class FigureSink {
  readonly figures: Figure[] = [];
  add(f: Figure): Figure {
    this.figures.push(f);
    return f;
  }
}
