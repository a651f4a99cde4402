/**
 * When CreateVolume finds an access point already made for its ClientToken (a retried create, or
 * `reuseAccessPoint` adopting a directory from another cluster), the access point is only handed
 * out if it fits the StorageClass: same file system, root under basePath, a POSIX user whose uid
 * and gid equal the fixed ones or lie in the GID range. Without this a claim could adopt another
 * tenant's access point (upstream 7607a09d).
 */
import type { ListedAccessPoint } from "./gid-allocator.js";
import type { ProvisionParams } from "./params.js";
import { csiError } from "./spec.js";

function components(p: string): string[] {
  return p.split("/").filter((c) => c !== "");
}

/** Why `ap` may not be adopted under `params`, or undefined when it may. */
export function adoptionProblem(ap: ListedAccessPoint, params: ProvisionParams): string | undefined {
  if (ap.fileSystemId !== params.fileSystemId) return `it belongs to file system ${ap.fileSystemId}, not ${params.fileSystemId}`;
  const root = components(ap.rootPath);
  const base = params.basePath;
  if (root.length <= base.length || base.some((c, i) => root[i] !== c)) {
    return `its root directory ${ap.rootPath} is not below the storage class's base path /${base.join("/")}`;
  }
  if (!ap.posixUser) return "it has no POSIX user";
  const { min, max } = params.gidRange;
  const { uid, gid } = ap.posixUser;
  if (params.gid !== undefined ? gid !== params.gid : gid < min || gid > max) {
    return params.gid !== undefined ? `its GID ${gid} is not the storage class's gid ${params.gid}` : `its GID ${gid} is outside the range ${min}-${max}`;
  }
  if (params.uid !== undefined ? uid !== params.uid : uid < min || uid > max) {
    return params.uid !== undefined ? `its UID ${uid} is not the storage class's uid ${params.uid}` : `its UID ${uid} is outside the range ${min}-${max}`;
  }
  return undefined;
}

export function checkAdoptable(ap: ListedAccessPoint, params: ProvisionParams): void {
  const problem = adoptionProblem(ap, params);
  if (problem) throw csiError("AlreadyExists", `Invalid existing access point ${ap.accessPointId}: ${problem}`);
}
