/**
 * PersistentVolumeClaim validation: upstream's ValidatePersistentVolumeClaimSpec and
 * ValidatePersistentVolumeClaimUpdate. As in 1.32: VolumeAttributesClass off (the field is
 * dropped on write), RecoverVolumeExpansionFailure on (requests may shrink, but not to or below
 * status.capacity).
 */
import type { FieldError } from "../types.js";
import { forbidden, GoValue, invalid, notSupported, required } from "../fields/errors.js";
import { jsonDiff, jsonEqual } from "../fields/diff.js";
import type { PersistentVolumeClaim } from "../kinds/persistent-volume-claim.js";
import type { PersistentVolumeClaimSpec } from "../kinds/volume-types.js";
import { clone } from "../kinds/kind.js";
import { BETA_STORAGE_CLASS_ANNOTATION } from "../storage-helpers.js";
import { Quantity } from "../../lib/quantity.js";
import { dns1123Label, dns1123Subdomain, immutableField, isObject, nonNegativeQuantity, parseQuantityField, positiveQuantity } from "./common.js";
import { validateAccessModes, SUPPORTED_VOLUME_MODES } from "./persistent-volume.js";
import { validateLabelSelector } from "./selectors.js";
import { isDNS1123Subdomain } from "./names.js";

function validateDataSource(ds: Record<string, unknown>, field: string, withNamespace: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!ds.name) errs.push(required(`${field}.name`));
  if (!ds.kind) errs.push(required(`${field}.kind`));
  const apiGroup = typeof ds.apiGroup === "string" ? ds.apiGroup : "";
  if (!apiGroup && ds.kind !== "PersistentVolumeClaim") {
    errs.push(invalid(field, ds.kind ?? "", "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  }
  if (apiGroup) errs.push(...dns1123Subdomain(apiGroup, `${field}.apiGroup`));
  if (withNamespace && typeof ds.namespace === "string" && ds.namespace) errs.push(...dns1123Label(ds.namespace, `${field}.namespace`));
  return errs;
}

/** ValidatePersistentVolumeClaimSpec (also used for ephemeral volume claim templates). */
export function validatePersistentVolumeClaimSpec(specIn: unknown, field: string): FieldError[] {
  const spec = (isObject(specIn) ? specIn : {}) as PersistentVolumeClaimSpec & Record<string, unknown>;
  const errs: FieldError[] = [];
  const modes = spec.accessModes;
  if (!Array.isArray(modes) || modes.length === 0) errs.push(required(`${field}.accessModes`, "at least 1 access mode is required"));
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, `${field}.selector`));
  // accessModes emptiness was reported above with the PVC wording; only values and RWOP here.
  errs.push(...validateAccessModes(modes, `${field}.accessModes`, "").filter((e) => e.type !== "FieldValueRequired"));

  const requests = isObject(spec.resources) && isObject(spec.resources.requests) ? (spec.resources.requests as Record<string, unknown>) : {};
  const storagePath = `${field}.resources[storage]`;
  if (!("storage" in requests)) {
    errs.push(required(storagePath));
  } else {
    const q = parseQuantityField(requests.storage, storagePath, errs);
    if (q) {
      const positive = positiveQuantity(q, storagePath);
      errs.push(...(positive.length > 0 ? positive : nonNegativeQuantity(q, storagePath)));
    }
  }
  if (spec.storageClassName) {
    for (const m of isDNS1123Subdomain(spec.storageClassName)) errs.push(invalid(`${field}.storageClassName`, spec.storageClassName, m));
  }
  if (spec.volumeMode !== undefined && spec.volumeMode !== null && !SUPPORTED_VOLUME_MODES.includes(spec.volumeMode)) {
    errs.push(notSupported(`${field}.volumeMode`, spec.volumeMode, SUPPORTED_VOLUME_MODES));
  }
  const ds = isObject(spec.dataSource) ? spec.dataSource : undefined;
  const dsr = isObject(spec.dataSourceRef) ? spec.dataSourceRef : undefined;
  if (ds) errs.push(...validateDataSource(ds as Record<string, unknown>, `${field}.dataSource`, false));
  if (dsr) errs.push(...validateDataSource(dsr as Record<string, unknown>, `${field}.dataSourceRef`, true));
  if (dsr && typeof dsr.namespace === "string" && dsr.namespace) {
    if (ds) errs.push(invalid(field, new GoValue(`${field}.dataSource`), "may not be specified when dataSourceRef.namespace is specified"));
  } else if (ds && dsr) {
    if ((ds.apiGroup ?? null) !== (dsr.apiGroup ?? null) || ds.kind !== dsr.kind || ds.name !== dsr.name) {
      errs.push(invalid(field, new GoValue(`${field}.dataSource`), "must match dataSourceRef"));
    }
  }
  return errs;
}

export function validatePersistentVolumeClaim(pvc: PersistentVolumeClaim): FieldError[] {
  return validatePersistentVolumeClaimSpec(pvc.spec, "spec");
}

function quantityOrZero(v: unknown): Quantity {
  return Quantity.tryParse(v) ?? Quantity.parse("0");
}

export function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs = validatePersistentVolumeClaim(pvc);
  const newSpec = clone(pvc.spec ?? {}) as PersistentVolumeClaimSpec;
  const oldSpec = clone(old.spec ?? {}) as PersistentVolumeClaimSpec;
  const newAnn = pvc.metadata?.annotations ?? {};
  const oldAnn = old.metadata?.annotations ?? {};

  // volumeName may be set once.
  if (!oldSpec.volumeName) {
    if (newSpec.volumeName === undefined) delete oldSpec.volumeName;
    else oldSpec.volumeName = newSpec.volumeName;
  }
  const oldHasAnn = BETA_STORAGE_CLASS_ANNOTATION in oldAnn;
  const newHasAnn = BETA_STORAGE_CLASS_ANNOTATION in newAnn;
  const upgradeFromAnnotation =
    oldHasAnn &&
    (oldSpec.storageClassName === undefined || oldSpec.storageClassName === null) &&
    newSpec.storageClassName !== undefined &&
    newSpec.storageClassName !== null &&
    newSpec.storageClassName === oldAnn[BETA_STORAGE_CLASS_ANNOTATION] &&
    (!newHasAnn || newAnn[BETA_STORAGE_CLASS_ANNOTATION] === oldAnn[BETA_STORAGE_CLASS_ANNOTATION]);
  if (upgradeFromAnnotation) {
    delete newSpec.storageClassName;
  } else {
    if ((newAnn[BETA_STORAGE_CLASS_ANNOTATION] ?? "") !== (oldAnn[BETA_STORAGE_CLASS_ANNOTATION] ?? "")) {
      errs.push(invalid(`metadata.annotations[${BETA_STORAGE_CLASS_ANNOTATION}]`, newAnn[BETA_STORAGE_CLASS_ANNOTATION] ?? "", "field is immutable"));
    }
    const upgradeFromNil =
      newSpec.storageClassName !== undefined &&
      newSpec.storageClassName !== null &&
      (oldSpec.storageClassName === undefined || oldSpec.storageClassName === null) &&
      (!oldHasAnn || newSpec.storageClassName === oldAnn[BETA_STORAGE_CLASS_ANNOTATION]);
    if (upgradeFromNil) delete newSpec.storageClassName;
  }
  // A bound claim may change its storage request (expansion, or recovery from a failed one).
  if (pvc.status?.phase === "Bound" && newSpec.resources?.requests) {
    newSpec.resources.requests.storage = old.spec?.resources?.requests?.storage as string;
    if (newSpec.resources.requests.storage === undefined) delete newSpec.resources.requests.storage;
  }
  newSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  if (newSpec.volumeAttributesClassName === undefined) delete newSpec.volumeAttributesClassName;

  if (!jsonEqual(newSpec, oldSpec)) {
    errs.push(
      forbidden(
        "spec",
        `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${jsonDiff(oldSpec, newSpec, "spec")}`,
      ),
    );
  }
  const oldSize = quantityOrZero(old.spec?.resources?.requests?.storage);
  const newSize = quantityOrZero(pvc.spec?.resources?.requests?.storage);
  const statusSize = quantityOrZero(old.status?.capacity?.storage);
  if (newSize.cmp(oldSize) < 0 && newSize.cmp(statusSize) <= 0) {
    errs.push(forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"));
  }
  errs.push(...immutableField(pvc.spec?.volumeMode, old.spec?.volumeMode, "volumeMode"));
  if ((pvc.spec?.volumeAttributesClassName ?? null) !== (old.spec?.volumeAttributesClassName ?? null)) {
    errs.push(forbidden("spec.volumeAttributesClassName", "update is forbidden when the VolumeAttributesClass feature gate is disabled"));
  }
  return errs;
}

/** ValidatePersistentVolumeClaimStatusUpdate (metadata rules are the server's). */
export function validatePersistentVolumeClaimStatusUpdate(pvc: PersistentVolumeClaim): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(pvc.spec?.accessModes) || pvc.spec.accessModes.length === 0) errs.push(required("Spec.accessModes"));
  const capacity = isObject(pvc.status?.capacity) ? (pvc.status?.capacity as Record<string, unknown>) : {};
  for (const r of Object.keys(capacity).sort()) {
    const q = parseQuantityField(capacity[r], `status.capacity[${r}]`, errs);
    if (q && q.toBytesCeil() < 0n) errs.push(invalid(`status.capacity[${r}]`, new GoValue(q.toBytesCeil().toString()), "must be a valid resource quantity"));
  }
  return errs;
}
