/** Everything `cistern explain` looks at, read once from the API server (or built in a test). */
import type { KubeEvent, Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from "../model/types.js";
import { podClaimKeys, volumeClass } from "../model/volume-helpers.js";
import type { SchedulerSnapshot } from "../scheduler/snapshot.js";

export interface ExplainSnapshot {
  claims: PersistentVolumeClaim[];
  volumes: PersistentVolume[];
  classes: StorageClass[];
  pods: Pod[];
  nodes: Node[];
  events: KubeEvent[];
}

export function findClaim(s: ExplainSnapshot, ns: string, name: string): PersistentVolumeClaim | undefined {
  return s.claims.find((c) => c.metadata.namespace === ns && c.metadata.name === name);
}

export function findVolume(s: ExplainSnapshot, name: string): PersistentVolume | undefined {
  return s.volumes.find((v) => v.metadata.name === name);
}

export function findClass(s: ExplainSnapshot, name: string): StorageClass | undefined {
  return s.classes.find((c) => c.metadata.name === name);
}

export function podsUsing(s: ExplainSnapshot, key: string): Pod[] {
  return s.pods.filter((p) => podClaimKeys(p).includes(key));
}

/** The newest events about an object (by uid when known, else kind/namespace/name), newest first. */
export function eventsFor(s: ExplainSnapshot, kind: string, ns: string | undefined, name: string, uid?: string, limit = 10): KubeEvent[] {
  const time = (e: KubeEvent) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? "") || 0;
  return s.events
    .filter((e) => {
      const o = e.involvedObject;
      if (o.kind !== kind || o.name !== name || (o.namespace ?? "") !== (ns ?? "")) return false;
      return !uid || !o.uid || o.uid === uid;
    })
    .sort((a, b) => time(b) - time(a))
    .slice(0, limit);
}

/** The scheduler's view over a snapshot (no in-flight assumptions). */
export function schedulerView(s: ExplainSnapshot): SchedulerSnapshot {
  return {
    nodes: [...s.nodes].sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1)),
    claim: (ns, name) => findClaim(s, ns, name),
    volume: (name) => findVolume(s, name),
    volumesOfClass: (cls) => s.volumes.filter((v) => volumeClass(v) === cls),
    storageClass: (name) => findClass(s, name),
    podsUsingClaim: (key) => podsUsing(s, key),
    podCount: (node) => s.pods.filter((p) => p.spec.nodeName === node).length,
    nodeOf: (p) => p.spec.nodeName,
  };
}
