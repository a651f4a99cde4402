import { describe, it, expect } from "vitest";
import { parseStatsSummary, usageByClaim } from "./node-stats.js";

const summary = {
  node: { nodeName: "node-1" },
  pods: [
    { podRef: { name: "app-pod", namespace: "default" }, volume: [
      { name: "efs-vol", pvcRef: { name: "efs-pvc", namespace: "default" }, usedBytes: 4096, capacityBytes: 1 << 30, availableBytes: 1000, time: "2024-01-01T00:00:05Z" },
      { name: "tmp", usedBytes: 10 },
    ] },
    { podRef: { name: "other" }, volume: [{ name: "v", pvcRef: { name: "efs-pvc", namespace: "default" }, usedBytes: 8192, time: "2024-01-01T00:00:09Z" }] },
    { podRef: { name: "bad" }, volume: [{ pvcRef: { name: "x", namespace: "default" }, usedBytes: -1 }, { pvcRef: { name: "y" }, usedBytes: 1 }] },
    "junk",
  ],
};

describe("parseStatsSummary", () => {
  it("reads the claim-backed volumes of every pod and skips the rest", () => {
    const rows = parseStatsSummary("node-1", summary);
    expect(rows.map((r) => [r.pod, r.claim, r.usedBytes])).toEqual([["app-pod", "efs-pvc", 4096], ["other", "efs-pvc", 8192]]);
    expect(rows[0]).toMatchObject({ node: "node-1", capacityBytes: 1 << 30, availableBytes: 1000 });
  });

  it("returns nothing for anything that is not a summary", () => {
    expect(parseStatsSummary("n", null)).toEqual([]);
    expect(parseStatsSummary("n", { pods: "x" })).toEqual([]);
  });
});

describe("usageByClaim", () => {
  it("keeps the newest report per claim", () => {
    const by = usageByClaim(parseStatsSummary("node-1", summary));
    expect(by.get("default/efs-pvc")?.usedBytes).toBe(8192);
    expect(by.size).toBe(1);
  });
});
