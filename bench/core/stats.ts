/**
 * Summaries of latency samples: median and p99 by the nearest-rank method (the value below which
 * the given share of samples lies, always an observed sample, never an interpolation).
 */

export interface Summary {
  n: number;
  min: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The nearest-rank percentile `p` (0 < p ≤ 100) of samples sorted ascending. Throws on no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("percentile of no samples");
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} outside (0, 100]`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Median, p90, p99 and extremes of the samples (copied and sorted; the input is not changed). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summary of no samples");
  const sorted = Float64Array.from(samples).sort();
  const arr = Array.from(sorted);
  let sum = 0;
  for (const v of arr) sum += v;
  return {
    n: arr.length,
    min: arr[0],
    median: percentile(arr, 50),
    p90: percentile(arr, 90),
    p99: percentile(arr, 99),
    max: arr[arr.length - 1],
    mean: sum / arr.length,
  };
}

/** Rounds for display and JSON: 3 significant digits below 100, whole numbers above. */
export function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  const a = Math.abs(v);
  if (a >= 100) return Math.round(v);
  if (a === 0) return 0;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(a)));
  const f = 10 ** Math.min(digits, 6);
  return Math.round(v * f) / f;
}
