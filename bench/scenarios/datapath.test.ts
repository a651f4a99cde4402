import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { durations, median, parseStamp, script } from "./datapath.js";

describe("parseStamp", () => {
  it("reads busybox stat %y with nanoseconds and an offset", () => {
    const a = parseStamp("2026-11-24 18:00:12.540264827 +0000");
    const b = parseStamp("2026-11-24 19:00:12.540264828 +0100");
    expect(b - a).toBe(1n);
    expect(a % 1_000_000_000n).toBe(540264827n);
  });
  it("reads adjtimex seconds.microseconds", () => {
    expect(parseStamp("1795543933.000005")).toBe(1795543933000005000n);
  });
  it("pads fractions shorter than nine digits", () => {
    expect(parseStamp("2026-11-24 18:00:12.5 +0000") % 1_000_000_000n).toBe(500000000n);
  });
  it("refuses anything else", () => {
    expect(() => parseStamp("yesterday")).toThrow(/unparseable/);
  });
});

describe("durations", () => {
  it("takes seconds between the start and end stamps of each step", () => {
    const out = [
      "seq-start 2026-11-24 18:00:00.000000000 +0000",
      "seq-end 2026-11-24 18:00:01.500000000 +0000",
      "small-start 2026-11-24 18:00:01.600000000 +0000",
      "small-end 2026-11-24 18:00:01.850000000 +0000",
    ].join("\n");
    expect(durations(out)).toEqual({ seq: 1.5, small: 0.25 });
  });
  it("says which stamp is missing", () => {
    expect(() => durations("seq-start 2026-11-24 18:00:00.0 +0000\n")).toThrow(/no seq-end/);
  });
});

describe("median", () => {
  it("is the middle value, or the mean of the middle two", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe("script", () => {
  it("runs under busybox sh and writes, then reads, what it says", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-datapath-test-"));
    try {
      const w = durations(execFileSync("busybox", ["sh", "-c", script("write", 2), "sh", dir], { encoding: "utf8" }));
      expect(statSync(join(dir, "seq")).size).toBe(2 * 1024 * 1024);
      expect(readdirSync(join(dir, "small"))).toHaveLength(2000);
      expect(statSync(join(dir, "small", "f1999")).size).toBe(4096);
      const r = durations(execFileSync("busybox", ["sh", "-c", script("read", 2), "sh", dir], { encoding: "utf8" }));
      for (const v of [w.seq, w.small, r.seq, r.small]) expect(v).toBeGreaterThanOrEqual(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
