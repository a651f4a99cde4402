/**
 * The node's own check of single-writer access modes before it mounts a claim (the scheduler already decided;
 * this catches pods placed on the node directly and races between two placements):
 *   ReadWriteOncePod  one pod in the cluster may use the claim;
 *   ReadWriteOnce     (without a many-node mode) all pods using the claim must be on one node.
 * Of two pods wanting the claim, one that is already running wins, then the older one (creation time, then uid),
 * so two nodes never both proceed. Pods that finished do not count.
 */
import type { PersistentVolumeClaim, Pod } from "../../api/index.js";
import { MountError } from "./mount-error.js";

function usesClaim(p: Pod, claimName: string): boolean {
  return (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claimName);
}

function finished(p: Pod): boolean {
  return p.status?.phase === "Succeeded" || p.status?.phase === "Failed";
}

/** Whether `other` has the better claim to a single-writer volume than `pod`. */
function ahead(other: Pod, pod: Pod): boolean {
  const running = (p: Pod) => p.status?.phase === "Running";
  if (running(other) !== running(pod)) return running(other);
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
  if (!rwop && !rwo) return undefined;
  const claimName = claim.metadata.name ?? "";
  const others = sameNamespacePods.filter((p) => p.metadata.uid !== pod.metadata.uid && p.spec?.nodeName && !finished(p) && usesClaim(p, claimName));
  if (rwop) {
    const holders = others.filter((p) => ahead(p, pod));
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
  const elsewhere = others.filter((p) => p.spec?.nodeName !== pod.spec?.nodeName && ahead(p, pod));
  if (elsewhere.length) {
    const names = elsewhere.map((p) => p.metadata.name).join(", ");
    return new MountError("FailedAttachVolume", `Multi-Attach error for volume "${pvName}" Volume is already used by pod(s) ${names}`, pvName, true);
  }
  return undefined;
}
