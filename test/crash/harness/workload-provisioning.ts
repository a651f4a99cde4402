/**
 * The provisioning workload: claims of two EFS access point classes, one Delete and one Retain.
 * Each claim is provisioned (an access point and a PV from the external provisioner), gets data
 * written into its volume (a sentinel file, fsynced, with its checksum recorded), and is deleted
 * again. Retain volumes must keep PV, access point and data; Delete volumes must leave nothing.
 *
 * The data is written through the EFS service's mount extension, as a node would: the service
 * creates the access point's root and names its directory; the harness (root, like a container
 * runtime) writes there and releases the mount.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { join, relative } from "node:path";
import { FILE_SYSTEM_ID } from "./cistern-child.js";
import type { Sentinel } from "./checks-volumes.js";
import type { History } from "./history.js";
import type { ClusterLink } from "./link.js";
import { isTransportError } from "./link.js";
import { create, get, pool, poll, remove, type KubeObj } from "./ops.js";

export const PROV_NS = "crash-prov";
export const HARNESS_NODE = "crash-harness";
export const CLASSES = [
  { name: "crash-delete", basePath: "/crash-delete", policy: "Delete" },
  { name: "crash-retain", basePath: "/crash-retain", policy: "Retain" },
] as const;

export interface ProvisioningOptions {
  count: number;
  batches: number;
  width?: number;
  /** How long one claim may take to be provisioned, across incarnations. */
  bindTimeoutMs?: number;
}

export interface ProvisioningOutcome {
  /** Retain volumes whose data must survive. */
  sentinels: Sentinel[];
  /** Delete volumes whose claims were deleted: nothing of them may remain. */
  deleted: { pv: string; accessPointId: string; rootPath: string }[];
  retained: string[];
  /** Mount extension records the harness could not release because the reply was lost. */
  unreleasedMounts: number;
  failures: string[];
}

function storageClass(c: (typeof CLASSES)[number]): KubeObj {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: c.name },
    provisioner: "efs.csi.aws.com",
    reclaimPolicy: c.policy,
    parameters: { provisioningMode: "efs-ap", fileSystemId: FILE_SYSTEM_ID, directoryPerms: "700", basePath: c.basePath },
  };
}

function claim(name: string, cls: string): KubeObj {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: PROV_NS },
    spec: { accessModes: ["ReadWriteMany"], storageClassName: cls, resources: { requests: { storage: "1Gi" } } },
  };
}

/** Retries an EFS call across incarnations until it answers. */
async function efsCall(link: ClusterLink, ...args: Parameters<ClusterLink["efs"]>) {
  for (;;) {
    try {
      return await link.efs(...args);
    } catch (e) {
      if (!isTransportError(e) || link.isClosed) throw e;
      await link.after(e.epoch);
    }
  }
}

function writeDurably(path: string, data: Buffer): void {
  const fd = openSync(path, "w", 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const dir = openSync(join(path, ".."), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export async function runProvisioningWorkload(link: ClusterLink, history: History, dataDir: string, o: ProvisioningOptions): Promise<ProvisioningOutcome> {
  const out: ProvisioningOutcome = { sentinels: [], deleted: [], retained: [], unreleasedMounts: 0, failures: [] };
  const fsRoot = join(dataDir, "efs", "fs", FILE_SYSTEM_ID);
  await create(link, history, "namespaces", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: PROV_NS } });
  for (const c of CLASSES) await create(link, history, "storageclasses", "/apis/storage.k8s.io/v1/storageclasses", storageClass(c));

  const one = async (i: number) => {
    const cls = CLASSES[i % 2];
    const name = `cp-${i}`;
    const path = `/api/v1/namespaces/${PROV_NS}/persistentvolumeclaims/${name}`;
    await create(link, history, "persistentvolumeclaims", `/api/v1/namespaces/${PROV_NS}/persistentvolumeclaims`, claim(name, cls.name));
    const bound = await poll(async () => {
      const c = await get(link, path);
      return c?.status?.phase === "Bound" && c.spec.volumeName ? (c.spec.volumeName as string) : undefined;
    }, o.bindTimeoutMs ?? 120_000, 250);
    if (!bound) {
      out.failures.push(`claim ${name} was not provisioned within ${o.bindTimeoutMs ?? 120_000} ms`);
      return;
    }
    const pv = await get(link, `/api/v1/persistentvolumes/${bound}`);
    const accessPointId = String(pv?.spec?.csi?.volumeHandle ?? "").split(":").pop() ?? "";
    const ap = await efsCall(link, "GET", "/2015-02-01/access-points", { AccessPointId: accessPointId });
    const rootPath = ap.body?.AccessPoints?.[0]?.RootDirectory?.Path as string | undefined;
    if (!rootPath) {
      out.failures.push(`access point ${accessPointId} of ${bound} not found (${ap.status})`);
      return;
    }
    const mount = await efsCall(link, "POST", "/cistern/v1/mounts", undefined, { FileSystemId: FILE_SYSTEM_ID, AccessPointId: accessPointId, SecureTransport: true, NodeId: HARNESS_NODE });
    if (mount.status !== 200) {
      out.failures.push(`mounting ${accessPointId} failed: ${mount.status} ${mount.text.slice(0, 200)}`);
      return;
    }
    const data = randomBytes(4096);
    const file = join(String(mount.body.HostPath), `sentinel-${i}`);
    writeDurably(file, data);
    const rel = "/" + relative(fsRoot, file);
    history.add({ type: "note", what: "sentinel", epoch: link.epoch, pv: bound, file: rel });
    const released = await efsCall(link, "DELETE", `/cistern/v1/mounts/${mount.body.MountId}`);
    if (released.status !== 204 && released.status !== 404) out.failures.push(`releasing mount ${mount.body.MountId}: ${released.status}`);
    await remove(link, history, "persistentvolumeclaims", path);
    if (cls.policy === "Retain") {
      out.sentinels.push({ pv: bound, accessPointId, file: rel, sha256: createHash("sha256").update(data).digest("hex") });
      out.retained.push(bound);
    } else {
      out.deleted.push({ pv: bound, accessPointId, rootPath });
    }
  };

  const per = Math.ceil(o.count / o.batches);
  for (let b = 0; b < o.batches; b++) {
    await link.untilBatch(b);
    const ids = Array.from({ length: Math.max(0, Math.min(per, o.count - b * per)) }, (_, k) => b * per + k);
    await pool(ids, o.width ?? 8, one);
  }
  return out;
}

/** Waits until every Delete volume is gone and every Retain volume is Released; returns what is still pending. */
export async function settleProvisioning(link: ClusterLink, outcome: ProvisioningOutcome, ms: number): Promise<string[]> {
  let pending: string[] = [];
  await poll(async () => {
    pending = [];
    for (const d of outcome.deleted) if (await get(link, `/api/v1/persistentvolumes/${d.pv}`)) pending.push(`${d.pv} not deleted`);
    for (const r of outcome.retained) {
      const pv = await get(link, `/api/v1/persistentvolumes/${r}`);
      if (pv?.status?.phase !== "Released") pending.push(`${r} is ${pv?.status?.phase ?? "gone"}`);
    }
    return pending.length === 0 ? true : undefined;
  }, ms, 500);
  return pending;
}
