/** PersistentVolume and PersistentVolumeClaim schemas. */
import type { SchemaRegistry } from "../types.js";
import { arrOf, atomic, enumStr, granularStruct, kindSchema, listSchema, mergeByKey, obj, quantityMap, ref, str, strings, stringMap } from "./dsl.js";
import { CORE } from "./schemas-core-common.js";
import { META } from "./schemas-meta.js";
import { unimplementedSources } from "./schemas-volumes.js";

const accessModes = (what: string) =>
  strings(`Access modes ${what}: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.`, {
    ...atomic,
    items: { type: "string", default: "", enum: ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"] },
  });

export const claimSchemas: SchemaRegistry = {
  [CORE + "PersistentVolume"]: kindSchema("A piece of storage provisioned by an administrator or a provisioner.", "", "v1", "PersistentVolume", {
    spec: ref(CORE + "PersistentVolumeSpec", "The volume's capacity, access modes, source and policies.", { default: {} }),
    status: ref(CORE + "PersistentVolumeStatus", "The volume's phase; read-only for users.", { default: {} }),
  }),
  [CORE + "PersistentVolumeList"]: listSchema("A list of PersistentVolumes.", "", "v1", "PersistentVolume", CORE + "PersistentVolume"),
  [CORE + "PersistentVolumeSpec"]: obj("Desired state of a PersistentVolume; exactly one source must be set.", {
    accessModes: accessModes("the volume supports"),
    capacity: quantityMap("The volume's capacity; only storage is allowed."),
    claimRef: ref(CORE + "ObjectReference", "The claim bound to this volume (or pre-bound by name).", granularStruct),
    csi: ref(CORE + "CSIPersistentVolumeSource", "A volume of an external CSI driver."),
    hostPath: ref(CORE + "HostPathVolumeSource", "A directory on the node (single-node testing)."),
    local: ref(CORE + "LocalVolumeSource", "A local disk or directory; requires nodeAffinity."),
    mountOptions: strings("Mount options passed when the volume is mounted.", atomic),
    nfs: ref(CORE + "NFSVolumeSource", "An NFS export."),
    nodeAffinity: ref(CORE + "VolumeNodeAffinity", "Nodes the volume can be used from."),
    persistentVolumeReclaimPolicy: enumStr("What happens when the claim is released: Retain (default), Delete, or the deprecated Recycle.", ["Delete", "Recycle", "Retain"]),
    storageClassName: str("The class of this volume; empty means no class."),
    volumeAttributesClassName: str("VolumeAttributesClass of the volume (feature off in 1.32)."),
    volumeMode: enumStr("Filesystem (default) or Block.", ["Block", "Filesystem"]),
    ...unimplementedSources(),
  }),
  [CORE + "PersistentVolumeStatus"]: obj("Observed state of a PersistentVolume.", {
    lastPhaseTransitionTime: ref(META + "Time", "When the phase last changed."),
    message: str("Human-readable reason for the phase."),
    phase: enumStr("Pending, Available, Bound, Released or Failed.", ["Available", "Bound", "Failed", "Pending", "Released"]),
    reason: str("Short machine-readable reason for the phase."),
  }),
  [CORE + "PersistentVolumeClaim"]: kindSchema("A user's request for storage.", "", "v1", "PersistentVolumeClaim", {
    spec: ref(CORE + "PersistentVolumeClaimSpec", "What the claim asks for.", { default: {} }),
    status: ref(CORE + "PersistentVolumeClaimStatus", "The claim's phase and bound capacity; read-only for users.", { default: {} }),
  }),
  [CORE + "PersistentVolumeClaimList"]: listSchema("A list of PersistentVolumeClaims.", "", "v1", "PersistentVolumeClaim", CORE + "PersistentVolumeClaim"),
  [CORE + "PersistentVolumeClaimSpec"]: obj("Desired characteristics of a claim; immutable after creation except the storage request of a bound claim.", {
    accessModes: accessModes("the claim needs"),
    dataSource: ref(CORE + "TypedLocalObjectReference", "A snapshot or claim to populate the volume from."),
    dataSourceRef: ref(CORE + "TypedObjectReference", "A populator object to fill the volume from."),
    resources: ref(CORE + "VolumeResourceRequirements", "Requested storage: resources.requests.storage.", { default: {} }),
    selector: ref(META + "LabelSelector", "Labels a matching volume must carry."),
    storageClassName: str('Class of the claim; "" asks for a volume without class, unset means the default class.'),
    volumeAttributesClassName: str("VolumeAttributesClass of the claim (feature off in 1.32)."),
    volumeMode: enumStr("Filesystem (default) or Block.", ["Block", "Filesystem"]),
    volumeName: str("Name of the bound (or requested) volume."),
  }),
  [CORE + "PersistentVolumeClaimStatus"]: obj("Observed state of a claim.", {
    accessModes: accessModes("of the bound volume"),
    allocatedResourceStatuses: stringMap("Resize state per resource.", granularStruct),
    allocatedResources: quantityMap("Resources allocated during resizing."),
    capacity: quantityMap("Capacity of the bound volume."),
    conditions: arrOf(CORE + "PersistentVolumeClaimCondition", "Resize conditions.", mergeByKey(["type"])),
    currentVolumeAttributesClassName: str("The VolumeAttributesClass in effect."),
    modifyVolumeStatus: ref(CORE + "ModifyVolumeStatus", "Status of a volume attribute change."),
    phase: enumStr("Pending, Bound or Lost.", ["Bound", "Lost", "Pending"]),
  }),
  [CORE + "PersistentVolumeClaimCondition"]: obj(
    "A condition of a claim (resizing).",
    {
      lastProbeTime: ref(META + "Time", "Last time the condition was probed."),
      lastTransitionTime: ref(META + "Time", "Last time the condition changed."),
      message: str("Human-readable details."),
      reason: str("Machine-readable reason."),
      status: str("True, False or Unknown.", { default: "" }),
      type: str("Condition type, e.g. Resizing.", { default: "" }),
    },
    ["type", "status"],
  ),
  [CORE + "ModifyVolumeStatus"]: obj(
    "Status of a pending VolumeAttributesClass change.",
    { status: str("Pending, InProgress or Infeasible.", { default: "" }), targetVolumeAttributesClassName: str("The class being applied.") },
    ["status"],
  ),
};
