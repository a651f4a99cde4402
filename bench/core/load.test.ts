import { describe, it, expect } from "vitest";
import { closedLoop, openLoop } from "./load.js";

describe("closedLoop", () => {
  it("runs every index once and never more than the concurrency at a time", async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const r = await closedLoop(50, 4, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      seen.push(i);
      await new Promise((res) => setImmediate(res));
      inFlight--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(peak).toBe(4);
    expect(r.latencies).toHaveLength(50);
  });
  it("rethrows the first failure after the rest settle", async () => {
    let done = 0;
    await expect(closedLoop(10, 2, async (i) => {
      if (i === 3) throw new Error("boom");
      done++;
    })).rejects.toThrow("boom");
    expect(done).toBe(9);
  });
});

describe("openLoop", () => {
  it("hands each operation a non-decreasing scheduled start", async () => {
    const starts: number[] = [];
    await openLoop(5, 1000, async (i, at) => void (starts[i] = at));
    for (let i = 1; i < 5; i++) expect(starts[i]).toBeGreaterThan(starts[i - 1]);
  });
});
