/**
 * The binding transaction, as upstream's bind(): four writes in a fixed order, each skipped when
 * already done, so re-running after a crash between any two of them finishes the job:
 *   1. PV spec:   claimRef → the claim (with uid); bound-by-controller unless the PV was pre-bound
 *   2. PV status: phase Bound
 *   3. PVC spec:  volumeName → the PV; bound-by-controller unless the claim named it; bind-completed
 *   4. PVC status: phase Bound, access modes and capacity from the PV
 * The PV goes first: a claimRef with the claim's uid is the durable reservation, and its write
 * is conditional on the PV's resourceVersion, so two claims can never both take one volume.
 */
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER } from "../model/constants.js";
import type { PersistentVolume, PersistentVolumeClaim } from "../model/types.js";
import { clone, hasAnnotation, isVolumeBoundToClaim } from "../model/volume-helpers.js";
import type { Plan } from "./plan.js";
import { updateClaimStatus, updateVolumePhase } from "./status-updates.js";

function setAnnotation(obj: { metadata: { annotations?: Record<string, string> } }, key: string, value: string): void {
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [key]: value };
}

/** Upstream's GetBindVolumeToClaim: the PV with claimRef set, and whether anything changed. */
export function volumeBoundToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): { volume: PersistentVolume; dirty: boolean } {
  const shouldSetBoundByController = !isVolumeBoundToClaim(volume, claim);
  const next = clone(volume);
  let dirty = false;
  const ref = volume.spec.claimRef;
  if (!ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace || (ref.uid ?? "") !== (claim.metadata.uid ?? "")) {
    next.spec.claimRef = {
      kind: "PersistentVolumeClaim",
      namespace: claim.metadata.namespace,
      name: claim.metadata.name,
      uid: claim.metadata.uid,
      apiVersion: "v1",
      resourceVersion: claim.metadata.resourceVersion,
    };
    dirty = true;
  }
  if (shouldSetBoundByController && !hasAnnotation(next, ANN_BOUND_BY_CONTROLLER)) {
    setAnnotation(next, ANN_BOUND_BY_CONTROLLER, "yes");
    dirty = true;
  }
  return { volume: dirty ? next : volume, dirty };
}

/** Upstream's bindClaimToVolume: the claim pointing at the volume, with the binding annotations. */
function claimBoundToVolume(plan: Plan, claim: PersistentVolumeClaim, volume: PersistentVolume): PersistentVolumeClaim {
  const next = clone(claim);
  let dirty = false;
  if (claim.spec.volumeName !== volume.metadata.name) {
    next.spec.volumeName = volume.metadata.name;
    if (!hasAnnotation(next, ANN_BOUND_BY_CONTROLLER)) setAnnotation(next, ANN_BOUND_BY_CONTROLLER, "yes");
    dirty = true;
  }
  if (!hasAnnotation(next, ANN_BIND_COMPLETED)) {
    setAnnotation(next, ANN_BIND_COMPLETED, "yes");
    dirty = true;
  }
  return dirty ? plan.update("PersistentVolumeClaim", next) : claim;
}

/** Append the binding's writes (each only if needed). */
export function bind(plan: Plan, volume: PersistentVolume, claim: PersistentVolumeClaim): void {
  const bound = volumeBoundToClaim(volume, claim);
  let pv = bound.dirty ? plan.update("PersistentVolume", bound.volume) : volume;
  pv = updateVolumePhase(plan, pv, "Bound", "");
  const pvc = claimBoundToVolume(plan, claim, pv);
  updateClaimStatus(plan, pvc, "Bound", pv);
}

/**
 * Roll back a binding the controller made (claimRef and annotation removed) or, for a volume a
 * user pre-bound, forget only the claim's uid so it stays reserved by name; then Available.
 */
export function unbindVolume(plan: Plan, volume: PersistentVolume): void {
  const next = clone(volume);
  if (hasAnnotation(volume, ANN_BOUND_BY_CONTROLLER)) {
    delete next.spec.claimRef;
    const ann = { ...(next.metadata.annotations ?? {}) };
    delete ann[ANN_BOUND_BY_CONTROLLER];
    if (Object.keys(ann).length === 0) delete next.metadata.annotations;
    else next.metadata.annotations = ann;
  } else if (next.spec.claimRef) {
    // An empty uid is omitted on the wire, as upstream's omitempty does.
    const { uid: _uid, ...byName } = next.spec.claimRef;
    next.spec.claimRef = byName;
  }
  const saved = plan.update("PersistentVolume", next);
  updateVolumePhase(plan, saved, "Available", "");
}
