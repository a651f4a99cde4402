/**
 * When an object marked for deletion may leave the store: no finalizers left, for namespaces
 * also no spec.finalizers (the namespace controller clears "kubernetes" once the namespace is
 * empty), and for pods the node has confirmed (graceful deletion ends with grace period 0).
 */
import type { KubeObject, ResourceTraits } from "../../api/types.js";

export function isDeletionComplete(t: ResourceTraits, obj: KubeObject): boolean {
  const m = obj.metadata;
  if (!m.deletionTimestamp) return false;
  if (m.finalizers && m.finalizers.length > 0) return false;
  if (t.kind === "Pod" && (m.deletionGracePeriodSeconds ?? 0) > 0) return false;
  if (t.kind === "Namespace" && (((obj.spec ?? {}) as { finalizers?: string[] }).finalizers ?? []).length > 0) return false;
  return true;
}
