import { describe, expect, it } from "vitest";
import type { Lease, Node, NodeCondition, Taint } from "../../api/index.js";
import { desiredTaints, observeHealth, overdueConditions } from "./decide.js";

function node(conditions: NodeCondition[] | undefined, taints?: Taint[]): Node {
  return { apiVersion: "v1", kind: "Node", metadata: { name: "n" }, spec: { taints }, status: { conditions } };
}
const lease = (renewTime: string): Lease => ({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "n" }, spec: { renewTime } });
const ready = (status: string) => [{ type: "Ready", status, reason: "KubeletReady", lastHeartbeatTime: "h1", lastTransitionTime: "t0" }];

describe("node lifecycle decisions", () => {
  it("a renewed lease keeps the node healthy; a silent one goes Unknown after the grace period", () => {
    const n = node(ready("True"));
    let h = observeHealth(undefined, n, lease("r1"), 0);
    h = observeHealth(h, n, lease("r2"), 30_000);
    expect(h.probeTimestamp).toBe(30_000);
    h = observeHealth(h, n, lease("r2"), 79_000);
    expect(overdueConditions(n, h, 79_000, "T")).toBeUndefined();
    const conds = overdueConditions(n, h, 80_001, "T");
    const r = conds?.find((c) => c.type === "Ready");
    expect(r).toEqual({ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastHeartbeatTime: "h1", lastTransitionTime: "T" });
    expect(conds?.find((c) => c.type === "MemoryPressure")).toMatchObject({ status: "Unknown", reason: "NodeStatusNeverUpdated", message: "Kubelet never posted node status." });
    expect(overdueConditions(node(conds), h, 90_000, "T2")).toBeUndefined();
  });

  it("taints follow the Ready condition", () => {
    expect(desiredTaints(node(ready("True")), "T")).toBeUndefined();
    expect(desiredTaints(node(ready("Unknown"), [{ key: "x", effect: "NoSchedule" }]), "T")).toEqual([
      { key: "x", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: "T" },
    ]);
    expect(desiredTaints(node(ready("False")), "T")?.map((t) => t.key)).toEqual(["node.kubernetes.io/not-ready", "node.kubernetes.io/not-ready"]);
    const tainted = node(ready("True"), [{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }, { key: "node.kubernetes.io/unreachable", effect: "NoExecute" }, { key: "y", effect: "NoExecute" }]);
    expect(desiredTaints(tainted, "T")).toEqual([{ key: "y", effect: "NoExecute" }]);
  });
});
