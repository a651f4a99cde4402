/**
 * Where a node keeps things under its rootDir (created by the agent; the rootDir is resolved to its real path
 * first, so every path below is symlink-free by construction):
 *   runtime/                                         the runc runtime (images, containers, runc state)
 *   csi/                                             the CSI driver's publish records
 *   pki/                                             the kubelet API's serving certificate
 *   pods/<uid>/volumes/kubernetes.io~csi/<pv>/mount  CSI NodePublishVolume target (vol_data.json beside it)
 *   pods/<uid>/volumes/kubernetes.io~empty-dir/<v>   emptyDir
 *   pods/<uid>/volumes/kubernetes.io~configmap/<v>   configMap files (atomic ..data layout)
 *   pods/<uid>/volumes/kubernetes.io~secret/<v>      secret files
 *   pods/<uid>/volumes/kubernetes.io~projected/<v>   projected and downwardAPI files
 * Names that come from the API (pod uid, volume name, PV name) are pattern-checked before they become a path
 * component, so no API object can make the agent reach outside pods/<uid>/.
 */
import * as path from "node:path";

export const POD_UID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export type VolumePlugin = "kubernetes.io~csi" | "kubernetes.io~empty-dir" | "kubernetes.io~configmap" | "kubernetes.io~secret" | "kubernetes.io~projected";

export const VOLUME_PLUGINS: readonly VolumePlugin[] = [
  "kubernetes.io~csi",
  "kubernetes.io~empty-dir",
  "kubernetes.io~configmap",
  "kubernetes.io~secret",
  "kubernetes.io~projected",
];

export class NodeLayout {
  constructor(readonly rootDir: string) {}

  get runtimeDir(): string {
    return path.join(this.rootDir, "runtime");
  }

  get csiStateDir(): string {
    return path.join(this.rootDir, "csi");
  }

  get pkiDir(): string {
    return path.join(this.rootDir, "pki");
  }

  get podsDir(): string {
    return path.join(this.rootDir, "pods");
  }

  podDir(uid: string): string {
    return path.join(this.podsDir, checkPodUid(uid));
  }

  /** Relative to podsDir (for safe-path calls rooted there). */
  podRel(uid: string): string {
    return checkPodUid(uid);
  }

  pluginDir(uid: string, plugin: VolumePlugin): string {
    return path.join(this.podDir(uid), "volumes", plugin);
  }

  /** The directory holding one volume: `<pv>` for CSI (the target is its `mount` child), the volume itself otherwise. */
  volumeDir(uid: string, plugin: VolumePlugin, name: string): string {
    const ok = plugin === "kubernetes.io~csi" ? DNS_SUBDOMAIN.test(name) : DNS_LABEL.test(name);
    if (!ok) throw new Error(`volume name ${JSON.stringify(name)} cannot name a directory`);
    return path.join(this.pluginDir(uid, plugin), name);
  }

  csiTarget(uid: string, pvName: string): string {
    return path.join(this.volumeDir(uid, "kubernetes.io~csi", pvName), "mount");
  }
}

export function checkPodUid(uid: string): string {
  if (typeof uid !== "string" || !POD_UID.test(uid)) throw new Error(`pod uid ${JSON.stringify(uid)} is not valid`);
  return uid;
}

/** `<dataDir>/nodes/<name>`: where `cistern up` and `cistern node` keep a node's state by default. */
export function nodeRootDir(dataDir: string, nodeName: string): string {
  if (!DNS_SUBDOMAIN.test(nodeName)) throw new Error(`node name ${JSON.stringify(nodeName)} is not a DNS subdomain`);
  return path.join(dataDir, "nodes", nodeName);
}

/** Node names for `cistern up --nodes N`: "cistern-node" for one, "cistern-node-1".."cistern-node-N" for several. */
export function defaultNodeNames(count: number, base = "cistern-node"): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new Error("--nodes must be an integer from 1 to 64");
  return count === 1 ? [base] : Array.from({ length: count }, (_, i) => `${base}-${i + 1}`);
}
