/**
 * Claim → volume matching with upstream's exact filter order (FindMatchingVolume in
 * component-helpers pv_helpers.go). `evaluateVolume` says, for one volume, whether it is a
 * candidate and otherwise which rule rejected it first; `findMatchingVolume` picks among
 * candidates: a volume pre-bound to the claim wins at once, else the smallest that fits.
 * `cistern explain` reports the same rule names, so what it prints is what the binder does.
 */
import { selectorMatches } from "../model/label-selector.js";
import { volumeNodeAffinityMatches } from "../model/node-affinity.js";
import { bytesCeil, nanoKey } from "../model/quantity.js";
import { accessModesContainedIn } from "../model/access-modes.js";
import type { Node, PersistentVolume, PersistentVolumeClaim } from "../model/types.js";
import {
  claimClass,
  isDeleting,
  isVolumeBoundToClaim,
  requestedStorage,
  vacMismatch,
  volumeCapacity,
  volumeClass,
  volumeModeMismatch,
} from "../model/volume-helpers.js";

export interface MatchOptions {
  /** Scheduler path: the node the pod would run on (checks node affinity and access modes). */
  node?: Pick<Node, "metadata">;
  /** Scheduler path: volumes already chosen for the pod's other claims. */
  excluded?: ReadonlySet<string>;
  /** The claim's class is WaitForFirstConsumer: the PV controller binds only pre-bound volumes. */
  delayBinding?: boolean;
}

/** The rule that rejected a volume, in upstream's order. */
export type RejectRule =
  | "excluded"
  | "claimed-by-other"
  | "too-small"
  | "volume-mode"
  | "volume-attributes-class"
  | "being-deleted"
  | "node-affinity"
  | "delay-binding"
  | "not-available"
  | "selector"
  | "storage-class"
  | "access-modes";

export type Evaluation = { ok: true; prebound: boolean } | { ok: false; rule: RejectRule };

const REJECT = (rule: RejectRule): Evaluation => ({ ok: false, rule });

/** One volume against one claim, following upstream's filter order step by step. */
export function evaluateVolume(claim: PersistentVolumeClaim, pv: PersistentVolume, opts: MatchOptions = {}): Evaluation {
  if (opts.excluded?.has(pv.metadata.name ?? "")) return REJECT("excluded");
  const prebound = isVolumeBoundToClaim(pv, claim);
  if (pv.spec.claimRef && !prebound) return REJECT("claimed-by-other");
  if ((nanoKey(volumeCapacity(pv)) ?? 0n) < (nanoKey(requestedStorage(claim)) ?? 0n)) return REJECT("too-small");
  if (volumeModeMismatch(claim, pv)) return REJECT("volume-mode");
  if (vacMismatch(claim, pv)) return REJECT("volume-attributes-class");
  if (isDeleting(pv)) return REJECT("being-deleted");
  const affinityOk = opts.node ? volumeNodeAffinityMatches(pv, opts.node) : true;
  if (prebound) {
    // A pre-bound volume skips the phase, selector, class and access-mode checks.
    return affinityOk ? { ok: true, prebound: true } : REJECT("node-affinity");
  }
  if (!opts.node && opts.delayBinding) return REJECT("delay-binding");
  if (pv.status?.phase !== "Available") return REJECT("not-available");
  if (claim.spec.selector && !selectorMatches(claim.spec.selector, pv.metadata.labels)) return REJECT("selector");
  if (volumeClass(pv) !== claimClass(claim)) return REJECT("storage-class");
  if (!affinityOk) return REJECT("node-affinity");
  if (opts.node && !accessModesContainedIn(pv.spec.accessModes, claim.spec.accessModes)) return REJECT("access-modes");
  return { ok: true, prebound: false };
}

/**
 * The volume upstream's FindMatchingVolume returns for `volumes` (one access-mode bucket in the
 * controller path, all volumes in the scheduler path): the first pre-bound candidate, else the
 * smallest candidate (the first seen on ties), else undefined. In the scheduler path a pre-bound
 * volume whose node affinity fails ends the search with no match, as upstream.
 */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: Iterable<PersistentVolume>, opts: MatchOptions = {}): PersistentVolume | undefined {
  let smallest: PersistentVolume | undefined;
  let smallestKey = 0n;
  for (const pv of volumes) {
    const ev = evaluateVolume(claim, pv, opts);
    if (!ev.ok) {
      if (ev.rule === "node-affinity" && isVolumeBoundToClaim(pv, claim)) return undefined;
      continue;
    }
    if (ev.prebound) return pv;
    const key = nanoKey(volumeCapacity(pv)) ?? 0n;
    if (!smallest || key < smallestKey) {
      smallest = pv;
      smallestKey = key;
    }
  }
  return smallest;
}

/**
 * Why a volume named by the claim's spec.volumeName cannot serve it (upstream's
 * checkVolumeSatisfyClaim), or undefined when it can. The label selector is not checked here.
 */
export function checkVolumeSatisfyClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  if (isDeleting(pv)) return `the volume is marked for deletion "${pv.metadata.name}"`;
  // Whole bytes rounded up (Quantity.Value()), not the exact comparison the matcher uses.
  if ((bytesCeil(volumeCapacity(pv)) ?? 0n) < (bytesCeil(requestedStorage(claim)) ?? 0n)) return "requested PV is too small";
  if (volumeClass(pv) !== claimClass(claim)) return "storageClassName does not match";
  if (vacMismatch(claim, pv)) return "volumeAttributesClassName does not match";
  if (volumeModeMismatch(claim, pv)) return "incompatible volumeMode";
  if (!accessModesContainedIn(pv.spec.accessModes, claim.spec.accessModes)) return "incompatible accessMode";
  return undefined;
}
