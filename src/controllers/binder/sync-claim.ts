/**
 * syncClaim: what to do with one claim, as upstream's syncClaim / syncUnboundClaim /
 * syncBoundClaim (the test IDs in the comments are upstream's binder_test.go cases).
 */
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, Reasons } from "../model/constants.js";
import type { PersistentVolumeClaim } from "../model/types.js";
import { claimClass, claimKey, hasAnnotation, isPodTerminated, isVolumeBoundToClaim } from "../model/volume-helpers.js";
import { bind } from "./bind.js";
import { checkVolumeSatisfyClaim } from "./match-volume.js";
import { Plan, type Decision } from "./plan.js";
import { assignDefaultStorageClass, isDelayBindingMode, isDelayBindingProvisioning, provisionClaim } from "./provision.js";
import { updateClaimStatus, updateClaimStatusWithEvent } from "./status-updates.js";
import type { BinderView } from "./view.js";

export function syncClaim(claim: PersistentVolumeClaim, view: BinderView): Decision {
  return hasAnnotation(claim, ANN_BIND_COMPLETED) ? syncBoundClaim(claim, view) : syncUnboundClaim(claim, view);
}

/** WaitForFirstConsumer: say whether a pod is expected (upstream's emitEventForUnboundDelayBindingClaim). */
function waitForConsumerEvent(plan: Plan, claim: PersistentVolumeClaim, view: BinderView): void {
  const waiting = view
    .podsForClaim(claimKey(claim))
    .filter((p) => !isPodTerminated(p) && !p.spec.nodeName)
    .map((p) => p.metadata.name ?? "");
  if (waiting.length === 0) {
    plan.event(claim, "Normal", Reasons.WaitForFirstConsumer, "waiting for first consumer to be created before binding");
  } else if (waiting.length === 1) {
    plan.event(claim, "Normal", Reasons.WaitForPodScheduled, `waiting for pod ${waiting[0]} to be scheduled`);
  } else {
    plan.event(claim, "Normal", Reasons.WaitForPodScheduled, `waiting for pods ${waiting.join(",")} to be scheduled`);
  }
}

function syncUnboundClaim(claim: PersistentVolumeClaim, view: BinderView): Decision {
  const plan = new Plan();
  if (!claim.spec.volumeName) {
    // [set 1] The user did not ask for a particular volume.
    const mode = isDelayBindingMode(claim, view);
    if (mode.error) return plan.done({ error: mode.error });
    const volume = view.findBestMatch(claim, mode.delay);
    if (volume) {
      bind(plan, volume, claim);
      return plan.done();
    }
    if (assignDefaultStorageClass(plan, claim, view)) return plan.done();
    if (mode.delay && !isDelayBindingProvisioning(claim)) {
      waitForConsumerEvent(plan, claim, view);
    } else if (claimClass(claim) !== "") {
      // Provisioning continues asynchronously; the claim's phase is left as it is.
      provisionClaim(plan, claim, view);
      return plan.done();
    } else {
      plan.event(claim, "Normal", Reasons.FailedBinding, "no persistent volumes available for this claim and no storage class is set");
    }
    updateClaimStatus(plan, claim, "Pending");
    return plan.done();
  }

  // [set 2] The user (or the scheduler, or a provisioner) named the volume.
  const volume = view.volume(claim.spec.volumeName);
  if (!volume) {
    updateClaimStatus(plan, claim, "Pending");
    return plan.done();
  }
  if (!volume.spec.claimRef) {
    const mismatch = checkVolumeSatisfyClaim(volume, claim);
    if (mismatch) {
      plan.event(claim, "Warning", Reasons.VolumeMismatch, `Cannot bind to requested volume "${volume.metadata.name}": ${mismatch}`);
      updateClaimStatus(plan, claim, "Pending");
      return plan.done();
    }
    bind(plan, volume, claim);
    return plan.done();
  }
  if (isVolumeBoundToClaim(volume, claim)) {
    bind(plan, volume, claim);
    return plan.done();
  }
  const msg = `volume "${volume.metadata.name}" already bound to a different claim.`;
  plan.event(claim, "Warning", Reasons.FailedBinding, msg);
  if (!hasAnnotation(claim, ANN_BOUND_BY_CONTROLLER)) {
    updateClaimStatus(plan, claim, "Pending");
    return plan.done();
  }
  const ref = volume.spec.claimRef;
  return plan.done({
    error: `invalid binding of claim "${claimKey(claim)}" to volume "${claim.spec.volumeName}": volume already claimed by "${ref.namespace}/${ref.name}"`,
  });
}

function syncBoundClaim(claim: PersistentVolumeClaim, view: BinderView): Decision {
  // [set 3] The claim was bound once (bind-completed is set).
  const plan = new Plan();
  if (!claim.spec.volumeName) {
    updateClaimStatusWithEvent(plan, claim, "Lost", undefined, "Warning", Reasons.ClaimLost, "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
    return plan.done();
  }
  const volume = view.volume(claim.spec.volumeName);
  if (!volume) {
    updateClaimStatusWithEvent(plan, claim, "Lost", undefined, "Warning", Reasons.ClaimLost, "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
    return plan.done();
  }
  const ref = volume.spec.claimRef;
  if (!ref || (ref.uid ?? "") === (claim.metadata.uid ?? "")) {
    // Unbound volume (re-bind it) or already correctly bound (bind() writes only what is missing).
    bind(plan, volume, claim);
    return plan.done();
  }
  updateClaimStatusWithEvent(plan, claim, "Lost", undefined, "Warning", Reasons.ClaimMisbound, "Two claims are bound to the same volume, this one is bound incorrectly");
  return plan.done();
}
