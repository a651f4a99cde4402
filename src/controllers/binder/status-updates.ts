/**
 * Status writes with upstream's "only if something changed" rules (updateClaimStatus,
 * updateVolumePhase and their WithEvent variants). Each returns the object as it will be after
 * the write, for the next step to build on.
 */
import { ANN_PRE_RESIZE_CAPACITY } from "../model/constants.js";
import { nanoKey } from "../model/quantity.js";
import type { ClaimPhase, PersistentVolume, PersistentVolumeClaim, VolumePhase } from "../model/types.js";
import { clone, hasAnnotation } from "../model/volume-helpers.js";
import type { Plan } from "./plan.js";

function sameModes(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((m, i) => m === y[i]);
}

/** Set the claim's phase; with a volume, copy its access modes and (when becoming Bound) capacity. */
export function updateClaimStatus(plan: Plan, claim: PersistentVolumeClaim, phase: ClaimPhase, volume?: PersistentVolume): PersistentVolumeClaim {
  const next = clone(claim);
  next.status ??= {};
  const status = next.status;
  const old = claim.status ?? {};
  let dirty = false;
  if (old.phase !== phase) {
    status.phase = phase;
    dirty = true;
  }
  if (!volume) {
    if (old.accessModes !== undefined) {
      delete status.accessModes;
      dirty = true;
    }
    if (old.capacity !== undefined) {
      delete status.capacity;
      dirty = true;
    }
  } else {
    if (!sameModes(old.accessModes, volume.spec.accessModes)) {
      status.accessModes = [...(volume.spec.accessModes ?? [])];
      dirty = true;
    }
    // Capacity (and the attributes class) are copied only on the transition into the phase, so a
    // resize in progress is not clobbered later.
    if (old.phase !== phase) {
      const volumeCap = volume.spec.capacity?.storage;
      if (hasAnnotation(volume, ANN_PRE_RESIZE_CAPACITY)) {
        const pre = volume.metadata.annotations?.[ANN_PRE_RESIZE_CAPACITY] ?? "";
        status.capacity = { ...(status.capacity ?? {}), storage: nanoKey(pre) !== undefined ? pre : (volumeCap ?? "") };
        dirty = true;
      } else if (old.capacity?.storage === undefined || nanoKey(volumeCap) !== nanoKey(old.capacity.storage)) {
        status.capacity = { ...(volume.spec.capacity ?? {}) };
        dirty = true;
      }
      const vac = volume.spec.volumeAttributesClassName ?? undefined;
      if ((old.currentVolumeAttributesClassName ?? undefined) !== vac) {
        if (vac === undefined) delete status.currentVolumeAttributesClassName;
        else status.currentVolumeAttributesClassName = vac;
        dirty = true;
      }
    }
  }
  if (!dirty) return claim;
  return plan.updateStatus("PersistentVolumeClaim", next);
}

/** As updateClaimStatus, emitting the event only when the phase actually changes. */
export function updateClaimStatusWithEvent(
  plan: Plan,
  claim: PersistentVolumeClaim,
  phase: ClaimPhase,
  volume: PersistentVolume | undefined,
  eventType: "Normal" | "Warning",
  reason: string,
  message: string,
): PersistentVolumeClaim {
  if (claim.status?.phase === phase) return claim;
  const next = updateClaimStatus(plan, claim, phase, volume);
  plan.event(next, eventType, reason, message);
  return next;
}

/** Set the volume's phase and message; nothing if the phase is already set. */
export function updateVolumePhase(plan: Plan, volume: PersistentVolume, phase: VolumePhase, message: string): PersistentVolume {
  if (volume.status?.phase === phase) return volume;
  const next = clone(volume);
  next.status = { ...(next.status ?? {}), phase };
  if (message) next.status.message = message;
  else delete next.status.message;
  return plan.updateStatus("PersistentVolume", next);
}

export function updateVolumePhaseWithEvent(
  plan: Plan,
  volume: PersistentVolume,
  phase: VolumePhase,
  eventType: "Normal" | "Warning",
  reason: string,
  message: string,
): PersistentVolume {
  if (volume.status?.phase === phase) return volume;
  const next = updateVolumePhase(plan, volume, phase, message);
  plan.event(next, eventType, reason, message);
  return next;
}
