/**
 * core/v1 PersistentVolume: a cluster-scoped piece of storage. Status starts Pending with a
 * lastPhaseTransitionTime; the source union is immutable; VolumeAttributesClass is off (1.32
 * default), so volumeAttributesClassName is dropped on write unless already stored.
 */
import type { KubeObject, WriteContext } from "../types.js";
import type { NodeSelector, ObjectReference, ResourceList } from "./core-types.js";
import type { PersistentVolumeSource } from "./volume-types.js";
import { clone, registerKind, splitSpecAndStatus, STANDARD_VERBS, timestamp, type KindDefinition } from "./kind.js";
import { canonicalizeResourceList, quantityCell } from "./quantities.js";
import { nameIsDNSSubdomain } from "../validation/names.js";
import { validatePersistentVolumeSpec, validatePersistentVolumeUpdate } from "../validation/persistent-volume.js";
import { accessModesAsString, getVolumeClass } from "../storage-helpers.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export interface PersistentVolumeSpec extends PersistentVolumeSource {
  capacity?: ResourceList;
  accessModes?: string[];
  claimRef?: ObjectReference;
  persistentVolumeReclaimPolicy?: string;
  storageClassName?: string;
  mountOptions?: string[];
  volumeMode?: string;
  nodeAffinity?: { required?: NodeSelector };
  volumeAttributesClassName?: string;
}

export interface PersistentVolumeStatus {
  phase?: string;
  message?: string;
  reason?: string;
  lastPhaseTransitionTime?: string;
}

export interface PersistentVolume extends KubeObject {
  spec?: PersistentVolumeSpec;
  status?: PersistentVolumeStatus;
}

function dropDisabledFields(pv: PersistentVolume, old?: PersistentVolume): void {
  if (pv.spec && old?.spec?.volumeAttributesClassName === undefined) delete pv.spec.volumeAttributesClassName;
}

export const persistentVolumes: KindDefinition<PersistentVolume> = {
  group: "",
  version: "v1",
  kind: "PersistentVolume",
  listKind: "PersistentVolumeList",
  plural: "persistentvolumes",
  singular: "persistentvolume",
  shortNames: ["pv"],
  namespaced: false,
  categories: [],
  subresources: ["status"],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.core.v1.PersistentVolume",
  validateName: nameIsDNSSubdomain,

  applyDefaults(pv) {
    pv.spec ??= {};
    pv.status ??= {};
    if (!pv.status.phase) pv.status.phase = "Pending";
    if (!pv.spec.persistentVolumeReclaimPolicy) pv.spec.persistentVolumeReclaimPolicy = "Retain";
    if (pv.spec.volumeMode === undefined || pv.spec.volumeMode === null) pv.spec.volumeMode = "Filesystem";
    if (pv.spec.hostPath && pv.spec.hostPath.type === undefined) pv.spec.hostPath.type = "";
    canonicalizeResourceList(pv.spec.capacity);
  },

  prepareForCreate(pv, ctx) {
    pv.status = { phase: "Pending", lastPhaseTransitionTime: timestamp(ctx.now) };
    dropDisabledFields(pv);
  },

  prepareForUpdate(pv, old, ctx: WriteContext) {
    splitSpecAndStatus(pv, old, ctx);
    if (ctx.subresource !== "status") {
      dropDisabledFields(pv, old);
      return;
    }
    // lastPhaseTransitionTime: kept while the phase stays, stamped when it changes unless the
    // client set a different time itself.
    pv.status ??= {};
    const oldStatus = old.status ?? {};
    const samePhase = (oldStatus.phase ?? "") === (pv.status.phase ?? "");
    if (samePhase && !pv.status.lastPhaseTransitionTime) {
      if (oldStatus.lastPhaseTransitionTime) pv.status.lastPhaseTransitionTime = clone(oldStatus.lastPhaseTransitionTime);
    } else if (!samePhase && (!pv.status.lastPhaseTransitionTime || pv.status.lastPhaseTransitionTime === oldStatus.lastPhaseTransitionTime)) {
      pv.status.lastPhaseTransitionTime = timestamp(ctx.now);
    }
  },

  validateCreate: (pv) => validatePersistentVolumeSpec(pv),
  validateUpdate: (pv, old, ctx) => (ctx.subresource === "status" ? [] : validatePersistentVolumeUpdate(pv, old)),

  tableColumns: [
    nameColumn(),
    column("Capacity", "Storage capacity of the volume."),
    column("Access Modes", "Access modes the volume supports."),
    column("Reclaim Policy", "What happens to the volume when its claim is released."),
    column("Status", "Phase of the volume."),
    column("Claim", "The claim bound to this volume, as namespace/name."),
    column("StorageClass", "StorageClass of the pv"),
    column("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
    column("Reason", "Why the volume is in its phase."),
    ageColumn(),
    column("VolumeMode", "Filesystem or Block.", { priority: 1 }),
  ],
  tableRow(pv, now) {
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ""}/${spec.claimRef.name ?? ""}` : "";
    const phase = pv.metadata.deletionTimestamp ? "Terminating" : (pv.status?.phase ?? "");
    return [
      pv.metadata.name ?? "",
      quantityCell(spec.capacity?.storage),
      accessModesAsString(spec.accessModes),
      spec.persistentVolumeReclaimPolicy ?? "",
      phase,
      claim,
      getVolumeClass(pv),
      spec.volumeAttributesClassName ?? "<unset>",
      pv.status?.reason ?? "",
      ageSince(pv.metadata.creationTimestamp, now),
      spec.volumeMode ?? "<unset>",
    ];
  },
  // "name" is upstream's backward-compatible alias of metadata.name.
  fieldSelectors: { name: (pv) => pv.metadata.name ?? "" },
};

export const persistentVolumeKind = registerKind(persistentVolumes);
