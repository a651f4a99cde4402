/**
 * What is left in a terminating namespace, and the status conditions upstream's namespace
 * controller reports about it (NamespaceContentRemaining, NamespaceFinalizersRemaining), so
 * `kubectl describe namespace` explains why it is still Terminating.
 */
import type { KubeObject } from "../../api/types.js";
import type { Namespace } from "../model/types.js";

export interface Remaining {
  /** plural → number of objects still present */
  byResource: Map<string, number>;
  /** finalizer → number of objects still carrying it */
  byFinalizer: Map<string, number>;
}

export function emptyRemaining(): Remaining {
  return { byResource: new Map(), byFinalizer: new Map() };
}

export function countRemaining(rem: Remaining, plural: string, items: readonly KubeObject[]): void {
  if (items.length === 0) return;
  rem.byResource.set(plural, (rem.byResource.get(plural) ?? 0) + items.length);
  for (const item of items) for (const f of item.metadata.finalizers ?? []) rem.byFinalizer.set(f, (rem.byFinalizer.get(f) ?? 0) + 1);
}

type Condition = NonNullable<NonNullable<Namespace["status"]>["conditions"]>[number];

function list(m: Map<string, number>): string {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k} has ${n} resource instances`).join(", ");
}

/** Upstream's five deletion conditions, for the current state of the content. */
export function deletionConditions(rem: Remaining, discoveryError: string | undefined, deleteErrors: string[], now: string): Condition[] {
  const c = (type: string, ok: boolean, reason: string, message: string): Condition => (ok ? { type, status: "False", reason, message, lastTransitionTime: now } : { type, status: "True", reason, message, lastTransitionTime: now });
  return [
    c("NamespaceDeletionDiscoveryFailure", !discoveryError, discoveryError ? "DiscoveryFailed" : "ResourcesDiscovered", discoveryError ?? "All resources successfully discovered"),
    c("NamespaceDeletionGroupVersionParsingFailure", true, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
    c("NamespaceDeletionContentFailure", deleteErrors.length === 0, deleteErrors.length ? "ContentDeletionFailed" : "ContentDeleted", deleteErrors.length ? `Failed to delete all resource types, ${deleteErrors.length} remaining: ${deleteErrors.join(", ")}` : "All content successfully deleted, may be waiting on finalization"),
    c("NamespaceContentRemaining", rem.byResource.size === 0, rem.byResource.size ? "SomeResourcesRemain" : "ContentRemoved", rem.byResource.size ? `Some resources are remaining: ${list(rem.byResource)}` : "All content successfully removed"),
    c("NamespaceFinalizersRemaining", rem.byFinalizer.size === 0, rem.byFinalizer.size ? "SomeFinalizersRemain" : "ContentHasNoFinalizers", rem.byFinalizer.size ? `Some content in the namespace has finalizers remaining: ${[...rem.byFinalizer.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, n]) => `${f} in ${n} resource instances`).join(", ")}` : "All content-preserving finalizers finished"),
  ];
}

/** Conditions changed in anything but their timestamps. */
export function conditionsDiffer(a: Condition[] | undefined, b: Condition[]): boolean {
  const key = (cs: Condition[] | undefined) => JSON.stringify((cs ?? []).map((x) => [x.type, x.status, x.reason, x.message]).sort());
  return key(a) !== key(b);
}
