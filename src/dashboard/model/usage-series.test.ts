import { describe, it, expect } from "vitest";
import { accessPointSizeSeries, fileSystemSizeSeries, ioRateSeries, latestValue, mergeSamples } from "./usage-series.js";
import type { IoCounters, UsageSample } from "./usage-types.js";

const io = (n: number): IoCounters => ({ readBytes: n, writeBytes: 2 * n, metadataBytes: 0, readOps: 0, writeOps: 0, metadataOps: 0 });
const sample = (t: number, size: number, ioBytes?: number, ap?: number | null): UsageSample => ({
  t,
  fileSystems: { "fs-1": { size, connections: 1, ...(ioBytes === undefined ? {} : { io: io(ioBytes) }) } },
  accessPoints: ap === undefined ? {} : { "fsap-1": { fileSystemId: "fs-1", bytes: ap } },
});

describe("mergeSamples", () => {
  it("appends only newer samples and keeps at most capacity", () => {
    const held = [sample(1000, 1), sample(2000, 2)];
    const merged = mergeSamples(held, [sample(2000, 99), sample(4000, 4), sample(3000, 3)], 3);
    expect(merged.map((s) => s.t)).toEqual([2000, 3000, 4000]);
    expect(mergeSamples(held, [sample(1500, 0)], 10)).toBe(held);
  });
});

describe("size series", () => {
  it("gives epoch seconds and null where a sample lacks the file system or access point", () => {
    const s = [sample(1000, 10, undefined, 5), { t: 2000, fileSystems: {}, accessPoints: {} }, sample(3000, 30, undefined, null)];
    expect(fileSystemSizeSeries(s, "fs-1")).toEqual([[1, 2, 3], [10, null, 30]]);
    expect(accessPointSizeSeries(s, "fsap-1")).toEqual([[1, 2, 3], [5, null, null]]);
    expect(latestValue(accessPointSizeSeries(s, "fsap-1"))).toBe(5);
  });
});

describe("ioRateSeries", () => {
  it("turns cumulative counters into per-second rates stamped at the later sample", () => {
    const s = [sample(0, 0, 0), sample(10_000, 0, 1000), sample(20_000, 0, 1000)];
    expect(ioRateSeries(s, "fs-1")).toEqual([[10, 20], [100, 0], [200, 0], [0, 0]]);
  });

  it("leaves a gap, never a negative rate, when a counter resets or is missing", () => {
    const s = [sample(0, 0, 5000), sample(10_000, 0, 100), sample(20_000, 0), sample(30_000, 0, 200)];
    const [, read] = ioRateSeries(s, "fs-1");
    expect(read).toEqual([null, null, null]);
  });
});
