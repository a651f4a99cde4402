import { afterEach, describe, expect, it, vi } from "vitest";
import { ExponentialFailureRateLimiter, WorkQueue, runWorkers } from "./workqueue.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("WorkQueue de-duplication and processing", () => {
  it("hands out each queued item once, in FIFO order, and dedupes re-adds", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
    expect(q.len()).toBe(0);
  });

  it("does not hand an item being processed to a second worker; a re-add is processed after done", async () => {
    const q = new WorkQueue();
    q.add("k");
    const first = await q.get();
    expect(first).toBe("k");
    q.add("k"); // changed while being processed
    expect(q.len()).toBe(0); // not queued while processing
    let second: string | undefined;
    const waiting = q.get().then((v) => (second = v));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done("k");
    await waiting;
    expect(second).toBe("k");
    q.done("k");
    expect(q.len()).toBe(0);
  });

  it("done without a re-add does not re-queue", async () => {
    const q = new WorkQueue();
    q.add("x");
    const item = (await q.get()) as string;
    q.done(item);
    expect(q.len()).toBe(0);
    expect(q.isProcessing("x")).toBe(false);
  });

  it("multiple adds during processing collapse into one more pass", async () => {
    const q = new WorkQueue();
    q.add("x");
    await q.get();
    q.add("x");
    q.add("x");
    q.add("x");
    q.done("x");
    expect(q.len()).toBe(1);
    await q.get();
    q.done("x");
    expect(q.len()).toBe(0);
  });

  it("wakes waiting getters in order and releases them with undefined on shutdown", async () => {
    const q = new WorkQueue();
    const got: (string | undefined)[] = [];
    const g1 = q.get().then((v) => got.push(v));
    const g2 = q.get().then((v) => got.push(v));
    const g3 = q.get().then((v) => got.push(v));
    q.add("one");
    q.add("two");
    await Promise.all([g1, g2]);
    expect(got).toEqual(["one", "two"]);
    q.shutDown();
    await g3;
    expect(got).toEqual(["one", "two", undefined]);
    q.add("late");
    expect(q.len()).toBe(0);
    expect(await q.get()).toBeUndefined();
  });

  it("shutDownWithDrain waits for items being processed", async () => {
    const q = new WorkQueue();
    q.add("busy");
    await q.get();
    let drained = false;
    const p = q.shutDownWithDrain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    q.done("busy");
    await p;
    expect(drained).toBe(true);
  });

  it("keeps a large backlog correct across internal compaction", async () => {
    const q = new WorkQueue<number>();
    for (let i = 0; i < 5000; i++) q.add(i);
    for (let i = 0; i < 5000; i++) {
      expect(await q.get()).toBe(i);
      q.done(i);
    }
    expect(q.len()).toBe(0);
  });
});

describe("WorkQueue delays and rate limiting", () => {
  it("addAfter releases the item only once its delay has passed", async () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    q.addAfter("later", 100);
    expect(q.len()).toBe(0);
    expect(q.delayedLen()).toBe(1);
    vi.advanceTimersByTime(99);
    expect(q.len()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe("later");
  });

  it("addAfter for an item already waiting keeps the earlier time", () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    q.addAfter("k", 500);
    q.addAfter("k", 50);
    q.addAfter("k", 1000);
    expect(q.delayedLen()).toBe(1);
    vi.advanceTimersByTime(50);
    expect(q.len()).toBe(1);
    vi.advanceTimersByTime(2000);
    expect(q.len()).toBe(1); // the later schedules did not add it again
  });

  it("releases several delayed items in time order", () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    q.addAfter("c", 30);
    q.addAfter("a", 10);
    q.addAfter("b", 20);
    vi.advanceTimersByTime(10);
    expect(q.len()).toBe(1);
    vi.advanceTimersByTime(20);
    expect(q.len()).toBe(3);
  });

  it("addAfter with a non-positive delay adds at once; shutdown discards delayed items", () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    q.addAfter("now", 0);
    expect(q.len()).toBe(1);
    q.addAfter("never", 10);
    q.shutDown();
    vi.advanceTimersByTime(100);
    expect(q.delayedLen()).toBe(0);
    expect(q.len()).toBe(0);
  });

  it("addRateLimited backs off 5 ms, 10 ms, 20 ms … per key, and forget resets it", () => {
    vi.useFakeTimers();
    const q = new WorkQueue({ rateLimiter: new ExponentialFailureRateLimiter<string>(5, 1000) });
    q.addRateLimited("k");
    expect(q.numRequeues("k")).toBe(1);
    vi.advanceTimersByTime(4);
    expect(q.len()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(q.len()).toBe(1);

    q.addRateLimited("j"); // a different key is independent: 5 ms
    vi.advanceTimersByTime(5);
    expect(q.len()).toBe(2);

    q.addRateLimited("k2");
    q.addRateLimited("k2"); // second failure of k2 schedules 10 ms, but the earlier 5 ms wins
    expect(q.numRequeues("k2")).toBe(2);
    q.forget("k2");
    expect(q.numRequeues("k2")).toBe(0);
  });
});

describe("runWorkers", () => {
  it("processes every item with N workers, never the same key concurrently", async () => {
    const q = new WorkQueue();
    const active = new Set<string>();
    let overlaps = 0;
    let maxParallel = 0;
    const counts = new Map<string, number>();
    const gates: (() => void)[] = [];
    const workers = runWorkers(q, 3, async (key) => {
      if (active.has(key)) overlaps++;
      active.add(key);
      maxParallel = Math.max(maxParallel, active.size);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      await new Promise<void>((r) => gates.push(r));
      active.delete(key);
    });
    for (const k of ["a", "b", "c", "d"]) q.add(k);
    await vi.waitFor(() => expect(active.size).toBe(3));
    q.add("a"); // re-add while "a" is processing
    while (counts.size < 4 || (counts.get("a") ?? 0) < 2 || gates.length > 0) {
      const g = gates.shift();
      if (g) g();
      await new Promise((r) => setImmediate(r));
    }
    q.shutDown();
    await workers;
    expect(overlaps).toBe(0);
    expect(maxParallel).toBe(3);
    expect(counts.get("a")).toBe(2);
    expect(["b", "c", "d"].map((k) => counts.get(k))).toEqual([1, 1, 1]);
  });

  it("keeps working after a handler throws and reports the error", async () => {
    const q = new WorkQueue();
    const seen: string[] = [];
    const errors: string[] = [];
    const workers = runWorkers(
      q,
      1,
      async (key) => {
        seen.push(key);
        if (key === "bad") throw new Error("boom");
      },
      (err, key) => errors.push(`${key}:${(err as Error).message}`),
    );
    q.add("bad");
    q.add("good");
    await vi.waitFor(() => expect(seen).toEqual(["bad", "good"]));
    q.shutDown();
    await workers;
    expect(errors).toEqual(["bad:boom"]);
  });

  it("rejects a non-positive worker count", async () => {
    await expect(runWorkers(new WorkQueue(), 0, async () => {})).rejects.toThrow(RangeError);
  });
});
