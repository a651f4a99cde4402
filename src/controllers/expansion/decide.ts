/**
 * Volume expansion, following upstream's flow for a CSI volume (the expand controller hands the
 * claim to the external resizer, which records the resize on the claim, grows the volume, then
 * records the new capacity). For an elastic file system there is nothing to grow on disk, so the
 * "grow" step is the PV's spec.capacity. Each step is decided from the objects' current state, so
 * a crash between any two writes resumes where it stopped:
 *   1. claim status: condition Resizing=True, allocatedResources = request,
 *      allocatedResourceStatuses.storage = ControllerResizeInProgress
 *   2. volume spec.capacity.storage = request
 *   3. claim status: capacity = request, Resizing removed, allocatedResourceStatuses cleared
 * Only a Bound claim asking for more than its status.capacity, on a volume smaller than the
 * request, is resized (upstream's pvcNeedResize && pvNeedResize); admission has already checked
 * allowVolumeExpansion.
 */
import { nanoKey } from "../model/quantity.js";
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimCondition } from "../model/types.js";
import { clone } from "../model/volume-helpers.js";

export type ExpansionStep =
  | { step: "mark-in-progress"; claim: PersistentVolumeClaim }
  | { step: "grow-volume"; volume: PersistentVolume }
  | { step: "finish"; claim: PersistentVolumeClaim }
  | { step: "none" };

const RESIZING = "Resizing";

function bigger(a: string | undefined, b: string | undefined): boolean {
  return (nanoKey(a) ?? 0n) > (nanoKey(b) ?? 0n);
}

export function resizeInProgress(claim: PersistentVolumeClaim): boolean {
  return (claim.status?.conditions ?? []).some((c) => c.type === RESIZING && c.status === "True");
}

/** The next write of the expansion, or none. `now` stamps condition transitions. */
export function nextExpansionStep(claim: PersistentVolumeClaim, volume: PersistentVolume | undefined, now: string): ExpansionStep {
  if (claim.status?.phase !== "Bound" || !volume || claim.spec.volumeName !== volume.metadata.name) return { step: "none" };
  const request = claim.spec.resources?.requests?.storage;
  const current = claim.status?.capacity?.storage;
  if (!request || !bigger(request, current)) return { step: "none" };
  const volumeCap = volume.spec.capacity?.storage;
  if (!resizeInProgress(claim)) {
    // A volume already at least as big as the request needs no resize (upstream's pvNeedResize).
    if (!bigger(request, volumeCap)) return { step: "none" };
    const next = clone(claim);
    const status = (next.status ??= {});
    const conditions: PersistentVolumeClaimCondition[] = (status.conditions ?? []).filter((c) => c.type !== RESIZING);
    conditions.push({ type: RESIZING, status: "True", lastProbeTime: null, lastTransitionTime: now });
    status.conditions = conditions;
    status.allocatedResources = { ...(status.allocatedResources ?? {}), storage: request };
    status.allocatedResourceStatuses = { ...(status.allocatedResourceStatuses ?? {}), storage: "ControllerResizeInProgress" };
    return { step: "mark-in-progress", claim: next };
  }
  if (bigger(request, volumeCap)) {
    const next = clone(volume);
    next.spec.capacity = { ...(next.spec.capacity ?? {}), storage: request };
    return { step: "grow-volume", volume: next };
  }
  const next = clone(claim);
  const status = (next.status ??= {});
  status.capacity = { ...(status.capacity ?? {}), storage: request };
  status.conditions = (status.conditions ?? []).filter((c) => c.type !== RESIZING && c.type !== "FileSystemResizePending");
  if (status.conditions.length === 0) delete status.conditions;
  const statuses = { ...(status.allocatedResourceStatuses ?? {}) };
  delete statuses.storage;
  if (Object.keys(statuses).length === 0) delete status.allocatedResourceStatuses;
  else status.allocatedResourceStatuses = statuses;
  return { step: "finish", claim: next };
}
