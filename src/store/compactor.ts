/**
 * Background compaction of a single-owner store: every `intervalMs`, compact to
 * `current - minRetainRevisions` (keeping a window of recent history for watchers that reconnect),
 * then checkpoint the WAL if the backend has one. The schedule (no overlap, retry next tick) is the
 * shared compaction loop's.
 */
import { createLogger } from "../lib/log.js";
import { startCompactionLoop, type Compactor } from "./compaction-loop.js";
import { isStoreError, type Backend } from "./types.js";

export type { Compactor, CompactorStatus } from "./compaction-loop.js";

const log = createLogger("store/compactor");

export interface CompactorOptions {
  /** Time between passes (default 60 s). */
  intervalMs?: number;
  /** Revisions of history always kept behind the current one (default 1000, as kine). */
  minRetainRevisions?: number;
}

/** A backend that can also flush its write-ahead log (the SQLite backend). */
export interface Checkpointable {
  checkpoint(): Promise<void>;
}

export function isCheckpointable(b: unknown): b is Checkpointable {
  return typeof (b as Partial<Checkpointable>).checkpoint === "function";
}

export function startCompactor(backend: Backend, opts: CompactorOptions = {}): Compactor {
  const retain = Math.max(0, opts.minRetainRevisions ?? 1000);
  return startCompactionLoop({
    intervalMs: Math.max(1, opts.intervalMs ?? 60_000),
    async pass() {
      const [current, floor] = [await backend.currentRevision(), await backend.compactRevision()];
      const target = current - retain;
      if (target > floor) await backend.compact(target);
      if (isCheckpointable(backend)) await backend.checkpoint();
      return Math.max(floor, target);
    },
    // The backend closed under us: no further passes.
    isFinal: (err) => isStoreError(err, "Unavailable"),
    onRetry: (err) => log.warn("compaction pass failed; retrying next interval", { backend: backend.name, err }),
  });
}
