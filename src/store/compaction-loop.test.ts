import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startCompactionLoop, type CompactionLoopOptions } from "./compaction-loop.js";

/** Passes that block until the test ends them, counting how many run at once. */
function gatedPasses() {
  const waiting: Array<{ resolve(floor: number): void; reject(err: Error): void }> = [];
  let active = 0;
  const counts = { started: 0, maxActive: 0 };
  const next = () => {
    const gate = waiting.shift();
    if (!gate) throw new Error("no pass is running");
    active--;
    return gate;
  };
  return {
    counts,
    pass: () =>
      new Promise<number>((resolve, reject) => {
        counts.started++;
        counts.maxActive = Math.max(counts.maxActive, ++active);
        waiting.push({ resolve, reject });
      }),
    release: (floor: number) => next().resolve(floor),
    fail: (err: Error) => next().reject(err),
  };
}

const options = (over: Partial<CompactionLoopOptions>): CompactionLoopOptions => ({
  intervalMs: 1000,
  pass: async () => 0,
  isFinal: () => false,
  onRetry: () => undefined,
  ...over,
});

describe("startCompactionLoop", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("schedules the next pass only when the running one ends, so passes never overlap", async () => {
    const passes = gatedPasses();
    const loop = startCompactionLoop(options({ pass: passes.pass }));
    expect(passes.counts.started).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(passes.counts.started).toBe(1);
    // A slow pass: many intervals go by, and no second pass starts beside it.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(passes.counts.started).toBe(1);
    passes.release(7);
    await vi.advanceTimersByTimeAsync(0);
    expect(loop.status()).toMatchObject({ passes: 1, failures: 0, floor: 7 });
    await vi.advanceTimersByTimeAsync(999);
    expect(passes.counts.started).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes.counts.started).toBe(2);
    passes.release(9);
    await loop.stop();
    expect(passes.counts.maxActive).toBe(1);
  });

  it("runOnce queues behind a running pass and resolves to the floor after its own", async () => {
    const passes = gatedPasses();
    const loop = startCompactionLoop(options({ pass: passes.pass }));
    const first = loop.runOnce();
    const second = loop.runOnce();
    await vi.advanceTimersByTimeAsync(0);
    expect(passes.counts.started).toBe(1);
    passes.release(3);
    expect(await first).toBe(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(passes.counts.started).toBe(2);
    passes.release(5);
    expect(await second).toBe(5);
    expect(passes.counts.maxActive).toBe(1);
    await loop.stop();
  });

  it("counts a failed pass, keeps the last floor, reports it, and retries on the next tick", async () => {
    const passes = gatedPasses();
    const retried: unknown[] = [];
    const loop = startCompactionLoop(options({ pass: passes.pass, onRetry: (err) => retried.push(err) }));
    const ok = loop.runOnce();
    await vi.advanceTimersByTimeAsync(0);
    passes.release(4);
    await ok;
    await vi.advanceTimersByTimeAsync(1000);
    passes.fail(new Error("database is locked"));
    await vi.advanceTimersByTimeAsync(0);
    expect(loop.status()).toEqual({ passes: 1, failures: 1, floor: 4, lastError: "database is locked" });
    expect(retried).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(passes.counts.started).toBe(3);
    passes.release(6);
    await vi.advanceTimersByTimeAsync(0);
    expect(loop.status()).toEqual({ passes: 2, failures: 1, floor: 6, lastError: undefined });
    await loop.stop();
  });

  it("stops scheduling after a final failure, without reporting it as a retry", async () => {
    const passes = gatedPasses();
    const retried: unknown[] = [];
    const loop = startCompactionLoop(options({ pass: passes.pass, isFinal: (err) => (err as Error).message === "closed", onRetry: (err) => retried.push(err) }));
    await vi.advanceTimersByTimeAsync(1000);
    passes.fail(new Error("closed"));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(passes.counts.started).toBe(1);
    expect(loop.status()).toMatchObject({ passes: 0, failures: 1, lastError: "closed" });
    expect(retried).toEqual([]);
    await loop.stop();
  });

  it("stop waits for the running pass and ends the schedule", async () => {
    const passes = gatedPasses();
    const loop = startCompactionLoop(options({ pass: passes.pass }));
    await vi.advanceTimersByTimeAsync(1000);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    passes.release(1);
    await stopping;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(passes.counts.started).toBe(1);
    await loop.stop(); // idempotent
  });
});
