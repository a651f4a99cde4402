/**
 * Produces the local directory a client mount serves, following EFS's access point rules:
 * the access point's root directory is created at the first mount if missing, from CreationInfo
 * (owner, mode; missing intermediate directories root:root 0755), and the mount fails when it is missing
 * and there is no CreationInfo; an existing directory is never changed; the access point's user must have
 * search (x) permission on the root. The requested Path is then resolved inside that root and must
 * already exist. Every step is a no-follow walk, so a symlink anywhere (planted by a tenant, say) stops
 * the mount instead of leading outside the file system.
 */
import { closeSync, fstatSync } from "node:fs";
import { join } from "node:path";
import { MountFailed } from "../errors.js";
import type { CreationInfo, PosixUser } from "../model/types.js";
import type { DataLayout } from "./layout.js";
import { PathError, walkDirs } from "./no-follow.js";

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

function describe(err: PathError, what: string): string {
  return `${what}: '/${err.at}' ${err.problem === "missing" ? "does not exist" : err.problem === "symlink" ? "is a symbolic link, which is never followed" : "is not a directory"}`;
}

/** The search (x) bit that applies to `user` on a directory with this owner and mode. */
function canSearch(user: PosixUser, st: { uid: number; gid: number; mode: number }): boolean {
  if (user.uid === 0) return true;
  if (st.uid === user.uid) return (st.mode & 0o100) !== 0;
  if (st.gid === user.gid || user.secondaryGids.includes(st.gid)) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

export function resolveMountDirectory(layout: DataLayout, req: MountDirectoryRequest): string {
  let fsFd: number;
  try {
    fsFd = layout.openFileSystemDir(req.fsId);
  } catch (err) {
    if (err instanceof PathError) throw new MountFailed(`The directory of file system ${req.fsId} is missing or replaced on the server.`);
    throw err;
  }
  let rootFd: number | undefined;
  try {
    const rootPath = "/" + req.rootComponents.join("/");
    const last = req.rootComponents.length - 1;
    const ci = req.creationInfo;
    try {
      rootFd = walkDirs(fsFd, req.rootComponents, {
        create: ci ? (i) => (i === last ? { uid: ci.ownerUid, gid: ci.ownerGid, mode: parseInt(ci.permissions, 8) } : { uid: 0, gid: 0, mode: 0o755 }) : undefined,
      }).fd;
    } catch (err) {
      if (!(err instanceof PathError)) throw err;
      if (err.problem === "missing") {
        throw new MountFailed(
          `The root directory ${rootPath} of access point ${req.accessPointId} does not exist and the access point has no CreationInfo to create it with. Create the directory, or use an access point with CreationInfo.`,
        );
      }
      throw new MountFailed(describe(err, `Root directory ${rootPath} of access point ${req.accessPointId ?? "(none)"}`));
    }
    if (req.posixUser && !canSearch(req.posixUser, fstatSync(rootFd))) {
      throw new MountFailed(`The root directory ${rootPath} of access point ${req.accessPointId} does not give the access point's user (uid ${req.posixUser.uid}) search (x) permission.`);
    }
    try {
      closeSync(walkDirs(rootFd, req.pathComponents).fd);
    } catch (err) {
      if (err instanceof PathError) throw new MountFailed(describe(err, "Path"));
      throw err;
    }
    return join(layout.fileSystemDir(req.fsId), ...req.rootComponents, ...req.pathComponents);
  } finally {
    if (rootFd !== undefined) closeSync(rootFd);
    closeSync(fsFd);
  }
}
