/**
 * Which revision a read is served at, and the two ways a requested revision can be refused.
 * A read at exactly the compaction floor is allowed: compaction keeps the state as of the floor.
 */
import { StoreError } from "../types.js";

/** Throws a TypeError unless `rev` is absent or a non-negative safe integer. */
export function assertRevisionArg(rev: unknown, what = "revision"): void {
  if (rev === undefined) return;
  if (typeof rev !== "number" || !Number.isSafeInteger(rev) || rev < 0) {
    throw new TypeError(`store ${what} must be a non-negative integer, got ${String(rev)}`);
  }
}

/**
 * The revision to read at: `requested`, or the current revision when absent or 0 (as etcd).
 * Throws FutureRevision above current, Compacted below the floor.
 */
export function resolveReadRevision(requested: number | undefined, current: number, floor: number): number {
  assertRevisionArg(requested);
  if (!requested) return current;
  if (requested > current) {
    throw new StoreError("FutureRevision", `revision ${requested} is newer than the current revision ${current}`);
  }
  if (requested < floor) throw compactedError(requested, floor);
  return requested;
}

export function compactedError(requested: number, floor: number): StoreError {
  return new StoreError(
    "Compacted",
    `revision ${requested} has been compacted (compaction floor ${floor})`,
    undefined,
    floor,
  );
}

export function unavailableError(name: string, why = "closed"): StoreError {
  return new StoreError("Unavailable", `store ${name} is ${why}`);
}
