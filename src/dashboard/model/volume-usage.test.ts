import { describe, it, expect } from "vitest";
import { applyWatchEvents, emptyClusterState } from "./cluster-state.js";
import { volumeUsageRows } from "./volume-usage.js";
import { guideVolume, usageReport } from "./testing/guide-objects.js";
import type { ClaimUsage } from "./node-stats.js";

describe("volumeUsageRows", () => {
  const volumes = [
    guideVolume({ name: "whole", policy: "Retain" }),
    guideVolume({ name: "ap", handle: "efs:fs-12345678::fsap-00000000000000001", policy: "Delete" }),
    guideVolume({ name: "sub", handle: "fs-12345678:/data", claimRef: { namespace: "default", name: "c" } }),
    guideVolume({ name: "nothing", handle: "fs-12345678:/other" }),
  ];
  const state = applyWatchEvents(emptyClusterState(), "persistentvolumes", volumes.map((object) => ({ type: "ADDED", object })));
  const claims = new Map<string, ClaimUsage>([["default/c", { namespace: "default", claim: "c", node: "n", pod: "p", usedBytes: 50_000, time: 1 }]]);
  const rows = volumeUsageRows(state, usageReport({ size: 100_000, accessPoints: [{ id: "fsap-00000000000000001", bytes: 20_000 }] }), claims);

  it("sorts volumes by usage, largest first, unknown last", () => {
    expect(rows.map((r) => [r.volume, r.usedBytes, r.source])).toEqual([
      ["whole", 100_000, "file system"],
      ["sub", 50_000, "node"],
      ["ap", 20_000, "access point"],
      ["nothing", null, "none"],
    ]);
  });

  it("says where releasing the claim would delete data", () => {
    expect(rows.find((r) => r.volume === "ap")).toMatchObject({ reclaimPolicy: "Delete", deletesData: true });
    expect(rows.find((r) => r.volume === "whole")).toMatchObject({ reclaimPolicy: "Retain", deletesData: false });
  });

  it("marks a claim that no longer exists", () => {
    expect(rows.find((r) => r.volume === "sub")).toMatchObject({ claim: "default/c", claimGone: true });
    expect(rows.find((r) => r.volume === "whole")).toMatchObject({ claim: undefined, claimGone: false });
  });

  it("falls back to node reports when the EFS report is not there", () => {
    const bare = volumeUsageRows(state, undefined, claims);
    expect(bare.filter((r) => r.usedBytes !== null).map((r) => r.volume)).toEqual(["sub"]);
  });
});
