/**
 * Upstream's annotation keys, finalizers and event reasons, spelled exactly as Kubernetes spells
 * them (component-helpers/storage/volume and pkg/controller/volume/events): clients and other
 * controllers match on these strings.
 */

export const ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
export const ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
export const ANN_DYNAMICALLY_PROVISIONED = "pv.kubernetes.io/provisioned-by";
export const ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
export const ANN_MIGRATED_TO = "pv.kubernetes.io/migrated-to";
export const ANN_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
export const ANN_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
export const ANN_BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";
export const ANN_PRE_RESIZE_CAPACITY = "volume.alpha.kubernetes.io/pre-resize-capacity";

export const FINALIZER_PVC_PROTECTION = "kubernetes.io/pvc-protection";
export const FINALIZER_PV_PROTECTION = "kubernetes.io/pv-protection";
export const FINALIZER_PV_CONTROLLER = "kubernetes.io/pv-controller";
export const FINALIZER_EXTERNAL_PROVISIONER = "external-provisioner.volume.kubernetes.io/finalizer";

/** The StorageClass provisioner value that means "static volumes only". */
export const NO_PROVISIONER = "kubernetes.io/no-provisioner";

export const COMPONENT_PV_CONTROLLER = "persistentvolume-controller";
export const COMPONENT_SCHEDULER = "default-scheduler";
export const COMPONENT_RESIZER = "external-resizer";

export const Reasons = {
  FailedBinding: "FailedBinding",
  VolumeMismatch: "VolumeMismatch",
  VolumeFailedRecycle: "VolumeFailedRecycle",
  VolumeRecycled: "VolumeRecycled",
  VolumeDelete: "VolumeDelete",
  VolumeFailedDelete: "VolumeFailedDelete",
  ExternalProvisioning: "ExternalProvisioning",
  ProvisioningFailed: "ProvisioningFailed",
  WaitForFirstConsumer: "WaitForFirstConsumer",
  WaitForPodScheduled: "WaitForPodScheduled",
  ExternalExpanding: "ExternalExpanding",
  ClaimLost: "ClaimLost",
  ClaimMisbound: "ClaimMisbound",
  VolumeUnknownReclaimPolicy: "VolumeUnknownReclaimPolicy",
  FailedScheduling: "FailedScheduling",
  Scheduled: "Scheduled",
  Resizing: "Resizing",
  VolumeResizeSuccessful: "VolumeResizeSuccessful",
  VolumeResizeFailed: "VolumeResizeFailed",
} as const;
