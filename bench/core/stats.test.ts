import { describe, it, expect } from "vitest";
import { percentile, round, summarize } from "./stats.js";

describe("percentile", () => {
  it("uses the nearest rank, so p99 of 100 samples is the 99th smallest", () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(s, 99)).toBe(99);
    expect(percentile(s, 50)).toBe(50);
    expect(percentile(s, 100)).toBe(100);
  });
  it("p99 of fewer than 100 samples is the maximum", () => {
    expect(percentile([1, 2, 3, 50], 99)).toBe(50);
  });
  it("rejects an empty sample set and an out-of-range percentile", () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe("summarize", () => {
  it("sorts numerically (not as strings) and leaves the input alone", () => {
    const input = [10, 9, 100, 1, 2];
    const s = summarize(input);
    expect(s).toMatchObject({ n: 5, min: 1, median: 9, max: 100, p99: 100 });
    expect(s.mean).toBeCloseTo(24.4);
    expect(input).toEqual([10, 9, 100, 1, 2]);
  });
});

describe("round", () => {
  it("keeps three significant digits below 100 and whole numbers above", () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(0.0123456)).toBe(0.0123);
    expect(round(12345.6)).toBe(12346);
    expect(round(0)).toBe(0);
  });
});
