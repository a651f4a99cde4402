/**
 * The schedule every compactor shares; what one pass does is the caller's. Passes never overlap:
 * each schedules the next when it ends, and `runOnce` queues behind a running pass. A failed pass
 * is counted and retried on the next tick, since compaction must never stop for good (kine#414),
 * unless the failure says the backend itself is gone.
 */

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

export interface CompactionLoopOptions {
  intervalMs: number;
  /** One pass. Resolves to the compaction floor after it. */
  pass(): Promise<number>;
  /** True when `err` means the backend is closed: no further passes are scheduled. */
  isFinal(err: unknown): boolean;
  /** Reports a failure that the next interval retries. */
  onRetry(err: unknown): void;
}

export function startCompactionLoop(opts: CompactionLoopOptions): Compactor {
  const status: CompactorStatus = { passes: 0, failures: 0, floor: 0 };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<number> = Promise.resolve(0);

  const pass = async (): Promise<number> => {
    try {
      status.floor = await opts.pass();
      status.passes++;
      status.lastError = undefined;
    } catch (err) {
      status.failures++;
      status.lastError = (err as Error).message;
      if (opts.isFinal(err)) {
        stopped = true;
        if (timer) clearTimeout(timer);
      } else opts.onRetry(err);
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
    }, opts.intervalMs);
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
