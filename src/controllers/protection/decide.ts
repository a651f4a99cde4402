/**
 * The protection finalizers' rules, as pure functions (upstream's pvcprotection and
 * pvprotection controllers):
 *   kubernetes.io/pvc-protection — kept while a scheduled, non-terminated pod mounts the claim
 *     (an unscheduled pod does not count: neither the scheduler nor the kubelet will start a pod
 *     on a claim that is being deleted). Added to live claims that lack it.
 *   kubernetes.io/pv-protection — kept while the volume is Bound. Added to live volumes.
 * Other finalizers (external-provisioner.volume.kubernetes.io/finalizer, kubernetes.io/pv-controller)
 * belong to their owners and are never touched here.
 */
import { FINALIZER_PV_PROTECTION, FINALIZER_PVC_PROTECTION } from "../model/constants.js";
import type { PersistentVolume, PersistentVolumeClaim, Pod } from "../model/types.js";
import { isPodTerminated, podClaimNames } from "../model/volume-helpers.js";

export type FinalizerAction = "add" | "remove" | "keep" | "none";

function has(obj: { metadata: { finalizers?: string[] } }, f: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(f);
}

/** Deleted with grace 0 after the kubelet stopped it, or force-deleted: it no longer runs. */
function isShutDown(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds === 0;
}

/** Whether this pod keeps the claim from being removed. */
export function podBlocksClaimDeletion(pod: Pod, claim: PersistentVolumeClaim): boolean {
  if (!pod.spec.nodeName || pod.metadata.namespace !== claim.metadata.namespace) return false;
  if (isPodTerminated(pod) || isShutDown(pod)) return false;
  return podClaimNames(pod).includes(claim.metadata.name ?? "");
}

export function pvcProtectionAction(claim: PersistentVolumeClaim, pods: readonly Pod[]): FinalizerAction {
  const protectedNow = has(claim, FINALIZER_PVC_PROTECTION);
  if (!claim.metadata.deletionTimestamp) return protectedNow ? "none" : "add";
  if (!protectedNow) return "none";
  return pods.some((p) => podBlocksClaimDeletion(p, claim)) ? "keep" : "remove";
}

export function pvProtectionAction(volume: PersistentVolume): FinalizerAction {
  const protectedNow = has(volume, FINALIZER_PV_PROTECTION);
  if (!volume.metadata.deletionTimestamp) return protectedNow ? "none" : "add";
  if (!protectedNow) return "none";
  return volume.status?.phase === "Bound" ? "keep" : "remove";
}
