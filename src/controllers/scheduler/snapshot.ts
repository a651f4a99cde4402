/** What one scheduling decision reads: a consistent view of the cluster's caches. */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from "../model/types.js";

export interface SchedulerSnapshot {
  nodes: readonly Node[];
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
  /** Candidate volumes for a WaitForFirstConsumer claim of this class. */
  volumesOfClass(className: string): Iterable<PersistentVolume>;
  storageClass(name: string): StorageClass | undefined;
  /** Pods that mount the claim "namespace/name". */
  podsUsingClaim(key: string): readonly Pod[];
  /** Pods on, or about to be bound to, each node (for spreading). */
  podCount(nodeName: string): number;
  /** Where a pod is going: its spec.nodeName, or the node the scheduler has chosen for it. */
  nodeOf(pod: Pod): string | undefined;
}
