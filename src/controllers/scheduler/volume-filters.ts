/**
 * The volume side of scheduling, as upstream's VolumeBinding and VolumeRestrictions plugins:
 *   preFilterVolumes  the pod's claims must exist, not be Lost or being deleted, and every claim
 *                     in Immediate mode must already be bound;
 *   volumeFilter      per node: bound volumes' node affinity, and for each unbound
 *                     WaitForFirstConsumer claim either a matching volume reachable from the node
 *                     (FindMatchingVolume with the node) or a class that can provision there;
 *                     plus ReadWriteOncePod (one pod in the cluster) and ReadWriteOnce (one node).
 * Reason strings are upstream's; the ReadWriteOnce one is Cistern's (upstream leaves that check to
 * attach time).
 */
import { findMatchingVolume } from "../binder/match-volume.js";
import { ANN_BIND_COMPLETED, ANN_SELECTED_NODE, NO_PROVISIONER } from "../model/constants.js";
import { volumeNodeAffinityMatches } from "../model/node-affinity.js";
import { nanoKey } from "../model/quantity.js";
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from "../model/types.js";
import { claimClass, hasAnnotation, isPodTerminated, requestedStorage } from "../model/volume-helpers.js";
import type { SchedulerSnapshot } from "./snapshot.js";

export const ReasonUnboundImmediate = "pod has unbound immediate PersistentVolumeClaims";
export const ReasonBindConflict = "node(s) didn't find available persistent volumes to bind";
export const ReasonNodeConflict = "node(s) had volume node affinity conflict";
export const ReasonPVNotExist = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
export const ReasonReadWriteOncePod = "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";
export const ReasonReadWriteOnce = "node(s) didn't match the node of a pod using the same ReadWriteOnce PersistentVolumeClaim";

export interface PodClaims {
  /** Fully bound (volumeName and bind-completed). */
  bound: PersistentVolumeClaim[];
  /** WaitForFirstConsumer claims the scheduler must find or provision a volume for. */
  toBind: PersistentVolumeClaim[];
  /** Every claim of the pod. */
  all: PersistentVolumeClaim[];
}

export type PreFilterResult = { ok: true; claims: PodClaims } | { ok: false; message: string };

/** The claim names of a pod, with whether each comes from a generic ephemeral volume. */
function claimRefs(pod: Pod): { name: string; ephemeral: boolean }[] {
  const out: { name: string; ephemeral: boolean }[] = [];
  for (const v of pod.spec.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push({ name: v.persistentVolumeClaim.claimName, ephemeral: false });
    else if (v.ephemeral) out.push({ name: `${pod.metadata.name}-${v.name}`, ephemeral: true });
  }
  return out;
}

function isDelayBinding(claim: PersistentVolumeClaim, snap: SchedulerSnapshot): boolean {
  const cls = claimClass(claim);
  return cls !== "" && snap.storageClass(cls)?.volumeBindingMode === "WaitForFirstConsumer";
}

export function preFilterVolumes(pod: Pod, snap: SchedulerSnapshot): PreFilterResult {
  const ns = pod.metadata.namespace ?? "";
  const claims: PodClaims = { bound: [], toBind: [], all: [] };
  let immediateUnbound = false;
  for (const ref of claimRefs(pod)) {
    const claim = snap.claim(ns, ref.name);
    if (!claim) {
      return {
        ok: false,
        message: ref.ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${ref.name}"` : `persistentvolumeclaim "${ref.name}" not found`,
      };
    }
    if (claim.status?.phase === "Lost") return { ok: false, message: `persistentvolumeclaim "${ref.name}" bound to non-existent persistentvolume "${claim.spec.volumeName ?? ""}"` };
    if (claim.metadata.deletionTimestamp) return { ok: false, message: `persistentvolumeclaim "${ref.name}" is being deleted` };
    claims.all.push(claim);
    if (claim.spec.volumeName && hasAnnotation(claim, ANN_BIND_COMPLETED)) claims.bound.push(claim);
    else if (isDelayBinding(claim, snap) && !claim.spec.volumeName) claims.toBind.push(claim);
    else immediateUnbound = true;
  }
  if (immediateUnbound) return { ok: false, message: ReasonUnboundImmediate };
  return { ok: true, claims };
}

export interface NodeVolumePlan {
  /** Claims to pre-bind to these volumes (the scheduler writes the volume's claimRef). */
  staticBindings: { claim: PersistentVolumeClaim; volume: PersistentVolume }[];
  /** Claims to provision on this node (the scheduler sets volume.kubernetes.io/selected-node). */
  provisions: PersistentVolumeClaim[];
}

export type VolumeFilterResult = { ok: true; plan: NodeVolumePlan } | { ok: false; reason: string };

function otherUsers(pod: Pod, claim: PersistentVolumeClaim, snap: SchedulerSnapshot): Pod[] {
  const key = `${claim.metadata.namespace}/${claim.metadata.name}`;
  return snap.podsUsingClaim(key).filter((p) => !(p.metadata.namespace === pod.metadata.namespace && p.metadata.name === pod.metadata.name) && !isPodTerminated(p) && snap.nodeOf(p));
}

function restrictionFilter(pod: Pod, node: Node, claims: PodClaims, snap: SchedulerSnapshot): string | undefined {
  for (const claim of claims.all) {
    const modes = claim.spec.accessModes ?? [];
    const users = modes.includes("ReadWriteOncePod") || modes.includes("ReadWriteOnce") ? otherUsers(pod, claim, snap) : [];
    if (modes.includes("ReadWriteOncePod") && users.length > 0) return ReasonReadWriteOncePod;
    const singleNode = modes.includes("ReadWriteOnce") && !modes.includes("ReadWriteMany") && !modes.includes("ReadOnlyMany");
    if (singleNode && users.some((p) => snap.nodeOf(p) !== node.metadata.name)) return ReasonReadWriteOnce;
  }
  return undefined;
}

function canProvisionOn(claim: PersistentVolumeClaim, node: Node, snap: SchedulerSnapshot): boolean {
  const sc = snap.storageClass(claimClass(claim));
  if (!sc || !sc.provisioner || sc.provisioner === NO_PROVISIONER) return false;
  const terms = sc.allowedTopologies ?? [];
  if (terms.length === 0) return true;
  const labels = node.metadata.labels ?? {};
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.values.includes(labels[e.key])));
}

export function volumeFilter(pod: Pod, node: Node, claims: PodClaims, snap: SchedulerSnapshot): VolumeFilterResult {
  const restricted = restrictionFilter(pod, node, claims, snap);
  if (restricted) return { ok: false, reason: restricted };
  for (const claim of claims.bound) {
    const pv = snap.volume(claim.spec.volumeName ?? "");
    if (!pv) return { ok: false, reason: ReasonPVNotExist };
    if (!volumeNodeAffinityMatches(pv, node)) return { ok: false, reason: ReasonNodeConflict };
  }
  const plan: NodeVolumePlan = { staticBindings: [], provisions: [] };
  const excluded = new Set<string>();
  // Smallest requests first, so they take the smallest volumes (as upstream).
  const toBind = [...claims.toBind].sort((a, b) => {
    const x = nanoKey(requestedStorage(a)) ?? 0n;
    const y = nanoKey(requestedStorage(b)) ?? 0n;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const claim of toBind) {
    const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    if (selected !== undefined) {
      if (selected !== node.metadata.name) return { ok: false, reason: ReasonBindConflict };
      plan.provisions.push(claim);
      continue;
    }
    const pv = findMatchingVolume(claim, snap.volumesOfClass(claimClass(claim)), { node, excluded, delayBinding: true });
    if (pv) {
      excluded.add(pv.metadata.name ?? "");
      plan.staticBindings.push({ claim, volume: pv });
    } else if (canProvisionOn(claim, node, snap)) {
      plan.provisions.push(claim);
    } else {
      return { ok: false, reason: ReasonBindConflict };
    }
  }
  return { ok: true, plan };
}
