/**
 * The slice of the Kubernetes object shapes the controllers read and write. Declared here,
 * structurally, because the controllers only need these fields; any extra field an object carries
 * is preserved untouched (writes always start from a copy of the whole object).
 */
import type { KubeObject, ObjectMeta } from "../../api/types.js";

export type AccessMode = "ReadWriteOnce" | "ReadOnlyMany" | "ReadWriteMany" | "ReadWriteOncePod";
export type VolumeMode = "Filesystem" | "Block";
export type VolumePhase = "Pending" | "Available" | "Bound" | "Released" | "Failed";
export type ClaimPhase = "Pending" | "Bound" | "Lost";
export type ReclaimPolicy = "Retain" | "Delete" | "Recycle";

export interface ObjectReference {
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface NodeSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface NodeSelector {
  nodeSelectorTerms: NodeSelectorTerm[];
}

export interface PersistentVolume extends KubeObject {
  metadata: ObjectMeta;
  spec: {
    capacity?: Record<string, string>;
    accessModes?: AccessMode[];
    claimRef?: ObjectReference | null;
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    volumeMode?: VolumeMode;
    volumeAttributesClassName?: string | null;
    nodeAffinity?: { required?: NodeSelector };
    mountOptions?: string[];
    csi?: { driver: string; volumeHandle: string; [k: string]: unknown };
    [source: string]: unknown;
  };
  status?: {
    phase?: VolumePhase | "";
    message?: string;
    reason?: string;
    lastPhaseTransitionTime?: string;
  };
}

export interface PersistentVolumeClaimCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export interface PersistentVolumeClaim extends KubeObject {
  metadata: ObjectMeta;
  spec: {
    accessModes?: AccessMode[];
    selector?: LabelSelector | null;
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
    volumeName?: string;
    storageClassName?: string | null;
    volumeMode?: VolumeMode;
    volumeAttributesClassName?: string | null;
    dataSource?: { apiGroup?: string; kind: string; name: string } | null;
    dataSourceRef?: { apiGroup?: string; kind: string; name: string; namespace?: string } | null;
  };
  status?: {
    phase?: ClaimPhase;
    accessModes?: AccessMode[];
    capacity?: Record<string, string>;
    conditions?: PersistentVolumeClaimCondition[];
    allocatedResources?: Record<string, string>;
    allocatedResourceStatuses?: Record<string, string>;
    currentVolumeAttributesClassName?: string;
  };
}

export interface StorageClass extends KubeObject {
  metadata: ObjectMeta;
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: ReclaimPolicy;
  volumeBindingMode?: "Immediate" | "WaitForFirstConsumer";
  allowVolumeExpansion?: boolean;
  mountOptions?: string[];
  allowedTopologies?: { matchLabelExpressions?: { key: string; values: string[] }[] }[];
}

export interface PodVolume {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  ephemeral?: { volumeClaimTemplate?: unknown };
  [source: string]: unknown;
}

export interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal";
  value?: string;
  effect?: string;
}

export interface Pod extends KubeObject {
  metadata: ObjectMeta;
  spec: {
    nodeName?: string;
    schedulerName?: string;
    nodeSelector?: Record<string, string>;
    affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector } };
    tolerations?: Toleration[];
    volumes?: PodVolume[];
    [field: string]: unknown;
  };
  status?: { phase?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[]; [field: string]: unknown };
}

export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface Node extends KubeObject {
  metadata: ObjectMeta;
  spec?: { unschedulable?: boolean; taints?: Taint[]; [field: string]: unknown };
  status?: { conditions?: { type: string; status: string }[]; [field: string]: unknown };
}

export interface Namespace extends KubeObject {
  metadata: ObjectMeta;
  spec?: { finalizers?: string[] };
  status?: { phase?: "Active" | "Terminating"; conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[] };
}

/** core/v1 Event, as the controllers read it for `cistern explain`. */
export interface KubeEvent extends KubeObject {
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string };
}
