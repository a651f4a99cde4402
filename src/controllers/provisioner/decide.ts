/**
 * The external provisioner's decisions, as pure functions over plain objects (kubernetes-csi
 * external-provisioner + sig-storage-lib-external-provisioner semantics):
 *   decideClaim     provision this claim now, it is done, or it is not ours / not yet;
 *   createRequest   the CreateVolume call for a claim (name pvc-<uid>, class parameters without the
 *                   provisioner's reserved keys, plus the extra-create-metadata keys);
 *   provisionedVolume  the PV pre-bound to the claim;
 *   decideVolume    delete a Released volume we provisioned, drop our finalizer, or leave it.
 */
import type { AccessModeName, CreateVolumeRequest, Volume, VolumeCapability } from "../../csi/index.js";
import { quantityToBytesCeil } from "../../lib/quantity.js";
import {
  ANN_BETA_STORAGE_CLASS,
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_PROVISIONED_BY,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  ATTR_PROVISIONER_IDENTITY,
  FINALIZER_EXTERNAL_PROVISIONER,
  PARAM_PVC_NAME,
  PARAM_PVC_NAMESPACE,
  PARAM_PV_NAME,
  RESERVED_PARAM_PREFIX,
  type AccessMode,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from "./types.js";

export type ClaimDecision = { action: "ignore"; reason: string } | { action: "done" } | { action: "provision"; className: string };

export type VolumeDecision = { action: "ignore"; reason: string } | { action: "delete" } | { action: "drop-finalizer" };

/** Upstream's fixed PV name for a dynamically provisioned claim. */
export function volumeNameFor(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata.uid}`;
}

export function claimKey(claim: { metadata: { namespace?: string; name?: string } }): string {
  return `${claim.metadata.namespace ?? ""}/${claim.metadata.name ?? ""}`;
}

export function claimClassName(claim: PersistentVolumeClaim): string {
  return claim.spec.storageClassName ?? claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? "";
}

function provisionerOf(claim: PersistentVolumeClaim): string | undefined {
  const a = claim.metadata.annotations ?? {};
  return a[ANN_STORAGE_PROVISIONER] ?? a[ANN_BETA_STORAGE_PROVISIONER];
}

export function decideClaim(claim: PersistentVolumeClaim, cls: StorageClass | undefined, volumeExists: boolean, driver: string): ClaimDecision {
  if (claim.spec.volumeName) return { action: "ignore", reason: "the claim names a volume already" };
  if (claim.metadata.deletionTimestamp) return { action: "ignore", reason: "the claim is being deleted" };
  if (!claim.metadata.uid) return { action: "ignore", reason: "the claim has no uid yet" };
  if (provisionerOf(claim) !== driver) return { action: "ignore", reason: "the PV controller has not handed the claim to this provisioner" };
  const className = claimClassName(claim);
  if (!className || !cls) return { action: "ignore", reason: `storage class ${JSON.stringify(className)} not found` };
  if (cls.provisioner !== driver) return { action: "ignore", reason: `storage class ${className} belongs to ${cls.provisioner}` };
  if (cls.volumeBindingMode === "WaitForFirstConsumer" && !claim.metadata.annotations?.[ANN_SELECTED_NODE]) {
    return { action: "ignore", reason: "waiting for the scheduler to select a node" };
  }
  if (volumeExists) return { action: "done" };
  return { action: "provision", className };
}

/** What about the claim itself makes it unprovisionable by this driver (a ProvisioningFailed message), if anything. */
export function claimProblem(claim: PersistentVolumeClaim): string | undefined {
  if (claim.spec.selector) return "claim Selector is not supported";
  const source = claim.spec.dataSourceRef ?? claim.spec.dataSource;
  if (source) return `volume content source ${source.kind} ${JSON.stringify(source.name)} is not supported: the driver cannot clone or restore volumes`;
  const storage = claim.spec.resources?.requests?.storage;
  if (!storage) return "claim has no storage request";
  if (!claim.spec.accessModes || claim.spec.accessModes.length === 0) return "claim has no access modes";
  return undefined;
}

const CSI_ACCESS_MODES: Record<AccessMode, AccessModeName> = {
  ReadWriteOnce: "SINGLE_NODE_WRITER",
  ReadOnlyMany: "MULTI_NODE_READER_ONLY",
  ReadWriteMany: "MULTI_NODE_MULTI_WRITER",
  ReadWriteOncePod: "SINGLE_NODE_SINGLE_WRITER",
};

export function capabilitiesFor(claim: PersistentVolumeClaim, cls: StorageClass): VolumeCapability[] {
  const fsType = cls.parameters?.["csi.storage.k8s.io/fstype"] ?? "";
  return (claim.spec.accessModes ?? []).map((m) => {
    const accessMode = { mode: CSI_ACCESS_MODES[m] ?? (m as unknown as AccessModeName) };
    return claim.spec.volumeMode === "Block" ? { block: {}, accessMode } : { mount: { fsType, mountFlags: cls.mountOptions ?? [] }, accessMode };
  });
}

export function createRequest(claim: PersistentVolumeClaim, cls: StorageClass): CreateVolumeRequest {
  const parameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(cls.parameters ?? {})) if (!k.startsWith(RESERVED_PARAM_PREFIX)) parameters[k] = v;
  const pvName = volumeNameFor(claim);
  parameters[PARAM_PV_NAME] = pvName;
  parameters[PARAM_PVC_NAME] = claim.metadata.name ?? "";
  parameters[PARAM_PVC_NAMESPACE] = claim.metadata.namespace ?? "";
  const storage = claim.spec.resources?.requests?.storage ?? "0";
  return {
    name: pvName,
    capacityRange: { requiredBytes: Number(quantityToBytesCeil(storage)) },
    volumeCapabilities: capabilitiesFor(claim, cls),
    parameters,
  };
}

export function provisionedVolume(claim: PersistentVolumeClaim, cls: StorageClass, volume: Volume, driver: string, identity: string): PersistentVolume {
  const reclaim = cls.reclaimPolicy ?? "Delete";
  const pv: PersistentVolume = {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: {
      name: volumeNameFor(claim),
      annotations: { [ANN_PROVISIONED_BY]: driver },
      ...(reclaim === "Delete" ? { finalizers: [FINALIZER_EXTERNAL_PROVISIONER] } : {}),
    },
    spec: {
      capacity: { storage: claim.spec.resources?.requests?.storage ?? "0" },
      accessModes: [...(claim.spec.accessModes ?? [])],
      persistentVolumeReclaimPolicy: reclaim,
      storageClassName: cls.metadata.name,
      volumeMode: claim.spec.volumeMode ?? "Filesystem",
      claimRef: {
        kind: "PersistentVolumeClaim",
        apiVersion: "v1",
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
        resourceVersion: claim.metadata.resourceVersion,
      },
      csi: {
        driver,
        volumeHandle: volume.volumeId,
        volumeAttributes: { ...volume.volumeContext, [ATTR_PROVISIONER_IDENTITY]: identity },
      },
    },
  };
  if (cls.mountOptions && cls.mountOptions.length > 0) pv.spec.mountOptions = [...cls.mountOptions];
  return pv;
}

/**
 * `liveClaim` is the claim named by the volume's claimRef, read from the API server (not a cache)
 * right before an irreversible delete (kubernetes#105131: a stale cache made a bound volume look
 * released), or null when it does not exist.
 */
export function decideVolume(pv: PersistentVolume, driver: string, liveClaim?: PersistentVolumeClaim | null): VolumeDecision {
  if (pv.metadata.annotations?.[ANN_PROVISIONED_BY] !== driver) return { action: "ignore", reason: "not provisioned by this driver" };
  const hasFinalizer = (pv.metadata.finalizers ?? []).includes(FINALIZER_EXTERNAL_PROVISIONER);
  if (pv.spec.persistentVolumeReclaimPolicy !== "Delete") {
    return hasFinalizer ? { action: "drop-finalizer" } : { action: "ignore", reason: `reclaim policy is ${pv.spec.persistentVolumeReclaimPolicy ?? "unset"}` };
  }
  if (pv.metadata.deletionTimestamp && !hasFinalizer) return { action: "ignore", reason: "being deleted without our finalizer" };
  if (pv.status?.phase !== "Released") return { action: "ignore", reason: `phase is ${pv.status?.phase ?? "unknown"}, not Released` };
  if (!pv.spec.csi?.volumeHandle) return { action: "ignore", reason: "no CSI volume handle" };
  const ref = pv.spec.claimRef;
  if (liveClaim && ref?.uid && liveClaim.metadata.uid === ref.uid && liveClaim.spec.volumeName === pv.metadata.name) {
    return { action: "ignore", reason: "its claim still exists and is bound to it" };
  }
  return { action: "delete" };
}
