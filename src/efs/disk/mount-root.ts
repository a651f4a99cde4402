/**
 * Produces the local directory a client mount serves, following EFS's access point rules:
 * the access point's root directory is created at the first mount if missing, from CreationInfo
 * (owner, mode; missing intermediate directories root:root 0755), and the mount fails when it is missing
 * and there is no CreationInfo; an existing directory is never changed; the access point's user must have
 * search (x) permission on the root. The requested Path is then resolved inside that root and must
 * already exist. Every step goes through src/lib/safe-path (no symlink followed, containment re-checked),
 * rooted at the file system directory's own descriptor, so a symlink anywhere (planted by a tenant, say)
 * stops the mount instead of leading outside the file system. Created directories are fsynced, with
 * their parents, before the mount is acknowledged.
 */
import { fsyncSync } from "node:fs";
import { join } from "node:path";
import { MountFailed } from "../errors.js";
import type { CreationInfo, PosixUser } from "../model/types.js";
import { isSafePathError, mkdirBeneath, openBeneath, withBeneath, type BeneathHandle, type SafePathError } from "../../lib/safe-path/index.js";
import type { DataLayout } from "./layout.js";

export interface MountDirectoryRequest {
  fsId: string;
  accessPointId?: string;
  /** Components of the access point's root directory ([] for "/" or no access point). */
  rootComponents: string[];
  creationInfo?: CreationInfo;
  posixUser?: PosixUser;
  /** Components of the requested Path below the root. */
  pathComponents: string[];
}

function problem(err: SafePathError): string {
  switch (err.code) {
    case "NotFound":
      return "does not exist";
    case "SymlinkRefused":
      return "contains a symbolic link, which is never followed";
    case "NotDirectory":
    case "WrongType":
      return "is not a directory";
    default:
      return `cannot be used (${err.message})`;
  }
}

/** The search (x) bit that applies to `user` on a directory with this owner and mode. */
function canSearch(user: PosixUser, st: { uid: number; gid: number; mode: number }): boolean {
  if (user.uid === 0) return true;
  if (st.uid === user.uid) return (st.mode & 0o100) !== 0;
  if (st.gid === user.gid || user.secondaryGids.includes(st.gid)) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/** Opens (creating if CreationInfo allows) the access point root beneath the file system directory `fsRoot`. */
function openAccessPointRoot(fsRoot: string, req: MountDirectoryRequest): BeneathHandle {
  const rel = req.rootComponents.join("/");
  const ci = req.creationInfo;
  if (!ci || rel === "") return openBeneath(fsRoot, rel, { directory: true });
  const parentRel = req.rootComponents.slice(0, -1).join("/");
  let createdParents = false;
  if (parentRel !== "") {
    const parents = mkdirBeneath(fsRoot, parentRel, { mode: 0o755, uid: 0, gid: 0 });
    createdParents = parents.created; // the last parent is created whenever any parent is
    parents.close();
  }
  const h = openBeneath(fsRoot, rel, { directory: true, create: { mode: parseInt(ci.permissions, 8), uid: ci.ownerUid, gid: ci.ownerGid } });
  if (h.created || createdParents) {
    // Durable before the mount is acknowledged: each created directory and the directory holding it.
    fsyncSync(h.fd);
    for (let i = req.rootComponents.length - 1; i >= 0; i--) {
      withBeneath(fsRoot, req.rootComponents.slice(0, i).join("/"), { directory: true }, (d) => fsyncSync(d.fd));
    }
  }
  return h;
}

export function resolveMountDirectory(layout: DataLayout, req: MountDirectoryRequest): string {
  let fsDir: BeneathHandle;
  try {
    fsDir = layout.openFileSystemDir(req.fsId);
  } catch (err) {
    if (isSafePathError(err)) throw new MountFailed(`The directory of file system ${req.fsId} is missing or replaced on the server.`);
    throw err;
  }
  try {
    const rootPath = "/" + req.rootComponents.join("/");
    let root: BeneathHandle;
    try {
      root = openAccessPointRoot(fsDir.procPath, req);
    } catch (err) {
      if (!isSafePathError(err)) throw err;
      if (err.code === "NotFound" && !req.creationInfo) {
        throw new MountFailed(
          `The root directory ${rootPath} of access point ${req.accessPointId} does not exist and the access point has no CreationInfo to create it with. Create the directory, or use an access point with CreationInfo.`,
        );
      }
      throw new MountFailed(`Root directory ${rootPath} of access point ${req.accessPointId ?? "(none)"} ${problem(err)}.`);
    }
    try {
      if (req.posixUser && !canSearch(req.posixUser, root.stat)) {
        throw new MountFailed(`The root directory ${rootPath} of access point ${req.accessPointId} does not give the access point's user (uid ${req.posixUser.uid}) search (x) permission.`);
      }
      try {
        withBeneath(root.procPath, req.pathComponents.join("/"), { directory: true }, () => undefined);
      } catch (err) {
        if (isSafePathError(err)) throw new MountFailed(`Path /${req.pathComponents.join("/")} ${problem(err)}.`);
        throw err;
      }
    } finally {
      root.close();
    }
    return join(layout.fileSystemDir(req.fsId), ...req.rootComponents, ...req.pathComponents);
  } finally {
    fsDir.close();
  }
}
