/**
 * The fields of PersistentVolume(Claim), StorageClass and CSIDriver the external provisioner reads
 * and writes, declared structurally (writes start from whole objects, so other fields survive),
 * plus upstream's annotation keys, finalizer and event reasons spelled exactly as Kubernetes and
 * the CSI external-provisioner spell them.
 */
import type { KubeObject, ObjectMeta } from "../../api/types.js";
import type { ResourceRef } from "../../client/index.js";

export type AccessMode = "ReadWriteOnce" | "ReadOnlyMany" | "ReadWriteMany" | "ReadWriteOncePod";

export interface ClaimRef {
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface PersistentVolumeClaim extends KubeObject {
  metadata: ObjectMeta;
  spec: {
    accessModes?: AccessMode[];
    selector?: unknown;
    resources?: { requests?: Record<string, string> };
    volumeName?: string;
    storageClassName?: string | null;
    volumeMode?: "Filesystem" | "Block";
    dataSource?: { apiGroup?: string; kind: string; name: string } | null;
    dataSourceRef?: { apiGroup?: string; kind: string; name: string } | null;
  };
  status?: { phase?: string };
}

export interface PersistentVolume extends KubeObject {
  metadata: ObjectMeta;
  spec: {
    capacity?: Record<string, string>;
    accessModes?: AccessMode[];
    claimRef?: ClaimRef | null;
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    volumeMode?: "Filesystem" | "Block";
    mountOptions?: string[];
    csi?: { driver: string; volumeHandle: string; volumeAttributes?: Record<string, string>; fsType?: string };
    [field: string]: unknown;
  };
  status?: { phase?: string; message?: string };
}

export interface StorageClass extends KubeObject {
  metadata: ObjectMeta;
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  mountOptions?: string[];
}

export const PVC_RESOURCE: ResourceRef = { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true };
export const PV_RESOURCE: ResourceRef = { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false };
export const SC_RESOURCE: ResourceRef = { group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", namespaced: false };
export const CSIDRIVER_RESOURCE: ResourceRef = { group: "storage.k8s.io", version: "v1", kind: "CSIDriver", plural: "csidrivers", namespaced: false };

export const ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
export const ANN_PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
export const ANN_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
export const FINALIZER_EXTERNAL_PROVISIONER = "external-provisioner.volume.kubernetes.io/finalizer";
/** Set by the external-provisioner in volumeAttributes; the driver accepts and ignores it. */
export const ATTR_PROVISIONER_IDENTITY = "storage.kubernetes.io/csiProvisionerIdentity";

export const PARAM_PV_NAME = "csi.storage.k8s.io/pv/name";
export const PARAM_PVC_NAME = "csi.storage.k8s.io/pvc/name";
export const PARAM_PVC_NAMESPACE = "csi.storage.k8s.io/pvc/namespace";
/** StorageClass parameters with this prefix are for the provisioner (secrets, fstype), not the driver. */
export const RESERVED_PARAM_PREFIX = "csi.storage.k8s.io/";

export const Reasons = {
  Provisioning: "Provisioning",
  ProvisioningSucceeded: "ProvisioningSucceeded",
  ProvisioningFailed: "ProvisioningFailed",
  VolumeFailedDelete: "VolumeFailedDelete",
} as const;
