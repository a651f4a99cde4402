/**
 * Small predicates over PVs and PVCs, with upstream's semantics (component-helpers
 * storage/volume pv_helpers.go): the class of an object (legacy beta annotation first), who a
 * volume is bound to, volumeMode compatibility, and the keys objects are cached under.
 */
import { ANN_BETA_STORAGE_CLASS } from "./constants.js";
import type { PersistentVolume, PersistentVolumeClaim, Pod } from "./types.js";

export function hasAnnotation(obj: { metadata: { annotations?: Record<string, string> } }, key: string): boolean {
  const a = obj.metadata.annotations;
  return a !== undefined && Object.prototype.hasOwnProperty.call(a, key);
}

/** The class a claim asks for: beta annotation, else spec.storageClassName, else "". */
export function claimClass(claim: PersistentVolumeClaim): string {
  if (hasAnnotation(claim, ANN_BETA_STORAGE_CLASS)) return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? "";
  return claim.spec.storageClassName ?? "";
}

/** Whether the claim names a class at all (nil vs "" matters for default-class assignment). */
export function claimHasClass(claim: PersistentVolumeClaim): boolean {
  if (hasAnnotation(claim, ANN_BETA_STORAGE_CLASS)) return true;
  return claim.spec.storageClassName !== undefined && claim.spec.storageClassName !== null;
}

/** The class of a volume: beta annotation, else spec.storageClassName, else "". */
export function volumeClass(pv: PersistentVolume): string {
  if (hasAnnotation(pv, ANN_BETA_STORAGE_CLASS)) return pv.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? "";
  return pv.spec.storageClassName ?? "";
}

export function claimKey(claim: { metadata: { namespace?: string; name?: string } }): string {
  return `${claim.metadata.namespace ?? ""}/${claim.metadata.name ?? ""}`;
}

export function claimRefKey(pv: PersistentVolume): string | undefined {
  const ref = pv.spec.claimRef;
  if (!ref) return undefined;
  return `${ref.namespace ?? ""}/${ref.name ?? ""}`;
}

/** claimRef names this claim and its uid is empty (pre-bound by name) or the claim's uid. */
export function isVolumeBoundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec.claimRef;
  if (!ref) return false;
  if (claim.metadata.name !== ref.name || claim.metadata.namespace !== ref.namespace) return false;
  if (ref.uid && ref.uid !== claim.metadata.uid) return false;
  return true;
}

/** Modes differ, a missing mode counting as Filesystem (upstream's CheckVolumeModeMismatches). */
export function volumeModeMismatch(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  return (claim.spec.volumeMode ?? "Filesystem") !== (pv.spec.volumeMode ?? "Filesystem");
}

/** nil and "" are the same volume attributes class. */
export function vacMismatch(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  return (claim.spec.volumeAttributesClassName ?? "") !== (pv.spec.volumeAttributesClassName ?? "");
}

export function requestedStorage(claim: PersistentVolumeClaim): string | undefined {
  return claim.spec.resources?.requests?.storage;
}

export function volumeCapacity(pv: PersistentVolume): string | undefined {
  return pv.spec.capacity?.storage;
}

export function isDeleting(obj: { metadata: { deletionTimestamp?: string } }): boolean {
  return !!obj.metadata.deletionTimestamp;
}

/** Succeeded or Failed: the pod's containers will not run again (util.IsPodTerminated). */
export function isPodTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** Names of the PVCs a pod mounts: persistentVolumeClaim volumes and generic ephemeral volumes. */
export function podClaimNames(pod: Pod): string[] {
  const names: string[] = [];
  for (const v of pod.spec.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) names.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) names.push(`${pod.metadata.name}-${v.name}`);
  }
  return names;
}

/** "ns/claim" keys of the claims a pod mounts (the pod → PVC index). */
export function podClaimKeys(pod: Pod): string[] {
  return podClaimNames(pod).map((n) => `${pod.metadata.namespace ?? ""}/${n}`);
}

export function clone<T>(obj: T): T {
  return structuredClone(obj);
}
