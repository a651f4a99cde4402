/**
 * When an object marked for deletion may leave the store: no finalizers left, and for pods the
 * node has confirmed (graceful deletion ends with a DELETE of grace period 0).
 */
import type { KubeObject, ResourceTraits } from "../../api/types.js";

export function isDeletionComplete(t: ResourceTraits, obj: KubeObject): boolean {
  const m = obj.metadata;
  if (!m.deletionTimestamp) return false;
  if (m.finalizers && m.finalizers.length > 0) return false;
  if (t.kind === "Pod" && (m.deletionGracePeriodSeconds ?? 0) > 0) return false;
  return true;
}
