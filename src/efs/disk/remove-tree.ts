/**
 * Recursive removal that never follows a symbolic link and never crosses a mount point. Every entry is
 * reached through its parent's open descriptor (see no-follow.ts); symlinks are unlinked as links;
 * a directory on another device, or listed as a mount point, is left in place (with its parents) and
 * reported. Asynchronous, so removing a large tree does not stall the event loop.
 */
import { promises as fsp, constants } from "node:fs";
import { fdPath, isSafeName } from "./no-follow.js";
import { mountPointsUnder } from "./mountinfo.js";

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW; // libuv adds O_CLOEXEC itself

export interface RemoveResult {
  /** Directories left in place because they are (or contain) mount points. */
  skipped: string[];
}

/**
 * Removes `dir` (absolute, trusted: a path this service made) and everything below it.
 * A missing `dir` is success. Errors other than mount-point protection propagate.
 */
export async function removeTree(dir: string): Promise<RemoveResult> {
  const skipped: string[] = [];
  let root: fsp.FileHandle;
  try {
    root = await fsp.open(dir, DIR_FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { skipped };
    throw err;
  }
  const mounts = mountPointsUnder(dir);
  let removable: boolean;
  try {
    const st = await root.stat();
    removable = await emptyDir(root, dir, st.dev, mounts, skipped);
  } finally {
    await root.close();
  }
  if (removable && !mounts.has(dir)) await fsp.rmdir(dir);
  return { skipped };
}

/** Empties the directory open as `handle`; returns false if something had to be left inside it. */
async function emptyDir(handle: fsp.FileHandle, path: string, dev: number, mounts: Set<string>, skipped: string[]): Promise<boolean> {
  let complete = true;
  const names = await fsp.readdir(fdPath(handle.fd));
  for (const name of names) {
    if (!isSafeName(name)) continue; // readdir never yields these; defensive
    const childPath = `${path}/${name}`;
    const at = fdPath(handle.fd, name);
    const st = await fsp.lstat(at).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));
    if (!st) continue;
    if (!st.isDirectory()) {
      await fsp.unlink(at).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));
      continue;
    }
    if (st.dev !== dev || mounts.has(childPath)) {
      skipped.push(childPath);
      complete = false;
      continue;
    }
    const child = await fsp.open(at, DIR_FLAGS);
    let childComplete: boolean;
    try {
      const cst = await child.stat();
      // Re-check on the opened directory: the name may have been swapped since the lstat.
      if (cst.dev !== dev || cst.ino !== st.ino) {
        skipped.push(childPath);
        complete = false;
        continue;
      }
      childComplete = await emptyDir(child, childPath, dev, mounts, skipped);
    } finally {
      await child.close();
    }
    if (childComplete) await fsp.rmdir(at);
    else complete = false;
  }
  return complete;
}
