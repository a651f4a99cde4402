/**
 * How many inputs each fuzz target generates, and the tally of what the server answered.
 *
 * CISTERN_FUZZ_RUNS sets the count per target (CI default: small, so that all targets together
 * stay under about two minutes; the acceptance run uses 100000). CISTERN_FUZZ_SEED replays a
 * failure fast-check reported. CISTERN_FUZZ_REPORT names a JSON-lines file that receives one
 * line per target with its tally, for SECURITY.md.
 */
import { appendFileSync } from "node:fs";
import type fc from "fast-check";

export function fuzzRuns(ciDefault: number): number {
  const v = process.env.CISTERN_FUZZ_RUNS;
  if (v === undefined || v === "") return ciDefault;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`CISTERN_FUZZ_RUNS=${v} is not a positive integer`);
  return n;
}

/** fast-check parameters for one target: runs, optional seed, and no time limit (the test has one). */
export function fcParams<T>(ciDefault: number): fc.Parameters<T> {
  const seed = process.env.CISTERN_FUZZ_SEED;
  return { numRuns: fuzzRuns(ciDefault), ...(seed ? { seed: Number(seed) } : {}), endOnFailure: true };
}

/** A generous per-test timeout: proportional to the runs, at least two minutes. */
export function timeoutFor(ciDefault: number, msPerRun = 100): number {
  return Math.max(120_000, fuzzRuns(ciDefault) * msPerRun);
}

export class Tally {
  readonly byStatus = new Map<string, number>();
  inputs = 0;

  constructor(readonly target: string) {}

  count(outcome: string | number): void {
    this.inputs++;
    const k = String(outcome);
    this.byStatus.set(k, (this.byStatus.get(k) ?? 0) + 1);
  }

  /** Moves one already counted input from one outcome to another (e.g. a 201 that is a known bug). */
  reclassify(from: string | number, to: string): void {
    const k = String(from);
    this.byStatus.set(k, (this.byStatus.get(k) ?? 1) - 1);
    this.byStatus.set(to, (this.byStatus.get(to) ?? 0) + 1);
  }

  summary(): string {
    const parts = [...this.byStatus].sort((a, b) => a[0].localeCompare(b[0])).map(([k, v]) => `${k}:${v}`);
    return `${this.target}: ${this.inputs} inputs (${parts.join(" ")})`;
  }

  /** Prints the tally and appends it to CISTERN_FUZZ_REPORT when set. */
  report(): void {
    console.log(this.summary());
    const file = process.env.CISTERN_FUZZ_REPORT;
    if (file) appendFileSync(file, JSON.stringify({ target: this.target, inputs: this.inputs, outcomes: Object.fromEntries(this.byStatus) }) + "\n");
  }
}
