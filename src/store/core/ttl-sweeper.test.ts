import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TtlSweeper } from "./ttl-sweeper.js";

describe("TtlSweeper", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const make = () => {
    const expired: Array<[string, number]> = [];
    const sweeper = new TtlSweeper(async (key, rev) => {
      expired.push([key, rev]);
    }, () => Date.now());
    return { sweeper, expired };
  };

  it("expires keys in deadline order, once each", async () => {
    const { sweeper, expired } = make();
    sweeper.track("/b", 2, 20);
    sweeper.track("/a", 1, 10);
    sweeper.track("/c", 3, 30);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(expired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(expired).toEqual([["/a", 1]]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(expired).toEqual([["/a", 1], ["/b", 2], ["/c", 3]]);
    expect(sweeper.pending).toBe(0);
    sweeper.stop();
  });

  it("skips keys rewritten without a TTL or forgotten, and uses the newest write's TTL", async () => {
    const { sweeper, expired } = make();
    sweeper.track("/rewritten", 1, 5);
    sweeper.track("/rewritten", 4, 0);
    sweeper.track("/gone", 2, 5);
    sweeper.forget("/gone");
    sweeper.track("/renewed", 3, 5);
    sweeper.track("/renewed", 5, 60);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(expired).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(expired).toEqual([["/renewed", 5]]);
    sweeper.stop();
  });

  it("reaches deadlines beyond one setTimeout's range", async () => {
    const { sweeper, expired } = make();
    const fortyDays = 40 * 24 * 3600;
    sweeper.track("/far", 1, fortyDays);
    await vi.advanceTimersByTimeAsync(fortyDays * 1000 - 1000);
    expect(expired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(expired).toEqual([["/far", 1]]);
    sweeper.stop();
  });

  it("does nothing after stop", async () => {
    const { sweeper, expired } = make();
    sweeper.track("/a", 1, 1);
    sweeper.stop();
    sweeper.track("/b", 2, 1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(expired).toEqual([]);
  });
});
