import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";

describe("Backoff", () => {
  it("doubles from the initial delay to the cap, with bounded jitter", () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect([1, 2, 3, 4, 5].map((t) => b.next(t))).toEqual([100, 200, 400, 800, 1000]);
    const j = new Backoff({ initialMs: 100, jitter: 0.5 });
    const d = j.next(0);
    expect(d).toBeGreaterThanOrEqual(100);
    expect(d).toBeLessThanOrEqual(150);
  });

  it("starts over after a quiet period or an explicit reset", () => {
    const b = new Backoff({ initialMs: 10, maxMs: 1000, resetAfterMs: 1000, jitter: 0 });
    expect(b.next(0)).toBe(10);
    expect(b.next(1)).toBe(20);
    expect(b.next(5000)).toBe(10);
    expect(b.next(5001)).toBe(20);
    b.reset();
    expect(b.next(5002)).toBe(10);
  });
});
