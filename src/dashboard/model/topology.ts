/**
 * The storage chain as a graph: EFS file systems and access points ← PersistentVolumes ←
 * PersistentVolumeClaims ← Pods, derived purely from the cluster state and the EFS usage report.
 *
 * Edges point the way the guide's picture does, from the user of storage to where it lives:
 *   Pod → PVC        "mounts"     a pod volume names the claim (same namespace)
 *   PVC → PV         "binds"      the claim's volumeName; confirmed when the volume's claimRef points
 *                                 back (and the uids agree); a claimRef alone is an unconfirmed edge
 *   PV  → AP | FS    "stored-in"  the EFS CSI volume handle
 * Anything referenced but absent becomes a "missing" node, so a dangling reference is visible
 * rather than silently dropped; with no EFS report yet, EFS nodes are "Unknown" instead.
 * Pods that use no claim are left out: they are not part of the storage picture.
 */
import type { ClusterState } from "./cluster-state.js";
import type { ObjectRef, PersistentVolume, PersistentVolumeClaim, Pod } from "./kube-types.js";
import { efsLocationOf } from "./volume-handle.js";
import type { EfsUsageReport } from "./usage-types.js";
import { formatBytes } from "./format.js";
import { phaseStyle } from "./phase-style.js";

export type TopologyKind = "FileSystem" | "AccessPoint" | "PersistentVolume" | "PersistentVolumeClaim" | "Pod";

/** Column of each kind, left to right: where data lives → who uses it. */
export const COLUMN_OF: Record<TopologyKind, number> = { FileSystem: 0, AccessPoint: 0, PersistentVolume: 1, PersistentVolumeClaim: 2, Pod: 3 };

export interface TopologyNode {
  id: string;
  kind: TopologyKind;
  name: string;
  namespace?: string;
  /** A key of phaseStyle: the object's status.phase, or Available / Missing / Unknown for EFS and ghosts. */
  phase: string;
  /** metadata.deletionTimestamp is set (finalizers hold the object). */
  terminating: boolean;
  /** Referenced by another object but not present. */
  missing: boolean;
  /** Access points: the file system node they belong to. */
  parent?: string;
  /** Short facts shown under the name. */
  facts: string[];
  reclaimPolicy?: string;
}

export type Relation = "mounts" | "binds" | "stored-in";

export interface TopologyEdge {
  id: string;
  from: string;
  to: string;
  relation: Relation;
  /** False for a half-made binding (claimRef without volumeName, or a volumeName the volume does not return). */
  confirmed: boolean;
}

export interface Topology {
  nodes: Map<string, TopologyNode>;
  edges: TopologyEdge[];
}

export const nodeId = {
  fileSystem: (id: string) => `fs:${id}`,
  accessPoint: (id: string) => `ap:${id}`,
  volume: (name: string) => `pv:${name}`,
  claim: (ns: string, name: string) => `pvc:${ns}/${name}`,
  pod: (ns: string, name: string) => `pod:${ns}/${name}`,
};

const MODE_ABBREVIATIONS: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };

function modes(m: string[] | undefined): string {
  return (m ?? []).map((x) => MODE_ABBREVIATIONS[x] ?? x).join(",");
}

function claimRefMatches(ref: ObjectRef | undefined, pvc: PersistentVolumeClaim): boolean {
  if (!ref || ref.name !== pvc.metadata.name || (ref.namespace ?? "") !== (pvc.metadata.namespace ?? "")) return false;
  return !ref.uid || !pvc.metadata.uid || ref.uid === pvc.metadata.uid;
}

class Builder {
  readonly nodes = new Map<string, TopologyNode>();
  readonly edges = new Map<string, TopologyEdge>();

  constructor(private readonly efsKnown: boolean) {}

  add(n: Omit<TopologyNode, "terminating" | "missing"> & Partial<Pick<TopologyNode, "terminating" | "missing">>): void {
    this.nodes.set(n.id, { terminating: false, missing: false, ...n });
  }

  ghost(id: string, kind: TopologyKind, name: string, extra: Partial<TopologyNode> = {}): void {
    if (this.nodes.has(id)) return;
    const efs = kind === "FileSystem" || kind === "AccessPoint";
    const phase = efs && !this.efsKnown ? "Unknown" : "Missing";
    this.add({ id, kind, name, phase, missing: phase === "Missing", facts: [phase === "Missing" ? "not found" : "EFS not reachable yet"], ...extra });
  }

  edge(from: string, to: string, relation: Relation, confirmed: boolean): void {
    const id = `${from}->${to}`;
    const held = this.edges.get(id);
    if (!held || (confirmed && !held.confirmed)) this.edges.set(id, { id, from, to, relation, confirmed });
  }
}

function addEfs(b: Builder, report: EfsUsageReport | undefined): void {
  for (const fs of report?.fileSystems ?? []) {
    const fsNode = nodeId.fileSystem(fs.fileSystemId);
    const facts = [`${formatBytes(fs.sizeInBytes.Value)} metered`, `${fs.clientConnections} mount${fs.clientConnections === 1 ? "" : "s"}`];
    if (fs.name && fs.name !== fs.fileSystemId) facts.unshift(fs.name);
    b.add({ id: fsNode, kind: "FileSystem", name: fs.fileSystemId, phase: "Available", facts });
    for (const ap of fs.accessPoints) {
      const metered = ap.meteredBytes === null ? "not measured yet" : `${formatBytes(ap.meteredBytes)} metered`;
      b.add({ id: nodeId.accessPoint(ap.accessPointId), kind: "AccessPoint", name: ap.accessPointId, phase: "Available", parent: fsNode, facts: [ap.rootDirectory, metered] });
    }
  }
}

function addVolume(b: Builder, pv: PersistentVolume): void {
  const name = pv.metadata.name ?? "";
  const id = nodeId.volume(name);
  const spec = pv.spec ?? {};
  const policy = spec.persistentVolumeReclaimPolicy ?? "Retain";
  const facts = [[spec.capacity?.storage, modes(spec.accessModes), policy].filter(Boolean).join(" · ")];
  if (spec.storageClassName) facts.push(`class ${spec.storageClassName}`);
  b.add({ id, kind: "PersistentVolume", name, phase: pv.status?.phase ?? "Pending", terminating: !!pv.metadata.deletionTimestamp, facts, reclaimPolicy: policy });
  const loc = efsLocationOf(pv);
  if (!loc) return;
  const fsNode = nodeId.fileSystem(loc.fileSystemId);
  if (loc.accessPointId) {
    const apNode = nodeId.accessPoint(loc.accessPointId);
    b.ghost(fsNode, "FileSystem", loc.fileSystemId);
    b.ghost(apNode, "AccessPoint", loc.accessPointId, { parent: fsNode });
    b.edge(id, apNode, "stored-in", true);
  } else {
    b.ghost(fsNode, "FileSystem", loc.fileSystemId);
    b.edge(id, fsNode, "stored-in", true);
  }
}

function addClaim(b: Builder, pvc: PersistentVolumeClaim, volumes: ClusterState["persistentvolumes"]): void {
  const ns = pvc.metadata.namespace ?? "default";
  const name = pvc.metadata.name ?? "";
  const id = nodeId.claim(ns, name);
  const spec = pvc.spec ?? {};
  const size = pvc.status?.capacity?.storage ?? spec.resources?.requests?.storage;
  const facts = [[size, modes(spec.accessModes)].filter(Boolean).join(" · ")];
  if (spec.storageClassName) facts.push(`class ${spec.storageClassName}`);
  b.add({ id, kind: "PersistentVolumeClaim", name, namespace: ns, phase: pvc.status?.phase ?? "Pending", terminating: !!pvc.metadata.deletionTimestamp, facts });
  if (spec.volumeName) {
    const pv = volumes.get(spec.volumeName);
    if (!pv) b.ghost(nodeId.volume(spec.volumeName), "PersistentVolume", spec.volumeName);
    b.edge(id, nodeId.volume(spec.volumeName), "binds", !!pv && claimRefMatches(pv.spec?.claimRef, pvc));
  }
}

function addPod(b: Builder, pod: Pod): void {
  const claims = [...new Set((pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((c): c is string => !!c))];
  if (claims.length === 0) return;
  const ns = pod.metadata.namespace ?? "default";
  const name = pod.metadata.name ?? "";
  const id = nodeId.pod(ns, name);
  const node = pod.spec?.nodeName;
  b.add({ id, kind: "Pod", name, namespace: ns, phase: pod.status?.phase ?? "Pending", terminating: !!pod.metadata.deletionTimestamp, facts: [node ? `on ${node}` : "not scheduled"] });
  for (const claim of claims) {
    const target = nodeId.claim(ns, claim);
    b.ghost(target, "PersistentVolumeClaim", claim, { namespace: ns });
    b.edge(id, target, "mounts", true);
  }
}

export function buildTopology(state: ClusterState, report: EfsUsageReport | undefined): Topology {
  const b = new Builder(report !== undefined);
  addEfs(b, report);
  for (const pv of state.persistentvolumes.values()) addVolume(b, pv);
  for (const pvc of state.persistentvolumeclaims.values()) addClaim(b, pvc, state.persistentvolumes);
  // A claimRef without the claim's volumeName: the binder reserved the volume and has not finished.
  for (const pv of state.persistentvolumes.values()) {
    const ref = pv.spec?.claimRef;
    if (!ref?.name) continue;
    const pvc = state.persistentvolumeclaims.get(`${ref.namespace ?? ""}/${ref.name}`);
    if (pvc && claimRefMatches(ref, pvc) && pvc.spec?.volumeName !== pv.metadata.name) {
      b.edge(nodeId.claim(ref.namespace ?? "", ref.name), nodeId.volume(pv.metadata.name ?? ""), "binds", false);
    }
  }
  for (const pod of state.pods.values()) addPod(b, pod);
  return { nodes: b.nodes, edges: [...b.edges.values()] };
}

/** One sentence for screen readers: what a node is, its phase, and what it connects to. */
export function describeNode(t: Topology, n: TopologyNode): string {
  const label = (id: string) => {
    const o = t.nodes.get(id);
    return o ? `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}` : id;
  };
  const out = t.edges.filter((e) => e.from === n.id).map((e) => `${e.relation === "mounts" ? "mounts" : e.relation === "binds" ? (e.confirmed ? "bound to" : "binding to") : "stored in"} ${label(e.to)}`);
  const inc = t.edges.filter((e) => e.to === n.id).map((e) => `${e.relation === "mounts" ? "mounted by" : e.relation === "binds" ? "claimed by" : "holds"} ${label(e.from)}`);
  const phase = phaseStyle(n.phase).label + (n.terminating ? ", terminating" : "");
  return [`${n.kind} ${n.namespace ? `${n.namespace}/` : ""}${n.name}, ${phase}`, ...n.facts, ...out, ...inc].join("; ");
}
