/**
 * For `cistern explain pvc`: every rule a volume fails for a claim (not only the first), in the
 * binder's order, with a human sentence for each. The first is what the binder reports; a volume
 * failing exactly one fixable rule is a "near miss" worth a suggested fix.
 */
import { accessModesContainedIn, shortAccessModes } from "../model/access-modes.js";
import { selectorMatches } from "../model/label-selector.js";
import { nanoKey } from "../model/quantity.js";
import type { PersistentVolume, PersistentVolumeClaim } from "../model/types.js";
import { claimClass, isDeleting, isVolumeBoundToClaim, requestedStorage, vacMismatch, volumeCapacity, volumeClass, volumeModeMismatch } from "../model/volume-helpers.js";
import type { RejectRule } from "../binder/match-volume.js";

export interface Failure {
  rule: RejectRule;
  detail: string;
}

const show = (s: string) => (s === "" ? '""' : `"${s}"`);

export function volumeFailures(claim: PersistentVolumeClaim, pv: PersistentVolume, delayBinding: boolean): Failure[] {
  const out: Failure[] = [];
  if (!accessModesContainedIn(pv.spec.accessModes, claim.spec.accessModes)) {
    out.push({ rule: "access-modes", detail: `access modes ${shortAccessModes(pv.spec.accessModes) || "none"} do not include the claim's ${shortAccessModes(claim.spec.accessModes)}` });
  }
  const prebound = isVolumeBoundToClaim(pv, claim);
  const ref = pv.spec.claimRef;
  if (ref && !prebound) {
    const same = ref.namespace === claim.metadata.namespace && ref.name === claim.metadata.name;
    out.push({ rule: "claimed-by-other", detail: same ? `claimed by an earlier claim of the same name (uid ${ref.uid}), now gone` : `claimed by ${ref.namespace}/${ref.name}` });
  }
  if ((nanoKey(volumeCapacity(pv)) ?? 0n) < (nanoKey(requestedStorage(claim)) ?? 0n)) {
    out.push({ rule: "too-small", detail: `capacity ${volumeCapacity(pv) ?? "0"} is less than the request ${requestedStorage(claim)}` });
  }
  if (volumeModeMismatch(claim, pv)) out.push({ rule: "volume-mode", detail: `volumeMode ${pv.spec.volumeMode ?? "Filesystem"}, the claim wants ${claim.spec.volumeMode ?? "Filesystem"}` });
  if (vacMismatch(claim, pv)) out.push({ rule: "volume-attributes-class", detail: `volumeAttributesClassName ${show(pv.spec.volumeAttributesClassName ?? "")}, the claim wants ${show(claim.spec.volumeAttributesClassName ?? "")}` });
  if (isDeleting(pv)) out.push({ rule: "being-deleted", detail: "is being deleted" });
  if (prebound) return out;
  if (delayBinding) out.push({ rule: "delay-binding", detail: "WaitForFirstConsumer: only the scheduler binds it, once a pod using the claim is scheduled" });
  if (pv.status?.phase !== "Available") out.push({ rule: "not-available", detail: `phase is ${pv.status?.phase || "(none)"}; only Available volumes are matched` });
  if (claim.spec.selector && !selectorMatches(claim.spec.selector, pv.metadata.labels)) {
    out.push({ rule: "selector", detail: `labels ${JSON.stringify(pv.metadata.labels ?? {})} do not match the claim's selector ${JSON.stringify(claim.spec.selector)}` });
  }
  if (volumeClass(pv) !== claimClass(claim)) out.push({ rule: "storage-class", detail: `storageClassName ${show(volumeClass(pv))}, the claim wants ${show(claimClass(claim))}` });
  return out;
}
