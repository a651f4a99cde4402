/**
 * DeleteVolume: remove the volume's access point and, unless its tag says to keep it, the access
 * point's directory with everything in it ("PV is deleted, EFS folder is deleted").
 *
 * Safety rules, each from a real incident:
 *  - a handle that does not parse, or has no access point, deletes nothing (csi-sanity: success);
 *  - the access point must belong to the handle's file system (upstream 5f6ce7e9: a crafted
 *    "fs-A::fsap-of-B" deleted a directory of A named by B's access point) → FailedPrecondition;
 *  - the directory is removed through a root mount of the file system by removeTreeBeneath, which
 *    never follows a symlink, never leaves the root, never crosses a mount point;
 *  - never the file system root (#1695), and never a directory another access point of the same
 *    file system is rooted at or inside (equal names with ensureUniqueDirectory=false) — then the
 *    data is kept and only the access point goes;
 *  - a symlink or non-directory on the way to the root means the path no longer names the
 *    directory the access point served: nothing is deleted there.
 * Concurrent deletes of one access point are serialised; every step is idempotent.
 */
import type { Logger } from "../lib/log.js";
import { isPathWithin, isSafePathError, removeTreeBeneath } from "../lib/safe-path/index.js";
import { DELETE_ROOT_DIR_TAG } from "./create-volume.js";
import { efsFailure, type EfsApi } from "./efs-api.js";
import type { ListedAccessPoint } from "./gid-allocator.js";
import { parseVolumeHandle, type VolumeHandle } from "./handle.js";
import { pathComponents } from "./ids.js";
import type { KeyedMutex } from "./keyed-mutex.js";
import type { FileSystemRootAccess } from "./mounter.js";
import { csiError, isCsiError, type DeleteVolumeRequest } from "./spec.js";

export interface DeleteVolumeDeps {
  efs: EfsApi;
  root: FileSystemRootAccess;
  locks: KeyedMutex;
  /** For access points without our tag (made by hand or by another driver). */
  deleteRootDirByDefault: boolean;
  log: Logger;
}

function normalRoot(p: string): string {
  return "/" + p.split("/").filter((c) => c !== "").join("/");
}

/** Another access point rooted at this one's directory or inside it: deleting the directory would delete its root. */
export function overlappingAccessPoint(ap: ListedAccessPoint, all: ListedAccessPoint[]): ListedAccessPoint | undefined {
  const mine = normalRoot(ap.rootPath);
  return all.find((o) => {
    if (o.accessPointId === ap.accessPointId || o.fileSystemId !== ap.fileSystemId) return false;
    const theirs = normalRoot(o.rootPath);
    return isPathWithin(mine, theirs);
  });
}

async function removeRootDirectory(deps: DeleteVolumeDeps, ap: ListedAccessPoint): Promise<void> {
  const comps = pathComponents(ap.rootPath, `root directory of access point ${ap.accessPointId}`);
  if (comps.length === 0) {
    deps.log.warn("DeleteVolume: access point is rooted at the file system root; keeping the data", { accessPointId: ap.accessPointId });
    return;
  }
  let all: ListedAccessPoint[];
  try {
    all = await deps.efs.listAccessPoints(ap.fileSystemId);
  } catch (e) {
    throw efsFailure(e, `Could not list the access points of ${ap.fileSystemId}`);
  }
  const other = overlappingAccessPoint(ap, all);
  if (other) {
    deps.log.warn("DeleteVolume: another access point shares this directory tree; keeping the data", {
      accessPointId: ap.accessPointId, root: ap.rootPath, other: other.accessPointId, otherRoot: other.rootPath,
    });
    return;
  }
  await deps.root.withFileSystemRoot(ap.fileSystemId, async (rootDir) => {
    try {
      const existed = await removeTreeBeneath(rootDir, comps.join("/"));
      deps.log.info("DeleteVolume: access point directory removed", { accessPointId: ap.accessPointId, root: ap.rootPath, existed });
    } catch (e) {
      if (isSafePathError(e, "SymlinkRefused") || isSafePathError(e, "NotDirectory")) {
        deps.log.warn("DeleteVolume: the access point's root path is no longer a plain directory; nothing deleted there", { accessPointId: ap.accessPointId, err: e.message });
        return;
      }
      if (isSafePathError(e, "MountCrossing")) throw csiError("FailedPrecondition", `Could not delete access point root directory ${ap.rootPath}: ${e.message}`);
      throw csiError("Internal", `Could not delete access point root directory ${ap.rootPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

export async function deleteVolume(deps: DeleteVolumeDeps, req: DeleteVolumeRequest): Promise<Record<string, never>> {
  if (typeof req.volumeId !== "string" || req.volumeId === "") throw csiError("InvalidArgument", "Volume ID not provided");
  let handle: VolumeHandle;
  try {
    handle = parseVolumeHandle(req.volumeId);
  } catch {
    deps.log.debug("DeleteVolume: volume ID does not parse; nothing to delete", { volumeId: req.volumeId });
    return {};
  }
  const apId = handle.accessPointId;
  if (!apId) return {};
  return deps.locks.run(`ap/${apId}`, async () => {
    let ap: ListedAccessPoint | undefined;
    try {
      ap = await deps.efs.describeAccessPoint(apId);
    } catch (e) {
      throw efsFailure(e, `Could not describe Access Point ${apId}`);
    }
    if (!ap) return {};
    if (ap.fileSystemId !== handle.fileSystemId) {
      throw csiError(
        "FailedPrecondition",
        `Access point ${apId} belongs to file system ${ap.fileSystemId}, not ${handle.fileSystemId} named by volume ID ${req.volumeId}; refusing to delete it`,
      );
    }
    const tag = ap.tags[DELETE_ROOT_DIR_TAG];
    const removeDir = tag === undefined ? deps.deleteRootDirByDefault : tag === "true";
    if (removeDir) {
      try {
        await removeRootDirectory(deps, ap);
      } catch (e) {
        if (isCsiError(e)) throw e;
        throw csiError("Internal", `Could not delete access point root directory ${ap.rootPath}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    try {
      await deps.efs.deleteAccessPoint(apId);
    } catch (e) {
      throw efsFailure(e, `Failed to Delete volume ${req.volumeId}`);
    }
    return {};
  });
}
