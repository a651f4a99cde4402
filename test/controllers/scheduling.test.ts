/**
 * Scheduler, expansion, namespace and serviceaccount controllers against a real API server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/api/types.js";
import { startControllers, type PersistentVolume, type PersistentVolumeClaim, type Pod, type RunningControllers } from "../../src/controllers/index.js";
import { startTestCluster, type TestCluster } from "./support/cluster.js";
import { R, api, eventually, getOrUndefined, nodeObj, podObj, pvObj, pvcObj, scObj } from "./support/objects.js";

let cluster: TestCluster;
let ctrl: RunningControllers;

beforeAll(async () => {
  cluster = await startTestCluster();
  for (const ns of ["sched", "grow"]) await api(cluster.client, R.ns).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  await api(cluster.client, R.node).create(nodeObj("node-a", { zone: "a" }));
  await api(cluster.client, R.node).create(nodeObj("node-b", { zone: "b" }));
  ctrl = await startControllers({ client: cluster.client, workers: 8 });
});

afterAll(async () => {
  await ctrl?.stop();
  await cluster?.stop();
});

const pods = () => api<Pod>(cluster.client, R.pod);
const pvcs = () => api<PersistentVolumeClaim>(cluster.client, R.pvc);
const pvs = () => api<PersistentVolume>(cluster.client, R.pv);

async function scheduled(ns: string, name: string): Promise<Pod> {
  return eventually(async () => {
    const p = await pods().get(ns, name);
    return p.spec.nodeName ? p : undefined;
  }, `pod ${ns}/${name} scheduled`);
}

async function eventsOf(ns: string, name: string, reason: string): Promise<{ message: string; type: string }[]> {
  return eventually(async () => {
    const list = (await api(cluster.client, R.event).list(ns)).items as unknown as { involvedObject: { name: string }; reason: string; message: string; type: string }[];
    const hits = list.filter((e) => e.involvedObject.name === name && e.reason === reason);
    return hits.length ? hits : undefined;
  }, `${reason} event for ${name}`);
}

describe("scheduler", () => {
  it("schedules a pod without volumes and records Scheduled", async () => {
    await pods().create(podObj("sched", "plain", []));
    const p = await scheduled("sched", "plain");
    expect(["node-a", "node-b"]).toContain(p.spec.nodeName);
    const [e] = await eventsOf("sched", "plain", "Scheduled");
    expect(e.message).toBe(`Successfully assigned sched/plain to ${p.spec.nodeName}`);
  });

  it("respects nodeSelector", async () => {
    await pods().create(podObj("sched", "in-b", [], undefined, { nodeSelector: { zone: "b" } }));
    expect((await scheduled("sched", "in-b")).spec.nodeName).toBe("node-b");
  });

  it("refuses a pod whose Immediate claim is unbound, with upstream's message, then schedules it once bound", async () => {
    await pvcs().create(pvcObj("sched", "later", { cls: "t-later" }));
    await pods().create(podObj("sched", "waits", ["later"]));
    const [e] = await eventsOf("sched", "waits", "FailedScheduling");
    expect(e.type).toBe("Warning");
    expect(e.message).toBe("0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
    const pending = await pods().get("sched", "waits");
    expect(pending.status?.conditions?.find((c) => c.type === "PodScheduled")).toMatchObject({ status: "False", reason: "Unschedulable" });
    await pvs().create(pvObj("later-vol", { cls: "t-later" }));
    await scheduled("sched", "waits");
  });

  it("WaitForFirstConsumer: picks the node the only fitting volume can reach, pre-binds it, then binds the pod", async () => {
    await api(cluster.client, R.sc).create(scObj("local-wait", "kubernetes.io/no-provisioner", { mode: "WaitForFirstConsumer" }));
    await pvs().create(pvObj("local-b", { cls: "local-wait", host: "node-b", modes: ["ReadWriteOnce"] }));
    await pvcs().create(pvcObj("sched", "local", { cls: "local-wait", modes: ["ReadWriteOnce"] }));
    const [wait] = await eventsOf("sched", "local", "WaitForFirstConsumer");
    expect(wait.message).toBe("waiting for first consumer to be created before binding");
    await pods().create(podObj("sched", "uses-local", ["local"]));
    expect((await scheduled("sched", "uses-local")).spec.nodeName).toBe("node-b");
    const claim = await pvcs().get("sched", "local");
    expect(claim.spec.volumeName).toBe("local-b");
    expect((await pvs().get(undefined, "local-b")).metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBe("yes");
  });

  it("WaitForFirstConsumer with a provisioner: sets selected-node and hands the claim to the provisioner", async () => {
    await api(cluster.client, R.sc).create(scObj("efs-wait", "efs.csi.aws.com", { mode: "WaitForFirstConsumer" }));
    await pvcs().create(pvcObj("sched", "dyn", { cls: "efs-wait" }));
    await pods().create(podObj("sched", "uses-dyn", ["dyn"], undefined, { nodeSelector: { zone: "a" } }));
    const claim = await eventually(async () => {
      const c = await pvcs().get("sched", "dyn");
      return c.metadata.annotations?.["volume.kubernetes.io/storage-provisioner"] ? c : undefined;
    }, "claim handed to the provisioner");
    expect(claim.metadata.annotations?.["volume.kubernetes.io/selected-node"]).toBe("node-a");
    expect(claim.metadata.annotations?.["volume.beta.kubernetes.io/storage-provisioner"]).toBe("efs.csi.aws.com");
    await eventsOf("sched", "dyn", "ExternalProvisioning");
    // Play the external provisioner: a PV pre-bound to the claim.
    await pvs().create({ ...pvObj("pvc-dyn", { cls: "efs-wait", policy: "Delete", annotations: { "pv.kubernetes.io/provisioned-by": "efs.csi.aws.com" } }), spec: { ...pvObj("pvc-dyn", { cls: "efs-wait" }).spec, persistentVolumeReclaimPolicy: "Delete", claimRef: { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: "sched", name: "dyn", uid: claim.metadata.uid } } });
    expect((await scheduled("sched", "uses-dyn")).spec.nodeName).toBe("node-a");
    expect((await pvcs().get("sched", "dyn")).spec.volumeName).toBe("pvc-dyn");
  });

  it("ReadWriteOncePod: a second pod is refused while the first uses the claim", async () => {
    await pvs().create(pvObj("solo-vol", { cls: "t-solo", modes: ["ReadWriteOncePod"] }));
    await pvcs().create(pvcObj("sched", "solo", { cls: "t-solo", modes: ["ReadWriteOncePod"] }));
    await eventually(async () => ((await pvcs().get("sched", "solo")).status?.phase === "Bound" ? true : undefined), "solo bound");
    await pods().create(podObj("sched", "solo-1", ["solo"]));
    await scheduled("sched", "solo-1");
    await pods().create(podObj("sched", "solo-2", ["solo"]));
    const [e] = await eventsOf("sched", "solo-2", "FailedScheduling");
    expect(e.message).toContain("2 node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode");
  });

  it("ReadWriteOnce: a second pod goes to the first pod's node", async () => {
    await pvs().create(pvObj("rwo-vol", { cls: "t-rwo", modes: ["ReadWriteOnce"] }));
    await pvcs().create(pvcObj("sched", "rwo", { cls: "t-rwo", modes: ["ReadWriteOnce"] }));
    await eventually(async () => ((await pvcs().get("sched", "rwo")).status?.phase === "Bound" ? true : undefined), "rwo bound");
    await pods().create(podObj("sched", "rwo-1", ["rwo"], undefined, { nodeSelector: { zone: "b" } }));
    await scheduled("sched", "rwo-1");
    await pods().create(podObj("sched", "rwo-2", ["rwo"]));
    expect((await scheduled("sched", "rwo-2")).spec.nodeName).toBe("node-b");
  });
});

describe("expansion", () => {
  it("a larger request on a Bound claim of an expandable class grows the volume and the claim's capacity", async () => {
    await api(cluster.client, R.sc).create(scObj("efs-grow", "efs.csi.aws.com", { expand: true }));
    await pvs().create(pvObj("grow-vol", { cls: "efs-grow", size: "1Gi" }));
    await pvcs().create(pvcObj("grow", "data", { cls: "efs-grow", size: "1Gi" }));
    await eventually(async () => ((await pvcs().get("grow", "data")).status?.phase === "Bound" ? true : undefined), "bound");
    await pvcs().patch("grow", "data", "merge", { spec: { resources: { requests: { storage: "3Gi" } } } });
    const grown = await eventually(async () => {
      const c = await pvcs().get("grow", "data");
      return c.status?.capacity?.storage === "3Gi" ? c : undefined;
    }, "claim capacity 3Gi");
    expect(grown.status?.conditions ?? []).toEqual([]);
    expect(grown.status?.allocatedResources).toEqual({ storage: "3Gi" });
    expect((await pvs().get(undefined, "grow-vol")).spec.capacity).toEqual({ storage: "3Gi" });
    const [e] = await eventsOf("grow", "data", "VolumeResizeSuccessful");
    expect(e.message).toBe("Resize volume succeeded");
  });
});

describe("namespace and serviceaccount controllers", () => {
  it("every new namespace gets a default ServiceAccount", async () => {
    await api(cluster.client, R.ns).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "fresh" } });
    await eventually(() => getOrUndefined(api(cluster.client, R.sa), "fresh", "default"), "default service account");
  });

  it("a deleted namespace is emptied (claims included) and then removed", async () => {
    await api(cluster.client, R.ns).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "doomed" } });
    await pvcs().create(pvcObj("doomed", "c1", { cls: "t-doomed" }));
    await api<KubeObject>(cluster.client, { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true }).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "doomed" }, data: { a: "b" } } as KubeObject);
    await api(cluster.client, R.ns).delete(undefined, "doomed");
    await eventually(async () => ((await getOrUndefined(api(cluster.client, R.ns), undefined, "doomed")) ? undefined : true), "namespace removed", 60_000);
    expect(await getOrUndefined(pvcs(), "doomed", "c1")).toBeUndefined();
  });
});
