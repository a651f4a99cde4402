/**
 * What happens to a volume whose claim is gone (upstream's reclaimVolume):
 *   Retain  → nothing; the volume stays Released with its data and its stale claimRef.
 *   Delete  → handed to the volume's provisioner: a pv.kubernetes.io/provisioned-by outside
 *             kubernetes.io/, or any CSI volume, is left Released for that external provisioner
 *             to delete; anything else has no deleter here → Failed + VolumeFailedDelete.
 *   Recycle → refused as upstream refuses it for CSI (no recycler plugin) → Failed; while pods
 *             still use the old claim the refusal is a Normal event and nothing else.
 *   other   → Failed + VolumeUnknownReclaimPolicy.
 * A volume with pv.kubernetes.io/migrated-to is left alone (its CSI driver owns it).
 */
import { ANN_DYNAMICALLY_PROVISIONED, ANN_MIGRATED_TO, Reasons } from "../model/constants.js";
import type { PersistentVolume } from "../model/types.js";
import { claimRefKey, isPodTerminated } from "../model/volume-helpers.js";
import type { Plan } from "./plan.js";
import { updateVolumePhaseWithEvent } from "./status-updates.js";
import type { BinderView } from "./view.js";

/** Who deletes this volume's storage: "external" (leave it Released) or an error text. */
export function deleterFor(volume: PersistentVolume): { external: true } | { external: false; error: string } {
  const provisionedBy = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
  if (provisionedBy) {
    if (!provisionedBy.startsWith("kubernetes.io/")) return { external: true };
    return { external: false, error: `no volume plugin matched name: ${provisionedBy}` };
  }
  if (volume.metadata.annotations?.[ANN_MIGRATED_TO] || volume.spec.csi) return { external: true };
  return { external: false, error: `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched` };
}

export function reclaimVolume(plan: Plan, volume: PersistentVolume, view: BinderView): void {
  if (volume.metadata.annotations?.[ANN_MIGRATED_TO]) return;
  switch (volume.spec.persistentVolumeReclaimPolicy) {
    case "Retain":
      return;
    case "Delete": {
      const deleter = deleterFor(volume);
      if (!deleter.external) updateVolumePhaseWithEvent(plan, volume, "Failed", "Warning", Reasons.VolumeFailedDelete, deleter.error);
      return;
    }
    case "Recycle": {
      const key = claimRefKey(volume) ?? "";
      const users = view
        .podsForClaim(key)
        .filter((p) => !isPodTerminated(p))
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
        .sort();
      // A cached claim under that name is a new claim (the volume is released), not a user.
      if (users.length > 0 && !view.claim(key)) {
        plan.event(volume, "Normal", Reasons.VolumeFailedRecycle, `Volume is used by pods: ${users.join(",")}`);
        return;
      }
      updateVolumePhaseWithEvent(plan, volume, "Failed", "Warning", Reasons.VolumeFailedRecycle, "No recycler plugin found for the volume!");
      return;
    }
    default:
      updateVolumePhaseWithEvent(plan, volume, "Failed", "Warning", Reasons.VolumeUnknownReclaimPolicy, "Volume has unrecognized PersistentVolumeReclaimPolicy");
  }
}
