/**
 * Load shapes. Closed loop: `concurrency` callers each issue the next operation when their last
 * one answers (throughput). Open loop: operations start on a fixed schedule whatever the answers
 * (latency at a given arrival rate); an operation's latency is taken from its scheduled start, so
 * a generator that falls behind shows up in the figures instead of hiding (coordinated omission).
 */

export interface LoadResult {
  /** Per-operation latencies in ms, in operation order. */
  latencies: number[];
  /** Wall time from the first start to the last answer, ms. */
  elapsedMs: number;
  /** Operations completed per second over elapsedMs. */
  perSecond: number;
}

/** Runs fn(0..n-1) with at most `concurrency` in flight. The first rejection is rethrown after all settle. */
export async function closedLoop(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<LoadResult> {
  const latencies = new Array<number>(n);
  let next = 0;
  let failure: unknown;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      try {
        await fn(i);
      } catch (err) {
        failure ??= err;
      }
      latencies[i] = performance.now() - s;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, worker));
  if (failure !== undefined) throw failure;
  const elapsedMs = performance.now() - t0;
  return { latencies, elapsedMs, perSecond: n / (elapsedMs / 1000) };
}

/**
 * Starts fn(i) at t0 + i/rate seconds for i in 0..n-1 and waits for all. `fn` gets the scheduled
 * start (performance.now() clock) so it can measure end-to-end latencies from it.
 */
export async function openLoop(n: number, ratePerSecond: number, fn: (i: number, scheduledAt: number) => Promise<unknown>): Promise<LoadResult> {
  const latencies = new Array<number>(n);
  const inflight: Promise<void>[] = [];
  let failure: unknown;
  const interval = 1000 / ratePerSecond;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const at = t0 + i * interval;
    const wait = at - performance.now();
    if (wait > 1) await sleep(wait);
    inflight.push(
      fn(i, at).then(
        () => void (latencies[i] = performance.now() - at),
        (err) => {
          failure ??= err;
          latencies[i] = performance.now() - at;
        },
      ),
    );
  }
  await Promise.all(inflight);
  if (failure !== undefined) throw failure;
  const elapsedMs = performance.now() - t0;
  return { latencies, elapsedMs, perSecond: n / (elapsedMs / 1000) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` every `everyMs` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number, everyMs = 20): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}
