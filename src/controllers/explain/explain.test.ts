import { describe, expect, it } from "vitest";
import { ANN_STORAGE_PROVISIONER } from "../model/constants.js";
import type { AccessMode, KubeEvent, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass, VolumeMode } from "../model/types.js";
import { explainClaim } from "./explain-claim.js";
import { explainPod } from "./explain-pod.js";
import { explainVolume } from "./explain-volume.js";
import { renderExplanation } from "./render.js";
import type { ExplainSnapshot } from "./snapshot.js";

function pv(name: string, o: { size?: string; modes?: AccessMode[]; cls?: string; labels?: Record<string, string>; mode?: VolumeMode; phase?: string; claimRef?: PersistentVolume["spec"]["claimRef"]; policy?: string } = {}): PersistentVolume {
  const v: PersistentVolume = {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, uid: `uid-${name}`, labels: o.labels },
    spec: { capacity: { storage: o.size ?? "5Gi" }, accessModes: o.modes ?? ["ReadWriteMany"], storageClassName: o.cls ?? "", volumeMode: o.mode ?? "Filesystem", persistentVolumeReclaimPolicy: o.policy ?? "Retain", claimRef: o.claimRef },
    status: { phase: (o.phase ?? "Available") as "Available" },
  };
  if (!o.claimRef) delete v.spec.claimRef;
  return v;
}
function pvc(name: string, o: { size?: string; modes?: AccessMode[]; cls?: string | null; selector?: Record<string, string>; mode?: VolumeMode; volumeName?: string; ann?: Record<string, string> } = {}): PersistentVolumeClaim {
  const c: PersistentVolumeClaim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: "app", uid: `uid-${name}`, annotations: o.ann },
    spec: { resources: { requests: { storage: o.size ?? "5Gi" } }, accessModes: o.modes ?? ["ReadWriteMany"], volumeMode: o.mode ?? "Filesystem", selector: o.selector ? { matchLabels: o.selector } : undefined, volumeName: o.volumeName },
    status: { phase: "Pending" },
  };
  if (o.cls !== null) c.spec.storageClassName = o.cls ?? "";
  return c;
}
const sc = (name: string, provisioner: string, mode: "Immediate" | "WaitForFirstConsumer" = "Immediate"): StorageClass => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name }, provisioner, volumeBindingMode: mode });
const snap = (p: Partial<ExplainSnapshot>): ExplainSnapshot => ({ claims: [], volumes: [], classes: [], pods: [], nodes: [], events: [], ...p });

function causeIds(s: ExplainSnapshot, name: string): string[] {
  return explainClaim(s, "app", name).causes.map((c) => c.id);
}

describe("cistern explain pvc: typical Pending causes", () => {
  it("size: the only volume is too small, with the patch that fixes it", () => {
    const s = snap({ claims: [pvc("data", { size: "10Gi" })], volumes: [pv("small", { size: "5Gi" })] });
    const e = explainClaim(s, "app", "data");
    expect(e.candidates).toEqual([{ volume: "small", rejectedBy: "too-small", detail: "capacity 5Gi is less than the request 10Gi" }]);
    expect(e.causes[0].id).toBe("size");
    expect(e.causes[0].fixes[0]).toBe(`kubectl patch pv small --type merge -p '{"spec":{"capacity":{"storage":"10Gi"}}}'`);
    expect(e.summary).toContain("smaller than the request 10Gi");
  });
  it("access mode: RWO volume for a RWX claim", () => {
    const s = snap({ claims: [pvc("data", { modes: ["ReadWriteMany"] })], volumes: [pv("rwo", { modes: ["ReadWriteOnce"] })] });
    const e = explainClaim(s, "app", "data");
    expect(e.candidates?.[0]).toMatchObject({ rejectedBy: "access-modes" });
    expect(e.causes.map((c) => c.id)).toEqual(["access-mode"]);
    expect(e.causes[0].fixes[0]).toContain(`"accessModes":["ReadWriteMany"]`);
  });
  it("class: the volume belongs to another class", () => {
    const s = snap({ claims: [pvc("data", { cls: "fast" })], volumes: [pv("slow", { cls: "slow" })], classes: [sc("fast", "kubernetes.io/no-provisioner")] });
    const e = explainClaim(s, "app", "data");
    expect(e.candidates?.[0]).toMatchObject({ rejectedBy: "storage-class", detail: 'storageClassName "slow", the claim wants "fast"' });
    // Nothing of the claim's class matches, which is said first; the volume of another class comes last.
    expect(e.causes.map((c) => c.id)).toEqual(["no-provisioner", "storage-class"]);
    expect(e.causes[1].fixes[0]).toContain(`"storageClassName":"fast"`);
  });
  it("selector: the volume lacks the selected labels", () => {
    const s = snap({ claims: [pvc("data", { selector: { tier: "db" } })], volumes: [pv("plain")] });
    const e = explainClaim(s, "app", "data");
    expect(e.candidates?.[0]).toMatchObject({ rejectedBy: "selector" });
    expect(e.causes[0]).toMatchObject({ id: "selector", fixes: ["kubectl label pv plain tier=db"] });
  });
  it("volumeMode: Block claim, Filesystem volume", () => {
    const s = snap({ claims: [pvc("data", { mode: "Block" })], volumes: [pv("fs")] });
    const e = explainClaim(s, "app", "data");
    expect(e.candidates?.[0]).toMatchObject({ rejectedBy: "volume-mode", detail: "volumeMode Filesystem, the claim wants Block" });
    expect(e.causes[0].id).toBe("volume-mode");
    expect(e.causes[0].fixes).toEqual(["kubectl get pvc data -n app -o yaml > data.yaml", "kubectl replace --force -f data.yaml"]);
  });
  it("WaitForFirstConsumer: no pod yet, then a pod waiting to be scheduled", () => {
    const claims = [pvc("data", { cls: "efs-wait" })];
    const classes = [sc("efs-wait", "efs.csi.aws.com", "WaitForFirstConsumer")];
    const e = explainClaim(snap({ claims, classes }), "app", "data");
    expect(e.causes[0].id).toBe("wait-for-first-consumer");
    expect(e.summary).toContain("no pod uses this claim yet");
    expect(e.causes[0].fixes[0]).toContain("kubectl run data-consumer -n app");
    const pod: Pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "app" }, spec: { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] }, status: { phase: "Pending" } };
    const e2 = explainClaim(snap({ claims, classes, pods: [pod] }), "app", "data");
    expect(e2.summary).toContain("waiting for pod web to be scheduled");
    expect(e2.pods).toEqual([{ name: "web", node: undefined, phase: "Pending", note: "waiting to be scheduled" }]);
  });
});

describe("cistern explain pvc: other states", () => {
  it("external provisioner: handed over, waiting", () => {
    const s = snap({ claims: [pvc("data", { cls: "efs", ann: { [ANN_STORAGE_PROVISIONER]: "efs.csi.aws.com" } })], classes: [sc("efs", "efs.csi.aws.com")] });
    expect(causeIds(s, "data")).toEqual(["external-provisioning"]);
    expect(explainClaim(s, "app", "data").summary).toBe('waiting for the external provisioner "efs.csi.aws.com" to create a volume');
  });
  it("missing class, no class at all, Released volume, named volume missing", () => {
    expect(causeIds(snap({ claims: [pvc("data", { cls: "nope" })] }), "data")).toEqual(["storage-class-missing"]);
    expect(causeIds(snap({ claims: [pvc("data", { cls: null })] }), "data")).toEqual(["no-volume"]);
    const released = pv("old", { phase: "Released", claimRef: { namespace: "app", name: "data", uid: "gone" } });
    const e = explainClaim(snap({ claims: [pvc("data")], volumes: [released] }), "app", "data");
    expect(e.causes.map((c) => c.id)).toEqual(["released-volume", "no-volume"]);
    expect(e.causes[0].fixes[0]).toBe(`kubectl patch pv old --type json -p '[{"op":"remove","path":"/spec/claimRef"}]'`);
    expect(causeIds(snap({ claims: [pvc("data", { volumeName: "ghost" })] }), "data")).toEqual(["volume-missing"]);
  });
  it("a matching volume: the binder is about to bind it", () => {
    const e = explainClaim(snap({ claims: [pvc("data")], volumes: [pv("big", { size: "50Gi" }), pv("ok")] }), "app", "data");
    expect(e.summary).toBe("volume ok matches; the binder is binding it");
    expect(e.candidates?.find((c) => c.volume === "ok")?.detail).toBe("will be bound (best match)");
  });
  it("not found", () => {
    expect(explainClaim(snap({}), "app", "x")).toMatchObject({ found: false, summary: 'persistentvolumeclaim "x" not found in namespace "app"' });
  });
  it("renders text with the candidates, causes and events", () => {
    const events: KubeEvent[] = [{ apiVersion: "v1", kind: "Event", metadata: { name: "e1", namespace: "app" }, involvedObject: { kind: "PersistentVolumeClaim", namespace: "app", name: "data" }, type: "Normal", reason: "FailedBinding", message: "no persistent volumes available for this claim and no storage class is set", count: 3, source: { component: "persistentvolume-controller" } }];
    const text = renderExplanation(explainClaim(snap({ claims: [pvc("data", { size: "10Gi" })], volumes: [pv("small")], events }), "app", "data"));
    expect(text).toContain("PersistentVolumeClaim app/data");
    expect(text).toMatch(/small\s+rejected: too-small\s+capacity 5Gi is less than the request 10Gi/);
    expect(text).toContain("$ kubectl patch pv small");
    expect(text).toMatch(/Normal\s+FailedBinding\s+3\s+persistentvolume-controller/);
  });
});

describe("cistern explain pvc: which cause comes first", () => {
  // The situation docs/troubleshooting.md met: a claim of a missing class, a volume without a class that would
  // fit otherwise, a Released volume of the claim's own class, and a volume bound elsewhere.
  const missingClassScene = () =>
    snap({
      claims: [pvc("fast-claim", { cls: "fast-ssd" })],
      volumes: [
        pv("small-pv", { cls: "" }),
        pv("old-fast", { cls: "fast-ssd", phase: "Released", claimRef: { namespace: "app", name: "earlier", uid: "gone" } }),
        pv("efs-pv", { cls: "", phase: "Bound", claimRef: { namespace: "default", name: "efs-pvc", uid: "u1" } }),
      ],
    });
  it("a missing StorageClass first, then the Released volume of its class, the volume of another class last", () => {
    const e = explainClaim(missingClassScene(), "app", "fast-claim");
    expect(e.causes.map((c) => c.id)).toEqual(["storage-class-missing", "released-volume", "storage-class"]);
    expect(e.summary).toBe('StorageClass "fast-ssd" does not exist');
    expect(e.causes[1].message).toBe("old-fast is Released (kept from a deleted claim) and would otherwise match: Released volumes are not reused; remove its claimRef to let this claim bind it, or delete the volume");
    expect(e.causes[1].fixes).toEqual([`kubectl patch pv old-fast --type json -p '[{"op":"remove","path":"/spec/claimRef"}]'`]);
    expect(e.causes[2].message).toContain("small-pv would match but belongs to another class");
  });
  it("-o json and the text agree: the summary is the first cause, listed first", () => {
    const e = explainClaim(missingClassScene(), "app", "fast-claim");
    const json = JSON.parse(JSON.stringify(e)) as typeof e;
    expect(json.summary).toBe(json.causes[0].message);
    const text = renderExplanation(e);
    expect(text).toContain(`Why: ${e.summary}`);
    const order = e.causes.map((c) => text.indexOf(`. ${c.message}`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
  it("a misfit inside the claim's class outranks a volume of another class, and a provisioner at work outranks both", () => {
    const scene = (classes: StorageClass[]) => snap({ claims: [pvc("data", { cls: "efs", size: "10Gi" })], volumes: [pv("other", { cls: "", size: "10Gi" }), pv("tiny", { cls: "efs", size: "1Gi" })], classes });
    expect(causeIds(scene([sc("efs", "kubernetes.io/no-provisioner")]), "data")).toEqual(["size", "storage-class"]);
    expect(causeIds(scene([sc("efs", "efs.csi.aws.com")]), "data")).toEqual(["external-provisioning", "size", "storage-class"]);
  });
  it("a class name without a StorageClass pairs static volumes: a misfit of that class comes before the missing class", () => {
    const e = explainClaim(snap({ claims: [pvc("data", { cls: "manual", size: "10Gi" })], volumes: [pv("manual-pv", { cls: "manual", size: "5Gi" }), pv("other", { cls: "", size: "10Gi" })] }), "app", "data");
    expect(e.causes.map((c) => c.id)).toEqual(["size", "storage-class-missing", "storage-class"]);
  });
  it("a claim without a class: nothing to provision is said before a volume of another class", () => {
    const e = explainClaim(snap({ claims: [pvc("data", { cls: "" })], volumes: [pv("classy", { cls: "gold" })] }), "app", "data");
    expect(e.causes.map((c) => c.id)).toEqual(["no-volume", "storage-class"]);
  });
});

describe("cistern explain pv and pod", () => {
  it("a Released volume under Retain: data kept, how to reuse it", () => {
    const e = explainVolume(snap({ volumes: [pv("old", { phase: "Released", claimRef: { namespace: "app", name: "data", uid: "u" } })] }), "old");
    expect(e.summary).toBe("Released: its claim app/data was deleted; reclaim policy Retain");
    expect(e.causes[0]).toMatchObject({ id: "retained" });
  });
  it("a Bound volume being deleted is held until its claim goes", () => {
    const v = pv("held", { phase: "Bound", claimRef: { namespace: "app", name: "data", uid: "uid-data" } });
    v.metadata.deletionTimestamp = "2024-01-01T00:00:00Z";
    v.metadata.finalizers = ["kubernetes.io/pv-protection"];
    const e = explainVolume(snap({ volumes: [v], claims: [pvc("data")] }), "held");
    expect(e.causes[0]).toMatchObject({ id: "in-use", fixes: ["kubectl delete pvc data -n app"] });
  });
  it("a pod held by an unbound Immediate claim points at the claim's cause", () => {
    const pod: Pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "app" }, spec: { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] }, status: { phase: "Pending" } };
    const s = snap({ pods: [pod], claims: [pvc("data", { size: "10Gi" })], volumes: [pv("small")], nodes: [{ apiVersion: "v1", kind: "Node", metadata: { name: "n1" } }] });
    const e = explainPod(s, "app", "web");
    expect(e.summary).toContain("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
    expect(e.causes[0].id).toBe("size");
    expect(e.causes[0].message).toMatch(/^claim data: too small/);
    expect(e.nodes).toEqual([{ name: "n1", verdict: "pod has unbound immediate PersistentVolumeClaims" }]);
  });
});
