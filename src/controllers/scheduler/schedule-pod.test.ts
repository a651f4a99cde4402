import { describe, expect, it } from "vitest";
import { ANN_BIND_COMPLETED, ANN_SELECTED_NODE } from "../model/constants.js";
import type { AccessMode, Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from "../model/types.js";
import { podClaimKeys, volumeClass } from "../model/volume-helpers.js";
import { schedulePod } from "./schedule-pod.js";
import type { SchedulerSnapshot } from "./snapshot.js";

const PREEMPT = (n: number) => ` preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;

function node(name: string, labels: Record<string, string> = {}, spec: Node["spec"] = {}): Node {
  return { apiVersion: "v1", kind: "Node", metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } }, spec };
}
function pod(name: string, claims: string[], extra: Partial<Pod["spec"]> = {}, nodeName?: string): Pod {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "ns" }, spec: { nodeName, volumes: claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } })), ...extra }, status: { phase: nodeName ? "Running" : "Pending" } };
}
function claim(name: string, o: { cls?: string; volume?: string; modes?: AccessMode[]; size?: string; ann?: Record<string, string>; phase?: "Pending" | "Bound" | "Lost"; deleting?: boolean } = {}): PersistentVolumeClaim {
  const bound: Record<string, string> = o.volume ? { [ANN_BIND_COMPLETED]: "yes" } : {};
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: "ns", uid: `uid-${name}`, annotations: { ...bound, ...(o.ann ?? {}) }, ...(o.deleting ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}) },
    spec: { accessModes: o.modes ?? ["ReadWriteOnce"], storageClassName: o.cls ?? "", volumeName: o.volume, resources: { requests: { storage: o.size ?? "1Gi" } } },
    status: { phase: o.phase ?? (o.volume ? "Bound" : "Pending") },
  };
}
function volume(name: string, o: { cls?: string; host?: string; size?: string; claimRef?: PersistentVolume["spec"]["claimRef"] } = {}): PersistentVolume {
  const pv: PersistentVolume = {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name },
    spec: { capacity: { storage: o.size ?? "1Gi" }, accessModes: ["ReadWriteOnce"], storageClassName: o.cls ?? "", volumeMode: "Filesystem", claimRef: o.claimRef },
    status: { phase: "Available" },
  };
  if (!o.claimRef) delete pv.spec.claimRef;
  if (o.host) pv.spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [o.host] }] }] } };
  return pv;
}
const wffc = (name: string, provisioner = "efs.csi.aws.com"): StorageClass => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name }, provisioner, volumeBindingMode: "WaitForFirstConsumer" });

function snap(o: { nodes: Node[]; claims?: PersistentVolumeClaim[]; volumes?: PersistentVolume[]; classes?: StorageClass[]; pods?: Pod[] }): SchedulerSnapshot {
  const pods = o.pods ?? [];
  return {
    nodes: o.nodes,
    claim: (ns, n) => (o.claims ?? []).find((c) => c.metadata.namespace === ns && c.metadata.name === n),
    volume: (n) => (o.volumes ?? []).find((v) => v.metadata.name === n),
    volumesOfClass: (cls) => (o.volumes ?? []).filter((v) => volumeClass(v) === cls),
    storageClass: (n) => (o.classes ?? []).find((c) => c.metadata.name === n),
    podsUsingClaim: (k) => pods.filter((p) => podClaimKeys(p).includes(k)),
    podCount: (n) => pods.filter((p) => p.spec.nodeName === n).length,
    nodeOf: (p) => p.spec.nodeName,
  };
}

const two = [node("n1"), node("n2")];

describe("schedulePod: PreFilter (VolumeBinding)", () => {
  it("refuses a pod with an unbound Immediate claim", () => {
    const r = schedulePod(pod("p", ["data"]), snap({ nodes: two, claims: [claim("data")] }));
    expect(r).toMatchObject({ kind: "unschedulable", message: "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims." + PREEMPT(2) });
  });
  it("names a missing, deleting or lost claim", () => {
    expect(schedulePod(pod("p", ["nope"]), snap({ nodes: two })).kind === "unschedulable" && (schedulePod(pod("p", ["nope"]), snap({ nodes: two })) as { message: string }).message).toBe(`0/2 nodes are available: persistentvolumeclaim "nope" not found.${PREEMPT(2)}`);
    const del = schedulePod(pod("p", ["d"]), snap({ nodes: two, claims: [claim("d", { volume: "pv", deleting: true })] }));
    expect(del).toMatchObject({ message: `0/2 nodes are available: persistentvolumeclaim "d" is being deleted.${PREEMPT(2)}` });
    const lost = schedulePod(pod("p", ["l"]), snap({ nodes: two, claims: [claim("l", { volume: "gone", phase: "Lost" })] }));
    expect(lost).toMatchObject({ message: `0/2 nodes are available: persistentvolumeclaim "l" bound to non-existent persistentvolume "gone".${PREEMPT(2)}` });
  });
});

describe("schedulePod: Filter", () => {
  it("keeps a pod with a bound volume on the volume's node", () => {
    const s = snap({ nodes: two, claims: [claim("data", { volume: "pv" })], volumes: [volume("pv", { host: "n2" })] });
    expect(schedulePod(pod("p", ["data"]), s)).toMatchObject({ kind: "assign", node: "n2" });
    const only1 = snap({ nodes: [node("n1")], claims: [claim("data", { volume: "pv" })], volumes: [volume("pv", { host: "n2" })] });
    expect(schedulePod(pod("p", ["data"]), only1)).toMatchObject({ message: `0/1 nodes are available: 1 node(s) had volume node affinity conflict.${PREEMPT(1)}` });
  });
  it("reports a claim bound to a missing volume", () => {
    const s = snap({ nodes: two, claims: [claim("data", { volume: "pv" })] });
    expect(schedulePod(pod("p", ["data"]), s)).toMatchObject({ message: `0/2 nodes are available: 2 node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s).${PREEMPT(2)}` });
  });
  it("WaitForFirstConsumer: picks a node a static volume can reach and plans its pre-binding", () => {
    const s = snap({ nodes: two, claims: [claim("data", { cls: "local" })], volumes: [volume("pv-n2", { cls: "local", host: "n2" })], classes: [wffc("local", "kubernetes.io/no-provisioner")] });
    const r = schedulePod(pod("p", ["data"]), s);
    expect(r.kind).toBe("assign");
    if (r.kind === "assign") {
      expect(r.node).toBe("n2");
      expect(r.volumes.staticBindings.map((b) => b.volume.metadata.name)).toEqual(["pv-n2"]);
      expect(r.volumes.provisions).toEqual([]);
    }
  });
  it("WaitForFirstConsumer: no volume and no provisioner → didn't find available persistent volumes", () => {
    const s = snap({ nodes: two, claims: [claim("data", { cls: "local" })], classes: [wffc("local", "kubernetes.io/no-provisioner")] });
    expect(schedulePod(pod("p", ["data"]), s)).toMatchObject({ message: `0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.${PREEMPT(2)}` });
  });
  it("WaitForFirstConsumer with a provisioner: provisions on the chosen node; selected-node pins it", () => {
    const s = snap({ nodes: two, claims: [claim("data", { cls: "efs" })], classes: [wffc("efs")] });
    const r = schedulePod(pod("p", ["data"]), s);
    expect(r).toMatchObject({ kind: "assign", node: "n1" });
    if (r.kind === "assign") expect(r.volumes.provisions.map((c) => c.metadata.name)).toEqual(["data"]);
    const pinned = snap({ nodes: two, claims: [claim("data", { cls: "efs", ann: { [ANN_SELECTED_NODE]: "n2" } })], classes: [wffc("efs")] });
    expect(schedulePod(pod("p", ["data"]), pinned)).toMatchObject({ kind: "assign", node: "n2" });
  });
  it("two WaitForFirstConsumer claims never get the same volume", () => {
    const s = snap({ nodes: [node("n1")], claims: [claim("a", { cls: "local" }), claim("b", { cls: "local" })], volumes: [volume("v1", { cls: "local" })], classes: [wffc("local", "kubernetes.io/no-provisioner")] });
    expect(schedulePod(pod("p", ["a", "b"]), s)).toMatchObject({ kind: "unschedulable" });
    const s2 = snap({ nodes: [node("n1")], claims: [claim("a", { cls: "local" }), claim("b", { cls: "local", size: "2Gi" })], volumes: [volume("v1", { cls: "local", size: "2Gi" }), volume("v2", { cls: "local" })], classes: [wffc("local", "kubernetes.io/no-provisioner")] });
    const r = schedulePod(pod("p", ["a", "b"]), s2);
    expect(r.kind === "assign" && r.volumes.staticBindings.map((b) => `${b.claim.metadata.name}=${b.volume.metadata.name}`).sort()).toEqual(["a=v2", "b=v1"]);
  });
  it("ReadWriteOncePod: one pod in the whole cluster", () => {
    const c = claim("solo", { volume: "pv", modes: ["ReadWriteOncePod"] });
    const running = pod("first", ["solo"], {}, "n1");
    const s = snap({ nodes: two, claims: [c], volumes: [volume("pv")], pods: [running] });
    expect(schedulePod(pod("second", ["solo"]), s)).toMatchObject({ message: `0/2 nodes are available: 2 node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode.${PREEMPT(2)}` });
  });
  it("ReadWriteOnce: every pod of the claim on one node", () => {
    const c = claim("rwo", { volume: "pv" });
    const s = snap({ nodes: two, claims: [c], volumes: [volume("pv")], pods: [pod("first", ["rwo"], {}, "n2")] });
    expect(schedulePod(pod("second", ["rwo"]), s)).toMatchObject({ kind: "assign", node: "n2" });
    const rwx = claim("rwx", { volume: "pv", modes: ["ReadWriteMany"] });
    const s2 = snap({ nodes: two, claims: [rwx], volumes: [volume("pv")], pods: [pod("first", ["rwx"], {}, "n1")] });
    expect(schedulePod(pod("second", ["rwx"]), s2)).toMatchObject({ kind: "assign", node: "n2" });
  });
  it("nodeSelector, required node affinity, taints and unschedulable nodes", () => {
    const nodes = [node("a", { disk: "ssd" }), node("b", {}, { unschedulable: true }), node("c", { disk: "ssd" }, { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] })];
    const r = schedulePod(pod("p", [], { nodeSelector: { disk: "hdd" } }), snap({ nodes }));
    expect(r).toMatchObject({
      message: `0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable.${PREEMPT(3)}`,
    });
    expect(schedulePod(pod("p", [], { nodeSelector: { disk: "ssd" }, tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }] }), snap({ nodes, pods: [pod("x", [], {}, "a")] }))).toMatchObject({ kind: "assign", node: "c" });
  });
  it("spreads: the node with fewer pods wins, then the first by name", () => {
    const s = snap({ nodes: two, pods: [pod("x", [], {}, "n1")] });
    expect(schedulePod(pod("p", []), s)).toMatchObject({ kind: "assign", node: "n2" });
  });
  it("no nodes at all", () => {
    expect(schedulePod(pod("p", []), snap({ nodes: [] }))).toMatchObject({ message: "no nodes available to schedule pods" });
  });
});
