/**
 * Storage facts shared by the controllers, the scheduler, the printers and the CSI side:
 * well-known annotations and finalizers, class resolution (the legacy beta annotation wins over
 * the field), default StorageClass choice, and access-mode / volume-mode helpers, all as
 * upstream's component-helpers define them.
 */
import { Quantity } from "../lib/quantity.js";

export const BIND_COMPLETED_ANNOTATION = "pv.kubernetes.io/bind-completed";
export const BOUND_BY_CONTROLLER_ANNOTATION = "pv.kubernetes.io/bound-by-controller";
export const PROVISIONED_BY_ANNOTATION = "pv.kubernetes.io/provisioned-by";
export const MIGRATED_TO_ANNOTATION = "pv.kubernetes.io/migrated-to";
export const STORAGE_PROVISIONER_ANNOTATION = "volume.kubernetes.io/storage-provisioner";
export const BETA_STORAGE_PROVISIONER_ANNOTATION = "volume.beta.kubernetes.io/storage-provisioner";
export const SELECTED_NODE_ANNOTATION = "volume.kubernetes.io/selected-node";
export const BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
export const PRE_RESIZE_CAPACITY_ANNOTATION = "volume.alpha.kubernetes.io/pre-resize-capacity";
export const DEFAULT_STORAGE_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
export const BETA_DEFAULT_STORAGE_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";

export const PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";
export const PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection";
export const PV_CONTROLLER_FINALIZER = "kubernetes.io/pv-controller";
export const EXTERNAL_PROVISIONER_FINALIZER = "external-provisioner.volume.kubernetes.io/finalizer";

/** The provisioner value meaning "no dynamic provisioning". */
export const NO_PROVISIONER = "kubernetes.io/no-provisioner";

export const ACCESS_MODES = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];
const ABBREVIATIONS: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };

interface Annotated {
  metadata?: { annotations?: Record<string, string>; creationTimestamp?: string; name?: string };
}

/** GetPersistentVolumeClaimClass: beta annotation if present, else spec.storageClassName, else "". */
export function getClaimClass(pvc: Annotated & { spec?: { storageClassName?: string | null } }): string {
  const ann = pvc.metadata?.annotations;
  if (ann && BETA_STORAGE_CLASS_ANNOTATION in ann) return ann[BETA_STORAGE_CLASS_ANNOTATION];
  return pvc.spec?.storageClassName ?? "";
}

/** GetPersistentVolumeClass: same rule for volumes. */
export function getVolumeClass(pv: Annotated & { spec?: { storageClassName?: string } }): string {
  const ann = pv.metadata?.annotations;
  if (ann && BETA_STORAGE_CLASS_ANNOTATION in ann) return ann[BETA_STORAGE_CLASS_ANNOTATION];
  return pv.spec?.storageClassName ?? "";
}

/** True when the class carries the default-class annotation (GA or beta) with exactly "true". */
export function isDefaultStorageClass(sc: Annotated): boolean {
  const ann = sc.metadata?.annotations ?? {};
  return ann[DEFAULT_STORAGE_CLASS_ANNOTATION] === "true" || ann[BETA_DEFAULT_STORAGE_CLASS_ANNOTATION] === "true";
}

/**
 * GetDefaultClass: among default-annotated classes, the newest creationTimestamp wins, ties
 * broken by name ascending. Undefined when there is no default.
 */
export function defaultStorageClass<T extends Annotated>(classes: readonly T[]): T | undefined {
  const defaults = classes.filter(isDefaultStorageClass);
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata?.creationTimestamp ?? "") || 0;
    const tb = Date.parse(b.metadata?.creationTimestamp ?? "") || 0;
    if (ta !== tb) return tb - ta;
    const na = a.metadata?.name ?? "";
    const nb = b.metadata?.name ?? "";
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
  return defaults[0];
}

/** Distinct modes in upstream's fixed order (RWO, ROX, RWX, RWOP); unknown modes dropped. */
export function canonicalAccessModes(modes: readonly string[] | undefined): AccessMode[] {
  const set = new Set(modes ?? []);
  return ACCESS_MODES.filter((m) => set.has(m));
}

/** GetAccessModesAsString: "RWO,RWX" (the PV index key and the printers' ACCESS MODES cell). */
export function accessModesAsString(modes: readonly string[] | undefined): string {
  return canonicalAccessModes(modes)
    .map((m) => ABBREVIATIONS[m])
    .join(",");
}

/** AccessModesContainedInAll / CheckAccessModes: every requested mode is in `available`. */
export function accessModesContainAll(available: readonly string[] | undefined, requested: readonly string[] | undefined): boolean {
  const have = new Set(available ?? []);
  return (requested ?? []).every((m) => have.has(m));
}

/** CheckVolumeModeMismatches: nil on either side counts as Filesystem. */
export function volumeModeMismatch(claimMode: string | undefined | null, volumeMode: string | undefined | null): boolean {
  return (claimMode || "Filesystem") !== (volumeMode || "Filesystem");
}

/** The storage quantity of a ResourceList, parsed; undefined when absent or invalid. */
export function storageQuantity(list: Record<string, string> | undefined): Quantity | undefined {
  return Quantity.tryParse(list?.storage);
}
