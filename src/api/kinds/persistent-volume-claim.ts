/**
 * core/v1 PersistentVolumeClaim: a namespaced request for storage. Status starts {phase:
 * Pending}; the spec is immutable except volumeName (once) and, for bound claims, the storage
 * request. dataSource and dataSourceRef are mirrored into each other on create, as upstream.
 */
import type { KubeObject } from "../types.js";
import type { ResourceList } from "./core-types.js";
import type { PersistentVolumeClaimSpec } from "./volume-types.js";
import { registerKind, splitSpecAndStatus, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { canonicalizeResourceList, quantityCell } from "./quantities.js";
import { nameIsDNSSubdomain } from "../validation/names.js";
import {
  validatePersistentVolumeClaim,
  validatePersistentVolumeClaimStatusUpdate,
  validatePersistentVolumeClaimUpdate,
} from "../validation/persistent-volume-claim.js";
import { accessModesAsString, getClaimClass } from "../storage-helpers.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export type { PersistentVolumeClaimSpec };

export interface PersistentVolumeClaimCondition {
  type: string;
  status: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface PersistentVolumeClaimStatus {
  phase?: string;
  accessModes?: string[];
  capacity?: ResourceList;
  conditions?: PersistentVolumeClaimCondition[];
  allocatedResources?: ResourceList;
  allocatedResourceStatuses?: Record<string, string>;
  currentVolumeAttributesClassName?: string;
  modifyVolumeStatus?: { targetVolumeAttributesClassName?: string; status: string };
}

export interface PersistentVolumeClaim extends KubeObject {
  spec?: PersistentVolumeClaimSpec;
  status?: PersistentVolumeClaimStatus;
}

/**
 * EnforceDataSourceBackwardsCompatibility: on create, a dataSource that is neither a claim nor a
 * VolumeSnapshot is dropped silently (dataSourceRef is the field for anything else).
 */
function dropUnsupportedDataSource(spec: PersistentVolumeClaimSpec): void {
  const ds = spec.dataSource;
  if (!ds) return;
  const group = ds.apiGroup ?? "";
  const ok = (ds.kind === "PersistentVolumeClaim" && group === "") || (ds.kind === "VolumeSnapshot" && group === "snapshot.storage.k8s.io");
  if (!ok) delete spec.dataSource;
}

/** NormalizeDataSources: copy dataSource ↔ dataSourceRef when only one is set (and no namespace). */
function normalizeDataSources(spec: PersistentVolumeClaimSpec): void {
  if (spec.dataSourceRef?.namespace) return;
  if (spec.dataSource && !spec.dataSourceRef) spec.dataSourceRef = { ...spec.dataSource };
  else if (spec.dataSourceRef && !spec.dataSource) {
    const { namespace: _ns, ...rest } = spec.dataSourceRef;
    spec.dataSource = rest;
  }
}

function dropDisabledFields(pvc: PersistentVolumeClaim, old?: PersistentVolumeClaim): void {
  if (pvc.spec && old?.spec?.volumeAttributesClassName === undefined) delete pvc.spec.volumeAttributesClassName;
}

export const persistentVolumeClaims: KindDefinition<PersistentVolumeClaim> = {
  group: "",
  version: "v1",
  kind: "PersistentVolumeClaim",
  listKind: "PersistentVolumeClaimList",
  plural: "persistentvolumeclaims",
  singular: "persistentvolumeclaim",
  shortNames: ["pvc"],
  namespaced: true,
  categories: [],
  subresources: ["status"],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.core.v1.PersistentVolumeClaim",
  validateName: nameIsDNSSubdomain,

  applyDefaults(pvc) {
    pvc.spec ??= {};
    pvc.status ??= {};
    if (!pvc.status.phase) pvc.status.phase = "Pending";
    if (pvc.spec.volumeMode === undefined || pvc.spec.volumeMode === null) pvc.spec.volumeMode = "Filesystem";
    canonicalizeResourceList(pvc.spec.resources?.requests);
    canonicalizeResourceList(pvc.spec.resources?.limits);
    canonicalizeResourceList(pvc.status.capacity);
    canonicalizeResourceList(pvc.status.allocatedResources);
  },

  prepareForCreate(pvc) {
    // Upstream resets status to {} and the stored object then reads back defaulted to Pending.
    pvc.status = { phase: "Pending" };
    dropDisabledFields(pvc);
    if (pvc.spec) {
      dropUnsupportedDataSource(pvc.spec);
      normalizeDataSources(pvc.spec);
    }
  },

  prepareForUpdate(pvc, old, ctx) {
    splitSpecAndStatus(pvc, old, ctx);
    if (ctx.subresource !== "status") dropDisabledFields(pvc, old);
  },

  validateCreate: (pvc) => validatePersistentVolumeClaim(pvc),
  validateUpdate: (pvc, old, ctx) => (ctx.subresource === "status" ? validatePersistentVolumeClaimStatusUpdate(pvc) : validatePersistentVolumeClaimUpdate(pvc, old)),

  tableColumns: [
    nameColumn(),
    column("Status", "Phase of the claim."),
    column("Volume", "The volume bound to this claim."),
    column("Capacity", "Capacity of the bound volume."),
    column("Access Modes", "Access modes of the bound volume."),
    column("StorageClass", "StorageClass of the pvc"),
    column("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
    ageColumn(),
    column("VolumeMode", "Filesystem or Block.", { priority: 1 }),
  ],
  tableRow(pvc, now) {
    const spec = pvc.spec ?? {};
    const phase = pvc.metadata.deletionTimestamp ? "Terminating" : (pvc.status?.phase ?? "");
    const bound = Boolean(spec.volumeName);
    return [
      pvc.metadata.name ?? "",
      phase,
      spec.volumeName ?? "",
      bound ? quantityCell(pvc.status?.capacity?.storage) : "",
      bound ? accessModesAsString(pvc.status?.accessModes) : "",
      getClaimClass(pvc),
      spec.volumeAttributesClassName ?? "<unset>",
      ageSince(pvc.metadata.creationTimestamp, now),
      spec.volumeMode ?? "<unset>",
    ];
  },
  fieldSelectors: { name: (pvc) => pvc.metadata.name ?? "" },
};

export const persistentVolumeClaimKind = registerKind(persistentVolumeClaims);
