import { describe, expect, it } from "vitest";
import { BucketRateLimiter, ExponentialFailureRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from "./workqueue-rate-limiter.js";

describe("ExponentialFailureRateLimiter", () => {
  it("doubles from the base per failure up to the cap, per item", () => {
    const l = new ExponentialFailureRateLimiter<string>(5, 100);
    expect([l.when("a"), l.when("a"), l.when("a"), l.when("a"), l.when("a"), l.when("a")]).toEqual([5, 10, 20, 40, 80, 100]);
    expect(l.when("b")).toBe(5);
    expect(l.numRequeues("a")).toBe(6);
    l.forget("a");
    expect(l.numRequeues("a")).toBe(0);
    expect(l.when("a")).toBe(5);
  });

  it("never overflows past the cap after very many failures", () => {
    const l = new ExponentialFailureRateLimiter<string>(5, 1_000_000);
    let last = 0;
    for (let i = 0; i < 2000; i++) last = l.when("x");
    expect(last).toBe(1_000_000);
  });

  it("rejects nonsense parameters", () => {
    expect(() => new ExponentialFailureRateLimiter(0, 10)).toThrow(RangeError);
    expect(() => new ExponentialFailureRateLimiter(10, 5)).toThrow(RangeError);
  });
});

describe("BucketRateLimiter", () => {
  it("allows a burst, then spaces requests at 1/qps", () => {
    let now = 0;
    const l = new BucketRateLimiter<string>(10, 3, () => now);
    expect([l.when("a"), l.when("b"), l.when("c")]).toEqual([0, 0, 0]);
    expect(l.when("d")).toBe(100);
    expect(l.when("e")).toBe(200);
    now = 1000; // refilled by 10 tokens, capped at the burst of 3, minus the 2 borrowed
    expect(l.when("f")).toBe(0);
  });
});

describe("MaxOfRateLimiter", () => {
  it("returns the longest delay and forgets in every limiter", () => {
    const a = new ExponentialFailureRateLimiter<string>(5, 1000);
    const b = new ExponentialFailureRateLimiter<string>(50, 1000);
    const m = new MaxOfRateLimiter(a, b);
    expect(m.when("k")).toBe(50);
    expect(m.when("k")).toBe(100);
    expect(m.numRequeues("k")).toBe(2);
    m.forget("k");
    expect(a.numRequeues("k") + b.numRequeues("k")).toBe(0);
  });

  it("the default controller limiter starts at 5 ms", () => {
    const l = defaultControllerRateLimiter<string>();
    expect(l.when("k")).toBe(5);
    expect(l.when("k")).toBe(10);
  });
});
