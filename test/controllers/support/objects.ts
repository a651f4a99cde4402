/** Object builders and polling helpers for controller integration tests. */
import type { KubeObject } from "../../../src/api/types.js";
import type { KubeClient, ResourceClient, ResourceRef } from "../../../src/client/index.js";
import type { AccessMode, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from "../../../src/controllers/index.js";

export const R = {
  pv: { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false },
  pvc: { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true },
  pod: { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true },
  node: { group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false },
  ns: { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false },
  sa: { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true },
  event: { group: "", version: "v1", kind: "Event", plural: "events", namespaced: true },
  sc: { group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", namespaced: false },
} as const;

export function api<T extends KubeObject = KubeObject>(client: KubeClient, ref: ResourceRef): ResourceClient<T> {
  return client.resource<T>(ref);
}

export function pvObj(name: string, o: { size?: string; modes?: AccessMode[]; cls?: string; policy?: string; host?: string; labels?: Record<string, string>; annotations?: Record<string, string>; claimRef?: { namespace: string; name: string }; hostPath?: boolean } = {}): PersistentVolume {
  const pv: PersistentVolume = {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, labels: o.labels, annotations: o.annotations },
    spec: {
      capacity: { storage: o.size ?? "1Gi" },
      accessModes: o.modes ?? ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: o.policy ?? "Retain",
      storageClassName: o.cls ?? "",
      ...(o.hostPath ? { hostPath: { path: `/tmp/${name}` } } : { csi: { driver: "efs.csi.aws.com", volumeHandle: `fs-12345678::${name}` } }),
    },
  };
  if (o.claimRef) pv.spec.claimRef = { kind: "PersistentVolumeClaim", apiVersion: "v1", ...o.claimRef };
  if (o.host) pv.spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [o.host] }] }] } };
  return pv;
}

export function pvcObj(ns: string, name: string, o: { size?: string; modes?: AccessMode[]; cls?: string | null; volumeName?: string; selector?: Record<string, string> } = {}): PersistentVolumeClaim {
  const c: PersistentVolumeClaim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: ns },
    spec: { accessModes: o.modes ?? ["ReadWriteMany"], resources: { requests: { storage: o.size ?? "1Gi" } }, volumeName: o.volumeName, selector: o.selector ? { matchLabels: o.selector } : undefined },
  };
  if (o.cls !== null) c.spec.storageClassName = o.cls ?? "";
  if (!o.volumeName) delete c.spec.volumeName;
  if (!o.selector) delete c.spec.selector;
  return c;
}

export function podObj(ns: string, name: string, claims: string[], nodeName?: string, extra: Partial<Pod["spec"]> = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [{ name: "c", image: "busybox", command: ["sleep", "3600"] }],
      volumes: claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } })),
      ...extra,
    },
  };
}

export function scObj(name: string, provisioner: string, o: { mode?: "Immediate" | "WaitForFirstConsumer"; expand?: boolean; isDefault?: boolean } = {}): StorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name, annotations: o.isDefault ? { "storageclass.kubernetes.io/is-default-class": "true" } : undefined },
    provisioner,
    volumeBindingMode: o.mode ?? "Immediate",
    allowVolumeExpansion: o.expand,
  };
}

export function nodeObj(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Node", metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } }, spec: {}, status: { conditions: [{ type: "Ready", status: "True" }] } };
}

/** Poll `fn` until it returns a value (not undefined); fails after `ms` with the last observation. */
export async function eventually<T>(fn: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export async function getOrUndefined<T extends KubeObject>(client: ResourceClient<T>, ns: string | undefined, name: string): Promise<T | undefined> {
  try {
    return await client.get(ns, name);
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}
