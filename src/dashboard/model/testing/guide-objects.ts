/** The guide's objects (examples/guide/) as the API server returns them, for model tests. */
import type { KubeEvent, ObjectRef, PersistentVolume, PersistentVolumeClaim, Pod } from "../kube-types.js";
import type { EfsUsageReport } from "../usage-types.js";

let rv = 100;
const nextRv = () => String(++rv);

export function guideVolume(over: { phase?: string; claimRef?: ObjectRef; handle?: string; policy?: string; name?: string; deleting?: boolean } = {}): PersistentVolume {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: over.name ?? "efs-pv", uid: "pv-uid", resourceVersion: nextRv(), ...(over.deleting ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}) },
    spec: {
      capacity: { storage: "100Gi" },
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: over.policy ?? "Retain",
      storageClassName: "efs-sc",
      csi: { driver: "efs.csi.aws.com", volumeHandle: over.handle ?? "fs-12345678" },
      ...(over.claimRef ? { claimRef: over.claimRef } : {}),
    },
    status: { phase: over.phase ?? "Available" },
  };
}

export function guideClaim(over: { phase?: string; volumeName?: string; namespace?: string; uid?: string } = {}): PersistentVolumeClaim {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "efs-pvc", namespace: over.namespace ?? "default", uid: over.uid ?? "pvc-uid", resourceVersion: nextRv() },
    spec: { accessModes: ["ReadWriteMany"], storageClassName: "efs-sc", resources: { requests: { storage: "5Gi" } }, ...(over.volumeName ? { volumeName: over.volumeName } : {}) },
    status: { phase: over.phase ?? "Pending" },
  };
}

export function guidePod(over: { phase?: string; claimName?: string; nodeName?: string; name?: string } = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: over.name ?? "app-pod", namespace: "default", uid: "pod-uid", resourceVersion: nextRv() },
    spec: { ...(over.nodeName ? { nodeName: over.nodeName } : {}), volumes: [{ name: "efs-vol", persistentVolumeClaim: { claimName: over.claimName ?? "efs-pvc" } }] },
    status: { phase: over.phase ?? "Pending" },
  };
}

export function boundPair(): { pv: PersistentVolume; pvc: PersistentVolumeClaim } {
  return {
    pv: guideVolume({ phase: "Bound", claimRef: { kind: "PersistentVolumeClaim", namespace: "default", name: "efs-pvc", uid: "pvc-uid" } }),
    pvc: guideClaim({ phase: "Bound", volumeName: "efs-pv" }),
  };
}

export function event(name: string, o: { kind: string; name: string; namespace?: string; reason: string; message?: string; at: string; type?: string }): KubeEvent {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name, namespace: o.namespace ?? "default", resourceVersion: nextRv() },
    involvedObject: { kind: o.kind, name: o.name, ...(o.namespace !== undefined ? { namespace: o.namespace } : {}) },
    reason: o.reason,
    message: o.message ?? "",
    type: o.type ?? "Normal",
    lastTimestamp: o.at,
    count: 1,
  };
}

export function usageReport(over: { accessPoints?: { id: string; bytes: number | null }[]; size?: number } = {}): EfsUsageReport {
  return {
    generatedAt: 1_700_000_000,
    fileSystems: [{
      fileSystemId: "fs-12345678",
      sizeInBytes: { Value: over.size ?? 6144, Timestamp: 1_700_000_000 },
      clientConnections: 1,
      accessPoints: (over.accessPoints ?? []).map((a) => ({ accessPointId: a.id, rootDirectory: `/dynamic/${a.id}`, meteredBytes: a.bytes })),
    }],
  };
}
