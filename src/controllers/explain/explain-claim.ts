/**
 * `cistern explain pvc`: why a claim is where it is. For a Pending claim: every volume with the
 * first rule that keeps the binder from taking it (the binder's own order), volumes that miss by
 * one fixable rule, the class and provisioner state, the pods waiting on it, its last events, and
 * the kubectl commands that fix the usual causes.
 */
import { checkVolumeSatisfyClaim } from "../binder/match-volume.js";
import { isDefaultClass, pickDefaultClass } from "../binder/provision.js";
import { VolumeIndex } from "../binder/volume-index.js";
import { accessModesKey, modesFromKey, shortAccessModes } from "../model/access-modes.js";
import { ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, NO_PROVISIONER } from "../model/constants.js";
import type { AccessMode, PersistentVolumeClaim } from "../model/types.js";
import { claimClass, claimHasClass, claimKey, isPodTerminated, requestedStorage } from "../model/volume-helpers.js";
import { orderClaimCauses } from "./cause-order.js";
import { volumeFailures } from "./describe-volume-fit.js";
import { Fix } from "./fixes.js";
import { eventLines } from "./events.js";
import type { CandidateLine, Cause, Explanation } from "./report.js";
import { eventsFor, findClass, findVolume, podsUsing, type ExplainSnapshot } from "./snapshot.js";

const FIXABLE = new Set(["too-small", "access-modes", "storage-class", "selector", "volume-mode"]);

function nearMissCause(rule: string, claim: PersistentVolumeClaim, pvs: string[]): Cause {
  const ns = claim.metadata.namespace ?? "";
  const name = claim.metadata.name ?? "";
  const list = pvs.slice(0, 3).join(", ");
  switch (rule) {
    case "too-small":
      return { id: "size", message: `too small: ${list} would match but ${pvs.length > 1 ? "are" : "is"} smaller than the request ${requestedStorage(claim)}`, fixes: pvs.slice(0, 3).map((pv) => Fix.patchCapacity(pv, requestedStorage(claim) ?? "")) };
    case "access-modes": {
      const wanted = (claim.spec.accessModes ?? []) as AccessMode[];
      return { id: "access-mode", message: `access modes: ${list} would match but ${pvs.length > 1 ? "do" : "does"} not offer ${shortAccessModes(wanted)}`, fixes: pvs.slice(0, 3).map((pv) => Fix.patchAccessModes(pv, wanted.includes("ReadWriteOncePod") ? wanted : modesFromKey(accessModesKey(wanted)))) };
    }
    case "storage-class":
      return { id: "storage-class", message: `storage class: ${list} would match but ${pvs.length > 1 ? "belong" : "belongs"} to another class than "${claimClass(claim)}"`, fixes: pvs.slice(0, 3).map((pv) => Fix.patchClass(pv, claimClass(claim))) };
    case "selector":
      return { id: "selector", message: `label selector: ${list} would match but ${pvs.length > 1 ? "lack" : "lacks"} the labels the claim selects`, fixes: pvs.slice(0, 3).map((pv) => Fix.label(pv, claim.spec.selector?.matchLabels ?? {})) };
    default:
      return { id: "volume-mode", message: `volumeMode: ${list} would match but ${pvs.length > 1 ? "are" : "is"} not ${claim.spec.volumeMode ?? "Filesystem"} (volumeMode cannot be changed: re-create the claim or the volume)`, fixes: Fix.recreateClaim(ns, name) };
  }
}

function mismatchCause(reason: string, claim: PersistentVolumeClaim, pv: string): Cause {
  const ns = claim.metadata.namespace ?? "";
  const name = claim.metadata.name ?? "";
  const msg = `the claim names volume ${pv}, which does not fit: ${reason}`;
  if (reason.includes("too small")) return { id: "size", message: msg, fixes: [Fix.patchCapacity(pv, requestedStorage(claim) ?? "")] };
  if (reason.includes("storageClassName")) return { id: "storage-class", message: msg, fixes: [Fix.patchClass(pv, claimClass(claim))] };
  if (reason.includes("accessMode")) return { id: "access-mode", message: msg, fixes: [Fix.patchAccessModes(pv, (claim.spec.accessModes ?? []) as AccessMode[])] };
  if (reason.includes("volumeMode")) return { id: "volume-mode", message: msg, fixes: Fix.recreateClaim(ns, name) };
  return { id: "volume-unusable", message: msg, fixes: [Fix.describe("pv", undefined, pv)] };
}

export function explainClaim(s: ExplainSnapshot, namespace: string, name: string): Explanation {
  const claim = s.claims.find((c) => c.metadata.namespace === namespace && c.metadata.name === name);
  const base = { kind: "PersistentVolumeClaim" as const, namespace, name };
  if (!claim) return { ...base, found: false, summary: `persistentvolumeclaim "${name}" not found in namespace "${namespace}"`, facts: [], causes: [], events: [] };
  const key = claimKey(claim);
  const phase = claim.status?.phase ?? "Pending";
  const cls = claimClass(claim);
  const sc = cls ? findClass(s, cls) : undefined;
  const delay = sc?.volumeBindingMode === "WaitForFirstConsumer";
  const selectedNode = claim.metadata.annotations?.[ANN_SELECTED_NODE];
  const handedTo = claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER];
  const facts: [string, string][] = [
    ["Status", phase],
    ["Volume", claim.spec.volumeName || "<none>"],
    ["StorageClass", claimHasClass(claim) ? `"${cls}"` : "<unset>"],
    ["Request", requestedStorage(claim) ?? "<none>"],
    ["Access modes", shortAccessModes(claim.spec.accessModes) || "<none>"],
    ["Volume mode", claim.spec.volumeMode ?? "Filesystem"],
  ];
  if (claim.spec.selector) facts.push(["Selector", JSON.stringify(claim.spec.selector)]);
  if (selectedNode) facts.push(["Selected node", selectedNode]);
  if (handedTo) facts.push(["Provisioner", handedTo]);
  if (claim.metadata.deletionTimestamp) facts.push(["Deleting", `since ${claim.metadata.deletionTimestamp}; finalizers: ${(claim.metadata.finalizers ?? []).join(", ") || "none"}`]);

  let state: string;
  if (!cls) state = claimHasClass(claim) ? 'class "" (no class): only volumes without a class can bind; never provisioned' : pickDefaultClass(s.classes) ? "no class set: a default class exists and is assigned if no volume matches" : "no class set and no default class: only volumes without a class can bind";
  else if (!sc) state = `StorageClass "${cls}" does not exist: nothing can be provisioned`;
  else if (sc.provisioner === NO_PROVISIONER) state = "static volumes only (kubernetes.io/no-provisioner)";
  else if (sc.provisioner.startsWith("kubernetes.io/")) state = `in-tree provisioner ${sc.provisioner} is not available in Cistern`;
  else state = handedTo ? `handed to the external provisioner "${handedTo}"` : `external provisioner "${sc.provisioner}"`;
  const storageClass = { name: cls, exists: !!sc, provisioner: sc?.provisioner, volumeBindingMode: sc?.volumeBindingMode, isDefault: sc ? isDefaultClass(sc) : undefined, allowVolumeExpansion: sc?.allowVolumeExpansion, state };

  const pods = podsUsing(s, key).map((p) => ({
    name: p.metadata.name ?? "",
    node: p.spec.nodeName,
    phase: p.status?.phase,
    note: isPodTerminated(p) ? "finished" : p.spec.nodeName ? `runs on ${p.spec.nodeName}` : "waiting to be scheduled",
  }));
  const events = eventLines(eventsFor(s, "PersistentVolumeClaim", namespace, name, claim.metadata.uid));
  const causes: Cause[] = [];
  const result = (summary: string, candidates?: CandidateLine[]): Explanation => ({ ...base, found: true, phase, summary, facts, candidates, storageClass, pods, causes, events });

  if (claim.metadata.deletionTimestamp) {
    const users = pods.filter((p) => p.node && p.note !== "finished").map((p) => p.name);
    if (users.length > 0) {
      causes.push({ id: "in-use", message: `kept by kubernetes.io/pvc-protection while pods use it: ${users.join(", ")}`, fixes: users.map((p) => `kubectl delete pod ${p} -n ${namespace}`) });
      return result(`being deleted, but pods still use it (${users.join(", ")})`);
    }
  }
  if (phase === "Lost") {
    causes.push({ id: "lost", message: "the volume this claim was bound to is gone or belongs to another claim; the data is not reachable through this claim", fixes: [Fix.describe("pv", undefined, claim.spec.volumeName ?? ""), ...Fix.recreateClaim(namespace, name)] });
    return result(`Lost: its volume ${claim.spec.volumeName || "(none)"} is gone or bound to another claim`);
  }
  if (phase === "Bound") {
    const pv = findVolume(s, claim.spec.volumeName ?? "");
    return result(pv ? `Bound to ${pv.metadata.name} (${pv.spec.capacity?.storage ?? "?"}, ${shortAccessModes(pv.spec.accessModes)})` : `Bound to ${claim.spec.volumeName}, which no longer exists`);
  }

  // Pending.
  if (claim.spec.volumeName) {
    const pv = findVolume(s, claim.spec.volumeName);
    if (!pv) {
      causes.push({ id: "volume-missing", message: `the claim names volume ${claim.spec.volumeName}, which does not exist`, fixes: [Fix.createVolumeFor(claim, claim.spec.volumeName, cls)] });
      return result(`waiting for volume ${claim.spec.volumeName}, which does not exist`);
    }
    const ref = pv.spec.claimRef;
    if (ref && !(ref.namespace === namespace && ref.name === name && (!ref.uid || ref.uid === claim.metadata.uid))) {
      causes.push({ id: "volume-claimed", message: `volume ${pv.metadata.name} is already bound to ${ref.namespace}/${ref.name}`, fixes: pv.status?.phase === "Released" ? [Fix.releaseVolume(pv.metadata.name ?? "")] : [Fix.describe("pv", undefined, pv.metadata.name ?? "")] });
      return result(`the volume it names (${pv.metadata.name}) belongs to another claim`);
    }
    const mismatch = checkVolumeSatisfyClaim(pv, claim);
    if (mismatch) {
      causes.push(mismatchCause(mismatch, claim, pv.metadata.name ?? ""));
      return result(`cannot bind the volume it names (${pv.metadata.name}): ${mismatch}`);
    }
    return result(`binding to ${pv.metadata.name} is in progress`);
  }

  const candidates: CandidateLine[] = [];
  const nearMisses = new Map<string, string[]>();
  const released: string[] = [];
  for (const pv of [...s.volumes].sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1))) {
    const failures = volumeFailures(claim, pv, delay && !selectedNode);
    const pvName = pv.metadata.name ?? "";
    candidates.push(failures.length === 0 ? { volume: pvName, detail: "matches" } : { volume: pvName, rejectedBy: failures[0].rule, detail: failures[0].detail });
    const rules = failures.map((f) => f.rule).filter((r) => r !== "delay-binding");
    if (rules.length === 1 && FIXABLE.has(rules[0])) nearMisses.set(rules[0], [...(nearMisses.get(rules[0]) ?? []), pvName]);
    if (pv.status?.phase === "Released" && rules.every((r) => r === "claimed-by-other" || r === "not-available")) released.push(pvName);
  }
  const index = new VolumeIndex();
  for (const pv of s.volumes) index.upsert(pv);
  const chosen = index.findBestMatchForClaim(claim, delay);
  if (chosen) {
    for (const c of candidates) if (c.volume === chosen.metadata.name) c.detail = "will be bound (best match)";
    return result(`volume ${chosen.metadata.name} matches; the binder is binding it`, candidates);
  }
  if (delay && !selectedNode) {
    const waiting = pods.filter((p) => !p.node && p.note !== "finished");
    causes.push(
      waiting.length === 0
        ? { id: "wait-for-first-consumer", message: `class "${cls}" is WaitForFirstConsumer: no pod uses this claim yet, so no volume is chosen or provisioned`, fixes: [Fix.runConsumer(namespace, name)] }
        : { id: "wait-for-first-consumer", message: `class "${cls}" is WaitForFirstConsumer: waiting for pod ${waiting.map((p) => p.name).join(", ")} to be scheduled`, fixes: waiting.map((p) => `cistern explain pod ${p.name} -n ${namespace}`) },
    );
  }
  for (const rule of ["too-small", "access-modes", "selector", "volume-mode", "storage-class"]) {
    const pvs = nearMisses.get(rule);
    if (pvs) causes.push(nearMissCause(rule, claim, pvs));
  }
  if (released.length > 0) {
    const one = released.length === 1;
    causes.push({
      id: "released-volume",
      message: `${released.join(", ")} ${one ? "is" : "are"} Released (kept from a deleted claim) and would otherwise match: Released volumes are not reused; remove ${one ? "its" : "their"} claimRef to let this claim bind ${one ? "it" : "one"}, or delete ${one ? "the volume" : "them"}`,
      fixes: released.slice(0, 3).map(Fix.releaseVolume),
    });
  }
  const inClassMiss = [...nearMisses.keys()].some((rule) => rule !== "storage-class");
  if (!(delay && !selectedNode)) {
    if (!cls) {
      if (!inClassMiss) causes.push({ id: "no-volume", message: "no volume matches and the claim has no class to provision one", fixes: [Fix.createVolumeFor(claim, `${name}-pv`, "")] });
    } else if (!sc) {
      causes.push({ id: "storage-class-missing", message: `StorageClass "${cls}" does not exist`, fixes: ["kubectl get storageclass", Fix.createClass(cls)] });
    } else if (sc.provisioner === NO_PROVISIONER || sc.provisioner.startsWith("kubernetes.io/")) {
      if (!inClassMiss) causes.push({ id: "no-provisioner", message: `no volume of class "${cls}" matches and its provisioner ${sc.provisioner} cannot create one`, fixes: [Fix.createVolumeFor(claim, `${name}-pv`, cls)] });
    } else {
      causes.push({
        id: "external-provisioning",
        message: handedTo ? `waiting for the external provisioner "${handedTo}" to create a volume` : `waiting for the PV controller to hand the claim to "${sc.provisioner}"`,
        fixes: [Fix.events(namespace, name)],
      });
    }
  }
  causes.splice(0, causes.length, ...orderClaimCauses(causes));
  const summary = causes[0]?.message ?? "no volume matches";
  return result(summary, candidates);
}
