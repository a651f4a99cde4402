/**
 * The external provisioner end to end: a real API server (memory store), the real PV binder and
 * protection controllers, Cistern's EFS service, and the EFS CSI driver — claims are created through
 * the Kubernetes API and must end Bound to a dynamically provisioned access point; deleting them
 * must delete the access point (Delete) or keep it (Retain); failures must show up as events.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeAccessPointsCommand } from "@aws-sdk/client-efs";
import type { KubeObject } from "../../src/api/types.js";
import { isNotFound, type ResourceClient } from "../../src/client/index.js";
import { startControllers, type RunningControllers } from "../../src/controllers/index.js";
import { startExternalProvisioner, type ExternalProvisioner } from "../../src/controllers/provisioner/index.js";
import { parseVolumeHandle, type CreateVolumeRequest, type DeleteVolumeRequest } from "../../src/csi/index.js";
import { createLogger } from "../../src/lib/log.js";
import { startTestCluster, type TestCluster } from "../controllers/support/cluster.js";
import { startCsiFixture, type CsiFixture } from "./support/fixture.js";

let cluster: TestCluster;
let fx: CsiFixture;
let controllers: RunningControllers;
let provisioner: ExternalProvisioner;
let pvcs: ResourceClient<KubeObject & { spec: any; status?: any }>;
let pvs: ResourceClient<KubeObject & { spec: any; status?: any }>;
/** Claims whose first CreateVolume reply is "lost" after the driver did the work (a timeout, a crash). */
const lostReplies = new Set<string>();
let events: ResourceClient<KubeObject & { reason?: string; message?: string; type?: string; involvedObject?: { name?: string } }>;

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function createClass(name: string, parameters: Record<string, string>, extra: Record<string, unknown> = {}) {
  await cluster.client
    .resource({ group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", namespaced: false })
    .create({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name }, provisioner: "efs.csi.aws.com", parameters: { provisioningMode: "efs-ap", fileSystemId: fx.fsId, ...parameters }, ...extra });
}

async function createClaim(name: string, className: string, annotations?: Record<string, string>) {
  return pvcs.create({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: "default", annotations },
    spec: { accessModes: ["ReadWriteMany"], storageClassName: className, resources: { requests: { storage: "5Gi" } } },
  });
}

async function boundVolume(name: string) {
  const claim = await waitFor(`claim ${name} Bound`, async () => {
    const c = await pvcs.get("default", name);
    return c.status?.phase === "Bound" ? c : undefined;
  });
  return { claim, pv: await pvs.get(undefined, claim.spec.volumeName) };
}

async function eventsFor(name: string) {
  const list = await events.list("default");
  return list.items.filter((e) => e.involvedObject?.name === name);
}

/** Enqueue `key` and wait until a reconcile of it has run to the end. */
async function reconciled(queue: { add(k: string): void; len(): number; isProcessing(k: string): boolean }, stats: { reconciles: number }, key: string): Promise<void> {
  const before = stats.reconciles;
  queue.add(key);
  await waitFor(`a reconcile of ${key}`, async () => stats.reconciles > before && queue.len() === 0 && !queue.isProcessing(key));
}

async function apExists(apId: string): Promise<boolean> {
  try {
    await fx.efs.send(new DescribeAccessPointsCommand({ AccessPointId: apId }));
    return true;
  } catch (e) {
    if ((e as Error).name === "AccessPointNotFound") return false;
    throw e;
  }
}

async function gone(client: ResourceClient<KubeObject>, ns: string | undefined, name: string): Promise<boolean> {
  try {
    await client.get(ns, name);
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

beforeAll(async () => {
  cluster = await startTestCluster();
  fx = await startCsiFixture();
  pvcs = cluster.client.resource({ group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true });
  pvs = cluster.client.resource({ group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false });
  events = cluster.client.resource({ group: "", version: "v1", kind: "Event", plural: "events", namespaced: true });
  controllers = await startControllers({ client: cluster.client, withoutScheduler: true, log: createLogger("controllers-test") });
  const driver = {
    identity: fx.driver.identity,
    controller: {
      async createVolume(req: CreateVolumeRequest) {
        const res = await fx.driver.controller.createVolume(req);
        const claimName = req.parameters?.["csi.storage.k8s.io/pvc/name"] ?? "";
        if (lostReplies.delete(claimName)) throw Object.assign(new Error("context deadline exceeded"), { code: "Unavailable" });
        return res;
      },
      deleteVolume: (req: DeleteVolumeRequest) => fx.driver.controller.deleteVolume(req),
    },
  };
  provisioner = await startExternalProvisioner({ client: cluster.client, driver, workers: 16, retry: { baseMs: 50, maxMs: 500 }, log: createLogger("provisioner-test") });
  await createClass("efs-delete", { basePath: "/dyn" }, { mountOptions: ["tls"] });
  await createClass("efs-retain", { basePath: "/kept" }, { reclaimPolicy: "Retain" });
});

afterAll(async () => {
  await provisioner?.stop();
  await controllers?.stop();
  await fx?.cleanup();
  await cluster?.stop();
});

describe("external provisioner", () => {
  it("registers the CSIDriver object", async () => {
    const d = await cluster.client.resource({ group: "storage.k8s.io", version: "v1", kind: "CSIDriver", plural: "csidrivers", namespaced: false }).get(undefined, "efs.csi.aws.com");
    expect((d as any).spec.attachRequired).toBe(false);
  });

  it("provisions a claim: PV pvc-<uid> pre-bound, provisioned-by, finalizer, class policy and options, access point behind it", async () => {
    const created = await createClaim("web-data", "efs-delete");
    const { claim, pv } = await boundVolume("web-data");
    expect(pv.metadata.name).toBe(`pvc-${created.metadata.uid}`);
    expect(pv.metadata.annotations?.["pv.kubernetes.io/provisioned-by"]).toBe("efs.csi.aws.com");
    expect(pv.metadata.finalizers).toContain("external-provisioner.volume.kubernetes.io/finalizer");
    expect(pv.spec).toMatchObject({
      capacity: { storage: "5Gi" },
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: "Delete",
      storageClassName: "efs-delete",
      mountOptions: ["tls"],
      claimRef: { namespace: "default", name: "web-data", uid: created.metadata.uid },
      csi: { driver: "efs.csi.aws.com" },
    });
    expect(claim.spec.volumeName).toBe(pv.metadata.name);
    const h = parseVolumeHandle(pv.spec.csi.volumeHandle);
    expect(h.fileSystemId).toBe(fx.fsId);
    const ap = (await fx.efs.send(new DescribeAccessPointsCommand({ AccessPointId: h.accessPointId }))).AccessPoints![0];
    expect(ap.RootDirectory?.Path).toBe(`/dyn/${pv.metadata.name}`);
    const evs = await waitFor("provisioning events", async () => {
      const e = await eventsFor("web-data");
      return e.some((x) => x.reason === "ProvisioningSucceeded") ? e : undefined;
    });
    expect(evs.find((e) => e.reason === "Provisioning")?.message).toBe('External provisioner is provisioning volume for claim "default/web-data"');
    expect(evs.find((e) => e.reason === "ProvisioningSucceeded")?.message).toBe(`Successfully provisioned volume ${pv.metadata.name}`);
  });

  it("deletes the access point, its directory and the PV when a Delete-policy claim is deleted", async () => {
    await createClaim("to-delete", "efs-delete");
    const { pv } = await boundVolume("to-delete");
    const apId = parseVolumeHandle(pv.spec.csi.volumeHandle).accessPointId!;
    const { mkdirSync, existsSync, writeFileSync } = await import("node:fs");
    const dir = `${fx.fsDir()}/dyn/${pv.metadata.name}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/file`, "x");
    await pvcs.delete("default", "to-delete");
    await waitFor("PV deleted", () => gone(pvs, undefined, pv.metadata.name!));
    expect(await apExists(apId)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it("retries a CreateVolume whose reply was lost and ends with exactly one access point", async () => {
    lostReplies.add("lost-reply");
    const c = await createClaim("lost-reply", "efs-delete");
    const { pv } = await boundVolume("lost-reply");
    expect(lostReplies.has("lost-reply")).toBe(false);
    const failedFirst = (await eventsFor("lost-reply")).find((e) => e.reason === "ProvisioningFailed");
    expect(failedFirst?.message).toBe('failed to provision volume with StorageClass "efs-delete": rpc error: code = Unavailable desc = context deadline exceeded');
    const listed = (await fx.efs.send(new DescribeAccessPointsCommand({ FileSystemId: fx.fsId, MaxResults: 1000 }))).AccessPoints!;
    const mine = listed.filter((a) => a.ClientToken === `pvc-${c.metadata.uid}`);
    expect(mine).toHaveLength(1);
    expect(parseVolumeHandle(pv.spec.csi.volumeHandle).accessPointId).toBe(mine[0].AccessPointId);
  });

  it("keeps the PV Released and the access point under Retain", async () => {
    await createClaim("to-retain", "efs-retain");
    const { pv } = await boundVolume("to-retain");
    expect(pv.metadata.finalizers ?? []).not.toContain("external-provisioner.volume.kubernetes.io/finalizer");
    await pvcs.delete("default", "to-retain");
    await waitFor("PV Released", async () => (await pvs.get(undefined, pv.metadata.name!)).status?.phase === "Released");
    await reconciled(provisioner.deleter.queue, provisioner.deleter.stats, pv.metadata.name!);
    expect(await apExists(parseVolumeHandle(pv.spec.csi.volumeHandle).accessPointId!)).toBe(true);
    expect((await pvs.get(undefined, pv.metadata.name!)).status?.phase).toBe("Released");
  });

  it("reports bad class parameters as ProvisioningFailed with the driver's reason and leaves the claim Pending", async () => {
    await createClass("efs-broken", { gidRangeStart: "100" });
    await createClaim("broken", "efs-broken");
    const ev = await waitFor("ProvisioningFailed", async () => (await eventsFor("broken")).find((e) => e.reason === "ProvisioningFailed"));
    expect(ev.type).toBe("Warning");
    expect(ev.message).toBe('failed to provision volume with StorageClass "efs-broken": rpc error: code = InvalidArgument desc = Missing gidRangeEnd parameter (gidRangeStart needs it)');
    expect((await pvcs.get("default", "broken")).status?.phase).toBe("Pending");
  });

  it("waits for the selected node under WaitForFirstConsumer", async () => {
    await createClass("efs-wffc", {}, { volumeBindingMode: "WaitForFirstConsumer" });
    const c = await createClaim("late", "efs-wffc");
    await reconciled(provisioner.provisioner.queue, provisioner.provisioner.stats, "default/late");
    expect(await gone(pvs, undefined, `pvc-${c.metadata.uid}`)).toBe(true);
    const cur = await pvcs.get("default", "late");
    await pvcs.update({ ...cur, metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, "volume.kubernetes.io/selected-node": "node-1" } } });
    await waitFor("PV for the WFFC claim", async () => !(await gone(pvs, undefined, `pvc-${c.metadata.uid}`)));
  });

  it("keeps the PV and its finalizer with VolumeFailedDelete while DeleteVolume fails, then finishes", async () => {
    await createClaim("stuck", "efs-delete");
    const { pv } = await boundVolume("stuck");
    const role = "arn:aws:iam::123456789012:role/nobody";
    // Root access only for a role the driver does not use: directory deletion is refused.
    await fx.putPolicy({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Resource: "*" }, { Effect: "Allow", Principal: { AWS: role }, Action: "elasticfilesystem:ClientRootAccess", Resource: "*" }] });
    await pvcs.delete("default", "stuck");
    const ev = await waitFor("VolumeFailedDelete", async () => {
      const list = await events.list("default");
      return list.items.find((e) => e.reason === "VolumeFailedDelete" && e.involvedObject?.name === pv.metadata.name);
    });
    expect(ev.message).toMatch(/^rpc error: code = PermissionDenied desc = .*ClientRootAccess/);
    const held = await pvs.get(undefined, pv.metadata.name!);
    expect(held.metadata.finalizers).toContain("external-provisioner.volume.kubernetes.io/finalizer");
    const { DeleteFileSystemPolicyCommand } = await import("@aws-sdk/client-efs");
    await fx.efs.send(new DeleteFileSystemPolicyCommand({ FileSystemId: fx.fsId }));
    await waitFor("PV deleted after the policy was fixed", () => gone(pvs, undefined, pv.metadata.name!));
  });

  it("provisions 50 claims created at once, each with its own access point and GID, none twice", async () => {
    const names = Array.from({ length: 50 }, (_, i) => `burst-${i}`);
    await Promise.all(names.map((n) => createClaim(n, "efs-delete")));
    const bound = await Promise.all(names.map((n) => boundVolume(n)));
    const apIds = bound.map((b) => parseVolumeHandle(b.pv.spec.csi.volumeHandle).accessPointId!);
    expect(new Set(apIds).size).toBe(50);
    const listed = (await fx.efs.send(new DescribeAccessPointsCommand({ FileSystemId: fx.fsId, MaxResults: 1000 }))).AccessPoints!;
    const ours = listed.filter((a) => apIds.includes(a.AccessPointId!));
    expect(new Set(ours.map((a) => a.PosixUser!.Gid)).size).toBe(50);
    // Exactly one access point per provisioned claim in the whole file system (no duplicates from retries).
    const pvNames = new Set(bound.map((b) => b.pv.metadata.name));
    expect(listed.filter((a) => pvNames.has(a.ClientToken)).length).toBe(50);
  });
});
