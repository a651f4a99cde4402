/**
 * syncVolume: what to do with one volume, as upstream's syncVolume (test IDs are upstream's).
 */
import { ANN_DYNAMICALLY_PROVISIONED, Reasons } from "../model/constants.js";
import type { PersistentVolume, PersistentVolumeClaim } from "../model/types.js";
import { claimKey, claimRefKey, hasAnnotation, volumeModeMismatch } from "../model/volume-helpers.js";
import { unbindVolume } from "./bind.js";
import { Plan, type Decision } from "./plan.js";
import { reclaimVolume } from "./reclaim.js";
import { updateVolumePhase } from "./status-updates.js";
import type { BinderView } from "./view.js";

function released(plan: Plan, volume: PersistentVolume, view: BinderView): Decision {
  // Never overwrite Failed: the user should see it, while reclaim is retried on every sync.
  const phase = volume.status?.phase;
  const current = phase !== "Released" && phase !== "Failed" ? updateVolumePhase(plan, volume, "Released", "") : volume;
  reclaimVolume(plan, current, view);
  return plan.done();
}

export function syncVolume(volume: PersistentVolume, view: BinderView): Decision {
  const plan = new Plan();
  const ref = volume.spec.claimRef;
  if (!ref) {
    // [4-1] Unused.
    updateVolumePhase(plan, volume, "Available", "");
    return plan.done();
  }
  if (!ref.uid) {
    // [4-2] Pre-bound by name; the claim's sync will bind it.
    updateVolumePhase(plan, volume, "Available", "");
    return plan.done();
  }
  const key = claimRefKey(volume) ?? "";
  const ns = ref.namespace ?? "";
  const name = ref.name ?? "";
  let claim: PersistentVolumeClaim | null | undefined = view.claim(key);
  const phase = volume.status?.phase;
  if (!claim && phase !== "Released" && phase !== "Failed") {
    // The claim may exist but not be cached yet (a provisioner or the scheduler just bound it):
    // only a live read may conclude it is gone [4-11].
    const live = view.liveClaim?.(key);
    if (live === undefined) return plan.done({ needLiveClaim: { namespace: ns, name } });
    claim = live;
  }
  if (claim && claim.metadata.uid !== ref.uid) {
    // The cache may hold an older claim of the same name: ask the API server [4-12].
    const live = view.liveClaim?.(key);
    if (live === undefined) return plan.done({ needLiveClaim: { namespace: ns, name } });
    claim = live && live.metadata.uid === ref.uid ? live : null;
  }
  if (!claim) return released(plan, volume, view); // [4-3, 4-4, 4-10]

  if (!claim.spec.volumeName) {
    if (volumeModeMismatch(claim, volume)) {
      // [14-13] The claim's sync will never pick this volume; tell both sides why.
      plan.event(volume, "Warning", Reasons.VolumeMismatch, `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`);
      plan.event(claim, "Warning", Reasons.VolumeMismatch, `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`);
      return plan.done();
    }
    // [4-5] Binding in progress (or a dangling pre-binding): the claim's sync finishes it.
    plan.enqueueClaim(claimKey(claim));
    return plan.done();
  }
  if (claim.spec.volumeName === volume.metadata.name) {
    // [4-6] Properly bound.
    updateVolumePhase(plan, volume, "Bound", "");
    return plan.done();
  }
  // The claim is bound to another volume.
  if (hasAnnotation(volume, ANN_DYNAMICALLY_PROVISIONED) && volume.spec.persistentVolumeReclaimPolicy === "Delete") {
    // [8-11, 8-12] Provisioned for this claim but not used: release it for deletion.
    return released(plan, volume, view);
  }
  // [4-7] The controller's losing half of a race: roll back. [4-8] A user's pre-binding: keep the name.
  unbindVolume(plan, volume);
  return plan.done();
}
