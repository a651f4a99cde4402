/**
 * Checkers for what the storage stack promises across crashes, over the final state:
 *  - binding: a PV names at most one claim and a claim at most one PV, both halves agree with UIDs,
 *    and every claim the workload still holds is Bound;
 *  - Retain: the volume, its access point and the data written into it (sentinel checksums) remain;
 *  - Delete: nothing is left — no PV, no access point, no directory — and no access point or
 *    directory under the workload's base paths exists that no PV accounts for (orphans);
 *  - mounts: no mount under the data directory survives, and the EFS service tracks no client
 *    mount that nobody holds.
 */

export interface Pv {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  spec: { claimRef?: { namespace?: string; name?: string; uid?: string }; csi?: { volumeHandle: string }; persistentVolumeReclaimPolicy?: string; storageClassName?: string };
  status?: { phase?: string };
}

export interface Pvc {
  metadata: { name: string; namespace: string; uid: string; deletionTimestamp?: string; annotations?: Record<string, string> };
  spec: { volumeName?: string; storageClassName?: string };
  status?: { phase?: string };
}

export function checkBinding(pvs: Pv[], pvcs: Pvc[], mustBeBound: (c: Pvc) => boolean): string[] {
  const out: string[] = [];
  const pvByName = new Map(pvs.map((v) => [v.metadata.name, v]));
  const claimByUid = new Map(pvcs.map((c) => [c.metadata.uid, c]));
  const namedBy = new Map<string, string[]>();
  for (const c of pvcs) {
    const key = `${c.metadata.namespace}/${c.metadata.name}`;
    if (mustBeBound(c) && c.status?.phase !== "Bound") out.push(`binding: claim ${key} is ${c.status?.phase ?? "without a phase"} after the cluster settled`);
    if (!c.spec.volumeName) continue;
    namedBy.set(c.spec.volumeName, [...(namedBy.get(c.spec.volumeName) ?? []), key]);
    if (c.status?.phase !== "Bound") continue;
    const pv = pvByName.get(c.spec.volumeName);
    if (!pv) out.push(`binding: claim ${key} is Bound to ${c.spec.volumeName}, which does not exist`);
    else if (pv.spec.claimRef?.uid !== c.metadata.uid) {
      out.push(`binding: claim ${key} is Bound to ${pv.metadata.name}, whose claimRef is ${JSON.stringify(pv.spec.claimRef)} (UID ${c.metadata.uid} expected)`);
    }
  }
  for (const [pv, claims] of namedBy) if (claims.length > 1) out.push(`binding: PV ${pv} is named by ${claims.length} claims: ${claims.join(", ")}`);
  for (const v of pvs) {
    const uid = v.spec.claimRef?.uid;
    if (!uid) continue;
    const owner = claimByUid.get(uid);
    if (!owner) continue; // a claim that is gone: the volume is (or becomes) Released
    if (owner.spec.volumeName && owner.spec.volumeName !== v.metadata.name) {
      out.push(`binding: PV ${v.metadata.name} points at claim ${owner.metadata.namespace}/${owner.metadata.name} (UID ${uid}), which is bound to ${owner.spec.volumeName}`);
    }
    if (v.status?.phase === "Bound" && owner.spec.volumeName !== v.metadata.name) {
      out.push(`binding: PV ${v.metadata.name} is Bound to ${owner.metadata.namespace}/${owner.metadata.name}, which does not name it back`);
    }
  }
  return out;
}

export interface Sentinel {
  pv: string;
  accessPointId: string;
  /** Host path of the file, relative to the file system root. */
  file: string;
  sha256: string;
}

export interface AccessPointInfo {
  id: string;
  rootPath: string;
}

export interface VolumeFacts {
  pvs: Pv[];
  accessPoints: AccessPointInfo[];
  /** Directories directly under each workload base path, relative to the file system root ("/crash-delete/x"). */
  directories: string[];
  /** sha256 of the file at a path relative to the file system root, undefined when it is missing. */
  checksum(relPath: string): string | undefined;
}

function accessPointOf(pv: Pv): string | undefined {
  const h = pv.spec.csi?.volumeHandle;
  if (!h) return undefined;
  const parts = h.replace(/^efs:/, "").split(":");
  return parts[2] || undefined;
}

export function checkRetained(sentinels: Sentinel[], f: VolumeFacts): string[] {
  const out: string[] = [];
  const pvs = new Map(f.pvs.map((v) => [v.metadata.name, v]));
  const aps = new Set(f.accessPoints.map((a) => a.id));
  for (const s of sentinels) {
    const pv = pvs.get(s.pv);
    if (!pv) out.push(`retain: PV ${s.pv} (reclaimPolicy Retain) is gone`);
    else if (pv.status?.phase !== "Released" && pv.status?.phase !== "Bound") out.push(`retain: PV ${s.pv} is ${pv.status?.phase}`);
    if (!aps.has(s.accessPointId)) out.push(`retain: access point ${s.accessPointId} of ${s.pv} is gone`);
    const sum = f.checksum(s.file);
    if (sum === undefined) out.push(`retain: data of ${s.pv} is gone (${s.file})`);
    else if (sum !== s.sha256) out.push(`retain: data of ${s.pv} changed (${s.file}: ${sum} != ${s.sha256})`);
  }
  return out;
}

/**
 * `deleted`: the PV names of Delete-policy volumes whose claims were deleted (acknowledged);
 * `basePaths`: the workload's StorageClass base paths, where every access point and directory must
 * belong to a live PV.
 */
export function checkDeletedLeaveNothing(deleted: { pv: string; accessPointId: string; rootPath?: string }[], basePaths: string[], f: VolumeFacts): string[] {
  const out: string[] = [];
  const pvNames = new Set(f.pvs.map((v) => v.metadata.name));
  const aps = new Map(f.accessPoints.map((a) => [a.id, a]));
  for (const d of deleted) {
    if (pvNames.has(d.pv)) out.push(`delete: PV ${d.pv} is still there after its claim was deleted`);
    if (aps.has(d.accessPointId)) out.push(`delete: access point ${d.accessPointId} of ${d.pv} is still there`);
    if (d.rootPath && f.directories.includes(d.rootPath)) out.push(`delete: directory ${d.rootPath} of ${d.pv} is still there`);
  }
  const within = (p: string) => basePaths.some((b) => p === b || p.startsWith(b + "/"));
  const livePvAps = new Set(f.pvs.map(accessPointOf).filter((x): x is string => x !== undefined));
  for (const ap of f.accessPoints) {
    if (within(ap.rootPath) && !livePvAps.has(ap.id)) out.push(`orphan: access point ${ap.id} (${ap.rootPath}) belongs to no PV`);
  }
  const roots = new Set(f.accessPoints.map((a) => a.rootPath));
  for (const dir of f.directories) if (!roots.has(dir)) out.push(`orphan: directory ${dir} belongs to no access point`);
  return out;
}

/** `mountPoints`: every mount point in /proc/self/mountinfo; `efsMounts`: client mounts the EFS service still tracks. */
export function checkNoLeakedMounts(dataDir: string, mountPoints: string[], efsMounts: { MountId: string; NodeId?: string; Path?: string }[]): string[] {
  const out: string[] = [];
  for (const m of mountPoints) if (m === dataDir || m.startsWith(dataDir + "/")) out.push(`mount: ${m} is still mounted`);
  for (const m of efsMounts) out.push(`mount: the EFS service still tracks client mount ${m.MountId} (node ${m.NodeId ?? "?"}, path ${m.Path ?? "?"})`);
  return out;
}
