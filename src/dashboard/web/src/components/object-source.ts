/** What the details panel shows for a topology node: the object behind it, its event filter, its explain path. */
import type { ClusterState } from "../../../model/cluster-state.js";
import type { EventFilter } from "../../../model/events.js";
import type { TopologyNode } from "../../../model/topology.js";
import type { EfsUsageReport } from "../../../model/usage-types.js";
import { stringify } from "yaml";

export function objectOf(node: TopologyNode, state: ClusterState, report: EfsUsageReport | undefined): unknown {
  const key = node.namespace ? `${node.namespace}/${node.name}` : node.name;
  switch (node.kind) {
    case "PersistentVolume": return state.persistentvolumes.get(key);
    case "PersistentVolumeClaim": return state.persistentvolumeclaims.get(key);
    case "Pod": return state.pods.get(key);
    case "FileSystem": return report?.fileSystems.find((f) => f.fileSystemId === node.name);
    case "AccessPoint": return report?.fileSystems.flatMap((f) => f.accessPoints.map((a) => ({ fileSystemId: f.fileSystemId, ...a }))).find((a) => a.accessPointId === node.name);
  }
}

/** kubectl get -o yaml, which hides managedFields by default. */
export function toYaml(obj: unknown): string {
  if (obj && typeof obj === "object" && "metadata" in obj) {
    const o = obj as { metadata: Record<string, unknown> };
    const { managedFields: _hidden, ...metadata } = o.metadata;
    return stringify({ ...o, metadata });
  }
  return stringify(obj);
}

export function eventFilterOf(node: TopologyNode): EventFilter | undefined {
  if (node.kind === "FileSystem" || node.kind === "AccessPoint") return undefined;
  return { kind: node.kind, namespace: node.namespace ?? "", name: node.name };
}

/** /ui/api/explain/… for the kinds `cistern explain` knows. */
export function explainPathOf(node: TopologyNode): string | undefined {
  const e = encodeURIComponent;
  if (node.kind === "PersistentVolume") return `/ui/api/explain/pv/${e(node.name)}`;
  if (node.kind === "PersistentVolumeClaim") return `/ui/api/explain/pvc/${e(node.namespace ?? "default")}/${e(node.name)}`;
  if (node.kind === "Pod") return `/ui/api/explain/pod/${e(node.namespace ?? "default")}/${e(node.name)}`;
  return undefined;
}
