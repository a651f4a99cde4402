import { describe, it, expect } from "vitest";
import { ageSince, humanDuration } from "./duration.js";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("humanDuration (upstream duration.HumanDuration)", () => {
  const cases: [number, string][] = [
    [-2 * s, "<invalid>"],
    [-1.5 * s, "0s"],
    [0, "0s"],
    [45 * s, "45s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [5 * m + 30 * s, "5m30s"],
    [9 * m + 59 * s, "9m59s"],
    [10 * m + 30 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [3 * h + 2 * m, "3h2m"],
    [7 * h + 59 * m, "7h59m"],
    [8 * h + 30 * m, "8h"],
    [47 * h, "47h"],
    [2 * d, "2d"],
    [2 * d + 5 * h, "2d5h"],
    [8 * d, "8d"],
    [400 * d, "400d"],
    [730 * d, "2y"],
    [3 * 365 * d + 10 * d, "3y10d"],
    [9 * 365 * d, "9y"],
  ];
  for (const [ms, want] of cases) {
    it(`${ms}ms -> ${want}`, () => expect(humanDuration(ms)).toBe(want));
  }

  it("ageSince renders <unknown> for a missing timestamp", () => {
    expect(ageSince(undefined, new Date())).toBe("<unknown>");
    expect(ageSince("2025-01-01T00:00:00Z", new Date("2025-01-01T03:02:00Z"))).toBe("3h2m");
  });
});
