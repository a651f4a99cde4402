/**
 * The PV binder, protection and reclaim against a real API server: static binding both ways
 * round (with the periodic resync off, so a new volume must wake its claim), the guide's
 * deletion table, protection finalizers, reclaim hand-off, and many concurrent binds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControllers, type PersistentVolume, type PersistentVolumeClaim, type RunningControllers } from "../../src/controllers/index.js";
import { startTestCluster, type TestCluster } from "./support/cluster.js";
import { R, api, eventually, getOrUndefined, podObj, pvObj, pvcObj } from "./support/objects.js";

let cluster: TestCluster;
let ctrl: RunningControllers;

beforeAll(async () => {
  cluster = await startTestCluster();
  await api(cluster.client, R.ns).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "app" } });
  ctrl = await startControllers({ client: cluster.client, resyncMs: 0, workers: 8 });
});

afterAll(async () => {
  await ctrl?.stop();
  await cluster?.stop();
});

const pvs = () => api<PersistentVolume>(cluster.client, R.pv);
const pvcs = () => api<PersistentVolumeClaim>(cluster.client, R.pvc);

async function bound(ns: string, name: string): Promise<PersistentVolumeClaim> {
  return eventually(async () => {
    const c = await pvcs().get(ns, name);
    return c.status?.phase === "Bound" ? c : undefined;
  }, `claim ${ns}/${name} Bound`);
}

async function phase(pvName: string, want: string): Promise<PersistentVolume> {
  return eventually(async () => {
    const v = await getOrUndefined(pvs(), undefined, pvName);
    return v?.status?.phase === want ? v : undefined;
  }, `volume ${pvName} ${want}`);
}

describe("static binding", () => {
  it("binds a claim to the smallest fitting volume with upstream's annotations and status", async () => {
    await pvs().create(pvObj("b1-big", { size: "10Gi" }));
    await pvs().create(pvObj("b1-small", { size: "2Gi" }));
    await phase("b1-small", "Available");
    await phase("b1-big", "Available");
    await pvcs().create(pvcObj("app", "b1", { size: "1Gi" }));
    const claim = await bound("app", "b1");
    expect(claim.spec.volumeName).toBe("b1-small");
    expect(claim.metadata.annotations).toMatchObject({ "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes" });
    expect(claim.status?.capacity).toEqual({ storage: "2Gi" });
    expect(claim.status?.accessModes).toEqual(["ReadWriteMany"]);
    const pv = await phase("b1-small", "Bound");
    expect(pv.spec.claimRef).toMatchObject({ kind: "PersistentVolumeClaim", namespace: "app", name: "b1", uid: claim.metadata.uid });
    expect(pv.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBe("yes");
    expect(pv.status?.lastPhaseTransitionTime).toBeTruthy();
    expect((await pvs().get(undefined, "b1-big")).status?.phase).toBe("Available");
  });

  it("a claim created before its volume is bound as soon as the volume appears (no resync)", async () => {
    await pvcs().create(pvcObj("app", "b2", { size: "3Gi", cls: "t-b2" }));
    const pending = await eventually(async () => {
      const c = await pvcs().get("app", "b2");
      return c.status?.phase === "Pending" ? c : undefined;
    }, "claim Pending");
    expect(pending.spec.volumeName).toBeUndefined();
    await pvs().create(pvObj("b2-vol", { size: "3Gi", cls: "t-b2" }));
    expect((await bound("app", "b2")).spec.volumeName).toBe("b2-vol");
  });

  it("honours a user's pre-binding on either side", async () => {
    await pvs().create(pvObj("b3-pre", { size: "5Gi", cls: "t-b3", claimRef: { namespace: "app", name: "b3" } }));
    await pvs().create(pvObj("b3-other", { size: "1Gi", cls: "t-b3" }));
    await pvcs().create(pvcObj("app", "b3", { size: "1Gi", cls: "t-b3" }));
    const c = await bound("app", "b3");
    expect(c.spec.volumeName).toBe("b3-pre");
    const pv = await pvs().get(undefined, "b3-pre");
    expect(pv.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBeUndefined();
    await pvs().create(pvObj("b4-named", { size: "1Gi", cls: "t-b4" }));
    await pvcs().create(pvcObj("app", "b4", { volumeName: "b4-named", cls: "t-b4" }));
    const c4 = await bound("app", "b4");
    expect(c4.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBeUndefined();
    expect((await pvs().get(undefined, "b4-named")).metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBe("yes");
  });

  it("binds 200 claims created concurrently with 200 volumes one-to-one", async () => {
    const n = 200;
    await Promise.all([
      ...Array.from({ length: n }, (_, i) => pvs().create(pvObj(`many-${i}`, { cls: "t-many", labels: { batch: "many" } }))),
      ...Array.from({ length: n }, (_, i) => pvcs().create(pvcObj("app", `many-${i}`, { cls: "t-many", selector: { batch: "many" } }))),
    ]);
    await eventually(async () => {
      const items = (await pvcs().list("app")).items.filter((c) => c.metadata.name?.startsWith("many-"));
      return items.length === n && items.every((c) => c.status?.phase === "Bound") ? true : undefined;
    }, "200 claims Bound", 60_000);
    const claims = (await pvcs().list("app")).items.filter((c) => c.metadata.name?.startsWith("many-"));
    const volumes = (await pvs().list()).items.filter((v) => v.metadata.name?.startsWith("many-"));
    expect(new Set(claims.map((c) => c.spec.volumeName)).size).toBe(n);
    const byName = new Map(volumes.map((v) => [v.metadata.name, v]));
    for (const c of claims) expect(byName.get(c.spec.volumeName)?.spec.claimRef?.uid).toBe(c.metadata.uid);
  });
});

describe("the deletion table", () => {
  it("deleting the pod leaves claim and volume intact", async () => {
    await pvs().create(pvObj("d1-vol", { cls: "t-d1" }));
    await pvcs().create(pvcObj("app", "d1", { cls: "t-d1" }));
    await bound("app", "d1");
    await api(cluster.client, R.pod).create(podObj("app", "d1-pod", ["d1"], "node-a"));
    await api(cluster.client, R.pod).delete("app", "d1-pod", { gracePeriodSeconds: 0 });
    await eventually(async () => ((await getOrUndefined(api(cluster.client, R.pod), "app", "d1-pod")) ? undefined : true), "pod gone");
    expect((await pvcs().get("app", "d1")).status?.phase).toBe("Bound");
    expect((await pvs().get(undefined, "d1-vol")).status?.phase).toBe("Bound");
  });

  it("a claim in use by a pod is not removed until the pod is gone; then Retain keeps the volume Released", async () => {
    await pvs().create(pvObj("d2-vol", { policy: "Retain", cls: "t-d2" }));
    await pvcs().create(pvcObj("app", "d2", { cls: "t-d2" }));
    const claim = await bound("app", "d2");
    await api(cluster.client, R.pod).create(podObj("app", "d2-pod", ["d2"], "node-a"));
    await pvcs().delete("app", "d2");
    const terminating = await pvcs().get("app", "d2");
    expect(terminating.metadata.deletionTimestamp).toBeTruthy();
    expect(terminating.metadata.finalizers).toContain("kubernetes.io/pvc-protection");
    // Give the protection controller every chance to (wrongly) release it: a later write must still find it.
    await api(cluster.client, R.pod).patch("app", "d2-pod", "merge", { metadata: { labels: { poke: "1" } } });
    await eventually(async () => ((await api(cluster.client, R.pod).get("app", "d2-pod")).metadata.labels?.poke === "1" ? true : undefined), "pod relabelled");
    expect((await pvcs().get("app", "d2")).metadata.deletionTimestamp).toBeTruthy();
    await api(cluster.client, R.pod).delete("app", "d2-pod", { gracePeriodSeconds: 0 });
    await eventually(async () => ((await getOrUndefined(pvcs(), "app", "d2")) ? undefined : true), "claim removed");
    const pv = await phase("d2-vol", "Released");
    expect(pv.spec.claimRef?.uid).toBe(claim.metadata.uid);
    expect(pv.spec.csi?.volumeHandle).toBe("fs-12345678::d2-vol");
  });

  it("a Bound volume is not removed until its claim is gone", async () => {
    await pvs().create(pvObj("d3-vol", { cls: "t-d3" }));
    await pvcs().create(pvcObj("app", "d3", { cls: "t-d3" }));
    await bound("app", "d3");
    await pvs().delete(undefined, "d3-vol");
    const held = await pvs().get(undefined, "d3-vol");
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    expect(held.status?.phase).toBe("Bound");
    await pvcs().delete("app", "d3");
    await eventually(async () => ((await getOrUndefined(pvs(), undefined, "d3-vol")) ? undefined : true), "volume removed after its claim");
  });

  it("a released volume becomes Available again when its claimRef is removed (manual reclaim)", async () => {
    await pvs().create(pvObj("d4-vol", { cls: "t-d4" }));
    await pvcs().create(pvcObj("app", "d4", { cls: "t-d4" }));
    await bound("app", "d4");
    await pvcs().delete("app", "d4");
    await phase("d4-vol", "Released");
    await pvs().patch(undefined, "d4-vol", "json", [{ op: "remove", path: "/spec/claimRef" }]);
    await phase("d4-vol", "Available");
  });

  it("Delete reclaim: handed to the provisioner named in provisioned-by; Failed for a volume nothing can delete", async () => {
    await pvs().create(pvObj("d5-ext", { policy: "Delete", annotations: { "pv.kubernetes.io/provisioned-by": "efs.csi.aws.com" } }));
    await pvs().create(pvObj("d5-host", { policy: "Delete", hostPath: true, size: "2Gi" }));
    await pvcs().create(pvcObj("app", "d5a", { volumeName: "d5-ext" }));
    await pvcs().create(pvcObj("app", "d5b", { volumeName: "d5-host" }));
    await bound("app", "d5a");
    await bound("app", "d5b");
    await pvcs().delete("app", "d5a");
    await pvcs().delete("app", "d5b");
    await phase("d5-ext", "Released");
    const failed = await phase("d5-host", "Failed");
    expect(failed.status?.message).toBe('error getting deleter volume plugin for volume "d5-host": no deletable volume plugin matched');
    const events = await eventually(async () => {
      const list = (await api(cluster.client, R.event).list("default")).items as unknown as { involvedObject: { name: string }; reason: string; type: string }[];
      const e = list.filter((x) => x.involvedObject.name === "d5-host" && x.reason === "VolumeFailedDelete");
      return e.length ? e : undefined;
    }, "VolumeFailedDelete event");
    expect(events[0].type).toBe("Warning");
    expect((await pvs().get(undefined, "d5-ext")).status?.phase).toBe("Released");
  });

  it("a claim whose volume is deleted behind its back becomes Lost with ClaimLost", async () => {
    await pvs().create(pvObj("d6-vol", { cls: "t-d6" }));
    await pvcs().create(pvcObj("app", "d6", { cls: "t-d6" }));
    await bound("app", "d6");
    const pv = await pvs().get(undefined, "d6-vol");
    await pvs().update({ ...pv, metadata: { ...pv.metadata, finalizers: [] } });
    await pvs().delete(undefined, "d6-vol");
    await eventually(async () => ((await pvcs().get("app", "d6")).status?.phase === "Lost" ? true : undefined), "claim Lost");
  });
});
