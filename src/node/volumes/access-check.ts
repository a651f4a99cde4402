/**
 * The node's own check of single-writer access modes before it mounts a claim (the scheduler already decided;
 * this catches pods placed on the node directly and races between two placements):
 *   ReadWriteOncePod  one pod in the cluster may use the claim;
 *   ReadWriteOnce     (without a many-node mode) all pods using the claim must be on one node.
 * A running pod holds the claim. When nobody runs yet, the older pod (creation time, then uid) goes first, so two
 * new pods never both proceed; for ReadWriteOnce a pod on another node only competes when no pod runs on this one
 * (otherwise that pod is the one that waits). Pods that finished do not count.
 */
import type { PersistentVolumeClaim, Pod } from "../../api/index.js";
import { MountError } from "./mount-error.js";

function usesClaim(p: Pod, claimName: string): boolean {
  return (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claimName);
}

function finished(p: Pod): boolean {
  return p.status?.phase === "Succeeded" || p.status?.phase === "Failed";
}

const running = (p: Pod) => p.status?.phase === "Running";

/** Whether `other` (not running either) goes before `pod`. */
function older(other: Pod, pod: Pod): boolean {
  const a = other.metadata.creationTimestamp ?? "";
  const b = pod.metadata.creationTimestamp ?? "";
  if (a !== b) return a < b;
  return (other.metadata.uid ?? "") < (pod.metadata.uid ?? "");
}

/**
 * undefined when `pod` may mount `claim` (bound to PV `pvName`), else the MountError to report.
 * `sameNamespacePods` are the pods of the claim's namespace (any node).
 */
export function accessModeConflict(pod: Pod, claim: PersistentVolumeClaim, pvName: string, sameNamespacePods: Pod[]): MountError | undefined {
  const modes = claim.spec?.accessModes ?? [];
  const rwop = modes.includes("ReadWriteOncePod");
  const rwo = modes.includes("ReadWriteOnce") && !modes.includes("ReadWriteMany") && !modes.includes("ReadOnlyMany");
  if ((!rwop && !rwo) || running(pod)) return undefined;
  const claimName = claim.metadata.name ?? "";
  const others = sameNamespacePods.filter((p) => p.metadata.uid !== pod.metadata.uid && p.spec?.nodeName && !finished(p) && usesClaim(p, claimName));
  if (rwop) {
    const runningOthers = others.filter(running);
    const holders = runningOthers.length ? runningOthers : others.filter((p) => older(p, pod));
    if (holders.length) {
      return new MountError(
        "FailedMount",
        `volume "${pvName}" (persistentvolumeclaim "${claimName}") has access mode ReadWriteOncePod and is already used by pod ${holders[0].metadata.namespace}/${holders[0].metadata.name}`,
        pvName,
        true,
      );
    }
    return undefined;
  }
  const remote = (p: Pod) => p.spec?.nodeName !== pod.spec?.nodeName;
  const runningOthers = others.filter(running);
  const elsewhere = runningOthers.length ? runningOthers.filter(remote) : others.filter((p) => remote(p) && older(p, pod));
  if (elsewhere.length) {
    const names = elsewhere.map((p) => p.metadata.name).join(", ");
    return new MountError("FailedAttachVolume", `Multi-Attach error for volume "${pvName}" Volume is already used by pod(s) ${names}`, pvName, true);
  }
  return undefined;
}
