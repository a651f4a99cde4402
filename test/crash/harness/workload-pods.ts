/**
 * The pod churn workload: a few claims of a Retain class, then pods that mount them (busybox, run by
 * the node agent with runc) and write a token into the volume, created and deleted one after another.
 * A token is recorded once the pod is Running and the file is on the EFS disk with that content; every
 * recorded file must still be there at the end, and once all pods are gone no mount may remain.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FILE_SYSTEM_ID } from "./cistern-child.js";
import type { Sentinel } from "./checks-volumes.js";
import type { History } from "./history.js";
import type { ClusterLink } from "./link.js";
import { create, get, pool, poll, remove, send, type KubeObj } from "./ops.js";

export const POD_NS = "crash-pods";
export const POD_CLASS = { name: "crash-pods", basePath: "/crash-pods" };

export interface PodOptions {
  pods: number;
  claims: number;
  batches: number;
  width?: number;
}

export interface PodOutcome {
  sentinels: Sentinel[];
  failures: string[];
  running: number;
}

function pod(name: string, claim: string, token: string): KubeObj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: POD_NS },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: "app", image: "busybox", command: ["sh", "-c", `echo ${token} > /data/${name}.txt && sync && exec sleep 3600`], volumeMounts: [{ name: "v", mountPath: "/data" }] }],
      volumes: [{ name: "v", persistentVolumeClaim: { claimName: claim } }],
    },
  };
}

export async function runPodWorkload(link: ClusterLink, history: History, dataDir: string, o: PodOptions): Promise<PodOutcome> {
  const out: PodOutcome = { sentinels: [], failures: [], running: 0 };
  const fsRoot = join(dataDir, "efs", "fs", FILE_SYSTEM_ID);
  await create(link, history, "namespaces", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: POD_NS } });
  await create(link, history, "storageclasses", "/apis/storage.k8s.io/v1/storageclasses", {
    apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: POD_CLASS.name }, provisioner: "efs.csi.aws.com", reclaimPolicy: "Retain",
    parameters: { provisioningMode: "efs-ap", fileSystemId: FILE_SYSTEM_ID, directoryPerms: "777", basePath: POD_CLASS.basePath, uid: "0", gid: "0" },
  });
  const roots: string[] = [];
  for (let c = 0; c < o.claims; c++) {
    const name = `data-${c}`;
    await create(link, history, "persistentvolumeclaims", `/api/v1/namespaces/${POD_NS}/persistentvolumeclaims`, {
      apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace: POD_NS },
      spec: { accessModes: ["ReadWriteMany"], storageClassName: POD_CLASS.name, resources: { requests: { storage: "1Gi" } } },
    });
    const pv = await poll(async () => {
      const claim = await get(link, `/api/v1/namespaces/${POD_NS}/persistentvolumeclaims/${name}`);
      return claim?.status?.phase === "Bound" ? (claim.spec.volumeName as string) : undefined;
    }, 180_000, 250);
    if (!pv) throw new Error(`claim ${name} was not provisioned`);
    roots.push(`${POD_CLASS.basePath}/${pv}`);
  }

  const one = async (i: number) => {
    const name = `cpod-${i}`;
    const claim = i % o.claims;
    const token = randomBytes(12).toString("hex");
    const path = `/api/v1/namespaces/${POD_NS}/pods/${name}`;
    await create(link, history, "pods", `/api/v1/namespaces/${POD_NS}/pods`, pod(name, `data-${claim}`, token));
    const rel = `${roots[claim]}/${name}.txt`;
    const seen = await poll(async () => {
      const p = await get(link, path);
      if (p?.status?.phase !== "Running") return undefined;
      try {
        return readFileSync(join(fsRoot, rel), "utf8").trim() === token ? true : undefined;
      } catch {
        return undefined;
      }
    }, 120_000, 250);
    if (seen) {
      out.running++;
      const pvName = roots[claim].split("/").pop()!;
      out.sentinels.push({ pv: pvName, accessPointId: "", file: rel, sha256: createHash("sha256").update(`${token}\n`).digest("hex") });
      history.add({ type: "note", what: "pod-wrote", epoch: link.epoch, pod: name, file: rel });
    } else {
      const p = await get(link, path);
      const events = await send(link, "GET", `/api/v1/namespaces/${POD_NS}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`);
      const said = ((events.body?.items ?? []) as { reason?: string; message?: string; count?: number }[]).map((e) => `${e.reason}×${e.count ?? 1}: ${e.message}`).slice(-8);
      const status = JSON.stringify(p?.status ?? null);
      const text = `pod ${name} did not run and write its token within 120 s; status ${status.slice(0, 1500)}; events ${JSON.stringify(said).slice(0, 1500)}`;
      // A container created but never started by a killed agent is made again by the next one (fixed:
      // node-created-container-never-started, test/node/crash-after-create.test.ts), so every such pod is a failure.
      out.failures.push(text);
    }
    await remove(link, history, "pods", path);
  };

  const per = Math.ceil(o.pods / o.batches);
  for (let b = 0; b < o.batches; b++) {
    await link.untilBatch(b);
    const ids = Array.from({ length: Math.max(0, Math.min(per, o.pods - b * per)) }, (_, k) => b * per + k);
    await pool(ids, o.width ?? 2, one);
  }
  return out;
}

/** Waits until every pod of the workload is gone; returns what is still there. */
export async function settlePods(link: ClusterLink, ms: number): Promise<string[]> {
  let left: string[] = [];
  await poll(async () => {
    const r = await send(link, "GET", `/api/v1/namespaces/${POD_NS}/pods`);
    left = ((r.body?.items ?? []) as KubeObj[]).map((p) => `pod ${p.metadata.name} is still there (${p.status?.phase ?? "?"})`);
    return left.length === 0 ? true : undefined;
  }, ms, 500);
  return left;
}
