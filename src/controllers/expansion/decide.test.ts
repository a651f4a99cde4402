import { describe, expect, it } from "vitest";
import type { PersistentVolume, PersistentVolumeClaim } from "../model/types.js";
import { nextExpansionStep } from "./decide.js";

const NOW = "2024-05-01T00:00:00Z";
const claim = (request: string, capacity: string, phase: "Bound" | "Pending" = "Bound"): PersistentVolumeClaim => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "c", namespace: "ns" },
  spec: { volumeName: "pv", resources: { requests: { storage: request } } },
  status: { phase, capacity: { storage: capacity } },
});
const volume = (cap: string): PersistentVolume => ({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv" }, spec: { capacity: { storage: cap } } });

describe("expansion flow (external-resizer semantics)", () => {
  it("runs mark → grow → finish and then stops", () => {
    let c = claim("2Gi", "1Gi");
    let v = volume("1Gi");
    const s1 = nextExpansionStep(c, v, NOW);
    expect(s1.step).toBe("mark-in-progress");
    if (s1.step !== "mark-in-progress") return;
    expect(s1.claim.status?.conditions).toEqual([{ type: "Resizing", status: "True", lastProbeTime: null, lastTransitionTime: NOW }]);
    expect(s1.claim.status?.allocatedResources).toEqual({ storage: "2Gi" });
    expect(s1.claim.status?.allocatedResourceStatuses).toEqual({ storage: "ControllerResizeInProgress" });
    c = s1.claim;
    const s2 = nextExpansionStep(c, v, NOW);
    expect(s2.step).toBe("grow-volume");
    if (s2.step !== "grow-volume") return;
    expect(s2.volume.spec.capacity).toEqual({ storage: "2Gi" });
    v = s2.volume;
    const s3 = nextExpansionStep(c, v, NOW);
    expect(s3.step).toBe("finish");
    if (s3.step !== "finish") return;
    expect(s3.claim.status?.capacity).toEqual({ storage: "2Gi" });
    expect(s3.claim.status?.conditions).toBeUndefined();
    expect(s3.claim.status?.allocatedResourceStatuses).toBeUndefined();
    expect(s3.claim.status?.allocatedResources).toEqual({ storage: "2Gi" });
    expect(nextExpansionStep(s3.claim, v, NOW).step).toBe("none");
  });
  it("does nothing for unbound claims, equal or smaller requests, or a volume already big enough", () => {
    expect(nextExpansionStep(claim("2Gi", "1Gi", "Pending"), volume("1Gi"), NOW).step).toBe("none");
    expect(nextExpansionStep(claim("1Gi", "1Gi"), volume("1Gi"), NOW).step).toBe("none");
    expect(nextExpansionStep(claim("1Gi", "2Gi"), volume("2Gi"), NOW).step).toBe("none");
    expect(nextExpansionStep(claim("2Gi", "1Gi"), volume("5Gi"), NOW).step).toBe("none");
    expect(nextExpansionStep(claim("2Gi", "1Gi"), undefined, NOW).step).toBe("none");
  });
  it("compares exact quantities (1Gi vs 1073741824)", () => {
    expect(nextExpansionStep(claim("1073741824", "1Gi"), volume("1Gi"), NOW).step).toBe("none");
    expect(nextExpansionStep(claim("1073741825", "1Gi"), volume("1Gi"), NOW).step).toBe("mark-in-progress");
  });
});
