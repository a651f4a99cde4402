import { describe, it, expect } from "vitest";
import { applyWatchEvents, emptyClusterState, type ClusterState } from "./cluster-state.js";
import { buildTopology, describeNode, nodeId } from "./topology.js";
import { boundPair, guideClaim, guidePod, guideVolume, usageReport } from "./testing/guide-objects.js";
import type { KubeObject } from "../../api/types.js";

function stateOf(objs: { pvs?: KubeObject[]; pvcs?: KubeObject[]; pods?: KubeObject[] }): ClusterState {
  let s = emptyClusterState();
  s = applyWatchEvents(s, "persistentvolumes", (objs.pvs ?? []).map((object) => ({ type: "ADDED", object })));
  s = applyWatchEvents(s, "persistentvolumeclaims", (objs.pvcs ?? []).map((object) => ({ type: "ADDED", object })));
  s = applyWatchEvents(s, "pods", (objs.pods ?? []).map((object) => ({ type: "ADDED", object })));
  return s;
}

describe("buildTopology", () => {
  it("draws the guide's chain fs-12345678 ← efs-pv ← efs-pvc ← app-pod with confirmed edges", () => {
    const { pv, pvc } = boundPair();
    const t = buildTopology(stateOf({ pvs: [pv], pvcs: [pvc], pods: [guidePod()] }), usageReport());
    expect(t.edges.map((e) => [e.from, e.to, e.relation, e.confirmed])).toEqual(expect.arrayContaining([
      ["pv:efs-pv", "fs:fs-12345678", "stored-in", true],
      ["pvc:default/efs-pvc", "pv:efs-pv", "binds", true],
      ["pod:default/app-pod", "pvc:default/efs-pvc", "mounts", true],
    ]));
    expect(t.edges).toHaveLength(3);
    expect(t.nodes.get("pv:efs-pv")?.phase).toBe("Bound");
    expect(t.nodes.get("pvc:default/efs-pvc")?.phase).toBe("Bound");
    expect(t.nodes.get("fs:fs-12345678")?.phase).toBe("Available");
  });

  it("shows a Released volume with no binding edge once its claim is gone", () => {
    const pv = guideVolume({ phase: "Released", claimRef: { namespace: "default", name: "efs-pvc", uid: "pvc-uid" } });
    const t = buildTopology(stateOf({ pvs: [pv], pods: [guidePod()] }), usageReport());
    expect(t.nodes.get("pv:efs-pv")?.phase).toBe("Released");
    expect(t.edges.some((e) => e.relation === "binds")).toBe(false);
    // The pod still names the claim: it shows as missing, not silently dropped.
    expect(t.nodes.get("pvc:default/efs-pvc")).toMatchObject({ missing: true, phase: "Missing" });
  });

  it("draws an unconfirmed edge for a claimRef the claim has not answered yet", () => {
    const pv = guideVolume({ phase: "Bound", claimRef: { namespace: "default", name: "efs-pvc", uid: "pvc-uid" } });
    const t = buildTopology(stateOf({ pvs: [pv], pvcs: [guideClaim()] }), usageReport());
    expect(t.edges.find((e) => e.relation === "binds")).toMatchObject({ from: "pvc:default/efs-pvc", to: "pv:efs-pv", confirmed: false });
  });

  it("does not confirm a binding whose uids disagree (the claim was recreated)", () => {
    const pv = guideVolume({ phase: "Bound", claimRef: { namespace: "default", name: "efs-pvc", uid: "old-uid" } });
    const pvc = guideClaim({ phase: "Bound", volumeName: "efs-pv", uid: "new-uid" });
    const t = buildTopology(stateOf({ pvs: [pv], pvcs: [pvc] }), usageReport());
    expect(t.edges.filter((e) => e.relation === "binds")).toEqual([expect.objectContaining({ confirmed: false })]);
  });

  it("routes an access point handle to the access point, nested under its file system", () => {
    const pv = guideVolume({ handle: "efs:fs-12345678::fsap-0123456789abcdef0", policy: "Delete" });
    const t = buildTopology(stateOf({ pvs: [pv] }), usageReport({ accessPoints: [{ id: "fsap-0123456789abcdef0", bytes: 8192 }] }));
    expect(t.edges).toEqual([expect.objectContaining({ from: "pv:efs-pv", to: "ap:fsap-0123456789abcdef0" })]);
    expect(t.nodes.get("ap:fsap-0123456789abcdef0")).toMatchObject({ parent: "fs:fs-12345678", phase: "Available" });
    expect(t.nodes.get("pv:efs-pv")?.reclaimPolicy).toBe("Delete");
  });

  it("marks EFS nodes Missing when the report lacks them and Unknown before any report", () => {
    const pv = guideVolume({ handle: "fs-0000000a" });
    expect(buildTopology(stateOf({ pvs: [pv] }), usageReport()).nodes.get("fs:fs-0000000a")?.phase).toBe("Missing");
    expect(buildTopology(stateOf({ pvs: [pv] }), undefined).nodes.get("fs:fs-0000000a")?.phase).toBe("Unknown");
  });

  it("leaves out pods without claims and volumes of other drivers get no storage edge", () => {
    const bare = { ...guidePod({ name: "web" }), spec: { volumes: [{ name: "tmp" }] } };
    const hostPath = guideVolume({ name: "local" });
    hostPath.spec = { ...hostPath.spec, csi: { driver: "hostpath.csi.k8s.io", volumeHandle: "x" } };
    const t = buildTopology(stateOf({ pvs: [hostPath], pods: [bare] }), usageReport());
    expect(t.nodes.has("pod:default/web")).toBe(false);
    expect(t.nodes.has("pv:local")).toBe(true);
    expect(t.edges).toHaveLength(0);
  });

  it("shows claims and pods across namespaces, each pod joined to the claim of its own namespace", () => {
    const a = guideClaim({ namespace: "team-a" });
    const b = guideClaim({ namespace: "team-b" });
    const pod = { ...guidePod(), metadata: { ...guidePod().metadata, namespace: "team-b" } };
    const t = buildTopology(stateOf({ pvcs: [a, b], pods: [pod] }), undefined);
    expect(t.nodes.has(nodeId.claim("team-a", "efs-pvc"))).toBe(true);
    expect(t.edges).toEqual([expect.objectContaining({ from: "pod:team-b/app-pod", to: "pvc:team-b/efs-pvc" })]);
  });

  it("flags objects being deleted", () => {
    const t = buildTopology(stateOf({ pvs: [guideVolume({ deleting: true })] }), undefined);
    expect(t.nodes.get("pv:efs-pv")?.terminating).toBe(true);
  });

  it("describes a node in words, phase and neighbours included", () => {
    const { pv, pvc } = boundPair();
    const t = buildTopology(stateOf({ pvs: [pv], pvcs: [pvc], pods: [guidePod()] }), usageReport());
    const text = describeNode(t, t.nodes.get("pvc:default/efs-pvc")!);
    expect(text).toContain("PersistentVolumeClaim default/efs-pvc, Bound");
    expect(text).toContain("bound to PersistentVolume efs-pv");
    expect(text).toContain("mounted by Pod default/app-pod");
  });
});
