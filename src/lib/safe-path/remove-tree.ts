/**
 * removeTreeBeneath: the recursive delete for user-influenced paths. It never follows a symlink (links are unlinked
 * as names), never leaves the root (every directory is entered through its parent's fd with O_NOFOLLOW), and never
 * crosses a mount: before anything is deleted the mount table is checked for mounts on the way to or below the
 * target, and while walking every directory must sit on the root's device and must not be a mount point.
 */
import * as fs from "node:fs";
import { SafePathError, errnoCode } from "./errors.js";
import { childPath, closeQuietly, fdPath, fdRealPath, isPathWithin } from "./fd-path.js";
import { readMountInfo, type MountInfo } from "./mountinfo.js";
import { openParentBeneath, openRoot } from "./open-beneath.js";
import { validateRelativePath } from "./validate.js";

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;

export interface RemoveTreeOptions {
  /** Allow the empty path, i.e. deleting the root directory itself (and everything in it). Default false. */
  allowRoot?: boolean;
  /** Refuse trees deeper than this (each level holds one fd). Default 512. */
  maxDepth?: number;
}

interface Walk {
  rel: string;
  rootReal: string;
  rootDev: number;
  mounts: Set<string>;
  maxDepth: number;
}

function crossing(rel: string, what: string): SafePathError {
  return new SafePathError("MountCrossing", rel, `refusing to delete ${JSON.stringify(rel)}: ${what} is a mount point`);
}

/** Refuse up front if a mount sits strictly between root and target, at the target, or anywhere below it. */
function checkMountTable(w: Walk, targetReal: string, table: MountInfo[]): void {
  for (const m of table) {
    if (m.mountPoint === w.rootReal || !isPathWithin(w.rootReal, m.mountPoint)) continue;
    if (isPathWithin(m.mountPoint, targetReal) || isPathWithin(targetReal, m.mountPoint)) throw crossing(w.rel, m.mountPoint);
  }
}

/** The walk uses synchronous syscalls (each is a few microseconds; promises would cost ~10x more per entry) and
 * yields to the event loop every YIELD_EVERY entries, so a huge tree never blocks the process for long. */
const YIELD_EVERY = 256;
let sinceYield = 0;
async function maybeYield(): Promise<void> {
  if (++sinceYield < YIELD_EVERY) return;
  sinceYield = 0;
  await new Promise<void>((resolve) => setImmediate(resolve));
}

function openChildDir(dirFd: number, name: string): number | undefined {
  try {
    return fs.openSync(childPath(dirFd, name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (e) {
    const code = errnoCode(e);
    // Swapped for a link or file, or gone, since we looked: the caller retries the entry as a plain name.
    if (code === "ELOOP" || code === "ENOTDIR" || code === "ENOENT") return undefined;
    throw e;
  }
}

function checkDir(w: Walk, fd: number): void {
  const st = fs.fstatSync(fd);
  const real = fdRealPath(fd);
  if (st.dev !== w.rootDev || w.mounts.has(real)) throw crossing(w.rel, real);
  if (!isPathWithin(w.rootReal, real)) throw new SafePathError("Escape", w.rel, `${JSON.stringify(w.rel)} left its root during delete`);
}

/** Delete one entry of dirFd by name: unlink a non-directory (links included), recurse into a directory. */
async function removeEntry(w: Walk, dirFd: number, name: string, depth: number): Promise<void> {
  const path = childPath(dirFd, name);
  for (let attempt = 0; attempt < 5; attempt++) {
    await maybeYield();
    try {
      fs.unlinkSync(path);
      return;
    } catch (e) {
      const code = errnoCode(e);
      if (code === "ENOENT") return;
      if (code !== "EISDIR" && code !== "EPERM") throw e;
      const child = openChildDir(dirFd, name);
      if (child === undefined) {
        if (code === "EPERM") throw e; // not a directory after all: a real permission problem (e.g. immutable file)
        continue;
      }
      try {
        checkDir(w, child);
        await emptyDir(w, child, depth + 1);
      } finally {
        closeQuietly(child);
      }
      try {
        fs.rmdirSync(path);
        return;
      } catch (e2) {
        const c2 = errnoCode(e2);
        if (c2 === "ENOENT") return;
        if (c2 === "EBUSY") throw crossing(w.rel, name);
        // ENOTEMPTY (something was added meanwhile) or ENOTDIR (swapped for a link): try the entry again.
        if (c2 !== "ENOTEMPTY" && c2 !== "ENOTDIR") throw e2;
      }
    }
  }
  throw new Error(`could not delete ${JSON.stringify(name)} under ${JSON.stringify(w.rel)}: it keeps changing`);
}

async function emptyDir(w: Walk, dirFd: number, depth: number): Promise<void> {
  if (depth > w.maxDepth) throw new SafePathError("TooDeep", w.rel, `${JSON.stringify(w.rel)} is deeper than ${w.maxDepth} levels`);
  for (let pass = 0; pass < 5; pass++) {
    const names = fs.readdirSync(fdPath(dirFd));
    if (names.length === 0) return;
    for (const name of names) await removeEntry(w, dirFd, name, depth);
  }
}

/**
 * Recursively delete `relPath` beneath `rootDir`. Returns false if it did not exist (repeat calls are harmless).
 * A symlink at `relPath` is removed as a link; its target is untouched. Refuses (SafePathError) the root itself unless
 * `allowRoot`, symlinks on the way to the target (SymlinkRefused), and any mount on the way or below (MountCrossing,
 * checked before deleting anything and again while walking).
 */
export async function removeTreeBeneath(rootDir: string, relPath: string, opts: RemoveTreeOptions = {}): Promise<boolean> {
  const parts = validateRelativePath(relPath);
  if (parts.length === 0 && !opts.allowRoot) {
    throw new SafePathError("IsRoot", relPath, "refusing to delete the root directory itself");
  }
  const root = openRoot(rootDir);
  try {
    const table = readMountInfo();
    const w: Walk = {
      rel: relPath,
      rootReal: root.real,
      rootDev: fs.fstatSync(root.fd).dev,
      mounts: new Set(table.map((m) => m.mountPoint)),
      maxDepth: opts.maxDepth ?? 512,
    };
    if (parts.length === 0) {
      if (w.mounts.has(root.real)) throw crossing(relPath, root.real);
      checkMountTable(w, root.real, table);
      const dir = fs.openSync(fdPath(root.fd), O_RDONLY | O_DIRECTORY);
      try {
        await emptyDir(w, dir, 0);
      } finally {
        closeQuietly(dir);
      }
      fs.rmdirSync(rootDir);
      return true;
    }
    let parentHandle;
    try {
      parentHandle = openParentBeneath(rootDir, relPath);
    } catch (e) {
      if (e instanceof SafePathError && e.code === "NotFound") return false;
      throw e;
    }
    const { parent, name } = parentHandle;
    try {
      checkMountTable(w, `${parent.realPath === "/" ? "" : parent.realPath}/${name}`, table);
      let existed = true;
      try {
        fs.lstatSync(childPath(parent.fd, name));
      } catch (e) {
        if (errnoCode(e) === "ENOENT") existed = false;
        else throw e;
      }
      if (existed) await removeEntry(w, parent.fd, name, 0);
      return existed;
    } finally {
      parent.close();
    }
  } finally {
    closeQuietly(root.fd);
  }
}
