/**
 * Revision assertions that hold on every backend. The contract promises only that revisions
 * strictly increase, are never reused, and that each successful write produces one, which is then
 * the key's modRevision. Where a backend declares contiguous revisions (it is the only writer of
 * its counter), the same checks become exact: the next write is exactly one more, and a failed
 * write leaves the current revision where it was.
 */
import type * as Vitest from "vitest";
import type { Backend } from "../types.js";

export interface RevisionChecks {
  readonly contiguous: boolean;
  /** `rev` was produced after `prev`: greater, and exactly `prev + 1` on a contiguous backend. */
  next(prev: number, rev: number): void;
  /** `revs` strictly increase from above `after`; on a contiguous backend they are after+1, after+2, … */
  sequence(after: number, revs: number[]): void;
  /**
   * `last` is the newest revision this test wrote, and nothing since moved the counter: the current
   * revision is at or above it, and exactly it on a contiguous backend.
   */
  current(b: Backend, last: number): Promise<void>;
  /**
   * A read without a revision was served at the current revision: at or after `last` (the newest
   * write it must see) and at or below the current revision asked for after it.
   */
  servedAtCurrent(b: Backend, served: number, last: number): Promise<void>;
}

export function revisionChecks(expect: typeof Vitest.expect, contiguous: boolean): RevisionChecks {
  const sequence = (after: number, revs: number[]) => {
    if (contiguous) {
      expect(revs).toEqual(revs.map((_, i) => after + 1 + i));
      return;
    }
    const increasing = revs.every((r, i) => Number.isSafeInteger(r) && r > (i === 0 ? after : revs[i - 1]));
    expect(increasing, `revisions [${revs.join(",")}] must strictly increase from above ${after}`).toBe(true);
  };
  return {
    contiguous,
    next: (prev, rev) => sequence(prev, [rev]),
    sequence,
    async current(b, last) {
      const current = await b.currentRevision();
      if (contiguous) expect(current).toBe(last);
      else expect(current).toBeGreaterThanOrEqual(last);
    },
    async servedAtCurrent(b, served, last) {
      expect(served).toBeGreaterThanOrEqual(last);
      expect(served).toBeLessThanOrEqual(await b.currentRevision());
    },
  };
}
