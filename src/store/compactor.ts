/**
 * Background compaction: every `intervalMs`, compact to `current - minRetainRevisions` (keeping a
 * window of recent history for watchers that reconnect), then checkpoint the WAL if the backend
 * has one. Passes never overlap (each schedules the next when it ends), and a failed pass is
 * logged and retried on the next tick: compaction must never stop for good (kine#414).
 */
import { createLogger } from "../lib/log.js";
import { isStoreError, type Backend } from "./types.js";

const log = createLogger("store/compactor");

export interface CompactorOptions {
  /** Time between passes (default 60 s). */
  intervalMs?: number;
  /** Revisions of history always kept behind the current one (default 1000, as kine). */
  minRetainRevisions?: number;
}

export interface CompactorStatus {
  passes: number;
  failures: number;
  /** Floor after the last successful pass. */
  floor: number;
  lastError?: string;
}

export interface Compactor {
  /** Runs one pass now (waits for a running one first). Resolves to the floor after it. */
  runOnce(): Promise<number>;
  /** Stops scheduling passes and waits for a running one. Idempotent. */
  stop(): Promise<void>;
  status(): CompactorStatus;
}

/** A backend that can also flush its write-ahead log (the SQLite backend). */
export interface Checkpointable {
  checkpoint(): Promise<void>;
}

export function isCheckpointable(b: unknown): b is Checkpointable {
  return typeof (b as Partial<Checkpointable>).checkpoint === "function";
}

export function startCompactor(backend: Backend, opts: CompactorOptions = {}): Compactor {
  const intervalMs = Math.max(1, opts.intervalMs ?? 60_000);
  const retain = Math.max(0, opts.minRetainRevisions ?? 1000);
  const status: CompactorStatus = { passes: 0, failures: 0, floor: 0 };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<number> = Promise.resolve(0);

  const pass = async (): Promise<number> => {
    try {
      const [current, floor] = [await backend.currentRevision(), await backend.compactRevision()];
      const target = current - retain;
      if (target > floor) await backend.compact(target);
      if (isCheckpointable(backend)) await backend.checkpoint();
      status.passes++;
      status.floor = Math.max(floor, target);
      status.lastError = undefined;
    } catch (err) {
      status.failures++;
      status.lastError = (err as Error).message;
      if (isStoreError(err, "Unavailable")) {
        // The backend closed under us: no further passes.
        stopped = true;
        if (timer) clearTimeout(timer);
      } else log.warn("compaction pass failed; retrying next interval", { backend: backend.name, err });
    }
    return status.floor;
  };

  const runOnce = (): Promise<number> => {
    running = running.then(pass, pass);
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      if (!stopped) void runOnce().then(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    status: () => ({ ...status }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
