/**
 * Proof that a mount made by path string landed on the target directory the driver opened.
 *
 * The mounters (bind through the spawner helper, efs-fuse's daemon) take the target as a string and
 * resolve it again when they call mount(2), so a parent swapped for a symlink between our no-follow
 * open and that call would put the mount somewhere else. Afterwards we therefore check, from the
 * fds held the whole time, that a new mount covers our directory: looking the target's name up in
 * the held parent crosses into a mount that did not exist before, stacked on the mount our
 * directory lives in, whose mount point is our directory's path (mount ids from /proc/self/fdinfo).
 * When that fails the mount went elsewhere: the caller removes it (strayMounts: new, outside the
 * publish root, on a directory of the target's name, of the kind that was served) and refuses.
 * Removal is by the mount point as the mount table spells it, while that mount is the top one there.
 */
import * as fs from "node:fs";
import { basename } from "node:path";
import { fdPathForChild, isPathWithin, readMountInfo, type MountInfo } from "../lib/safe-path/index.js";
import { defaultSpawner } from "../lib/spawner/index.js";
import type { ServedBy } from "./publish-state.js";
import { mountIdAtName, mountIdOf, type PreparedTarget } from "./target-path.js";

/** The ids of the mounts that exist now (taken just before mounting). */
export function mountIds(table: MountInfo[] = readMountInfo()): Set<number> {
  return new Set(table.map((m) => m.id));
}

/** The new mount on the name the prepared directory had in its held parent, if any (reads the mount table). */
function newMountOnName(t: PreparedTarget, before: Set<number>): { top: MountInfo | undefined; on: number; under: number } {
  const on = mountIdAtName(t.parent.fd, t.name);
  const under = mountIdOf(t.dir.fd);
  const top = on === under || before.has(on) ? undefined : readMountInfo().find((m) => m.id === on);
  return { top, on, under };
}

/**
 * Why the new mount is not on the prepared directory, or undefined when it is: the name in the held
 * parent crosses into a mount made since `before`, stacked directly on the mount our directory lives
 * in, at the path our directory has (the same dentry). The directory may have been renamed since it
 * was opened; what matters is that the mount covers it and nothing else.
 */
export function misplacedMount(t: PreparedTarget, before: Set<number>): string | undefined {
  let reason = "";
  // The path of the mount and of the directory are read one after the other: a rename in between is retried.
  for (let i = 0; i < 3; i++) {
    let found: ReturnType<typeof newMountOnName>;
    let now: string;
    try {
      found = newMountOnName(t, before);
      now = fs.readlinkSync(t.dir.procPath);
    } catch (e) {
      return `cannot look at the target after mounting: ${(e as Error).message}`;
    }
    const { top, on, under } = found;
    if (on === under) return "nothing was mounted on the target directory";
    if (!top) return "the mount on the target directory is not the one just made";
    if (top.parentId !== under) return `the new mount at ${JSON.stringify(top.mountPoint)} is not on the target directory`;
    if (top.mountPoint === now) return undefined;
    reason = `the new mount is at ${JSON.stringify(top.mountPoint)}, the target directory at ${JSON.stringify(now)}`;
  }
  return reason;
}

/** Did the prepared directory move or lose its name since it was opened (a mounter failure is then the caller's doing)? */
export function targetMoved(t: PreparedTarget): boolean {
  try {
    if (fs.readlinkSync(t.dir.procPath) !== t.canonical) return true;
    const st = fs.lstatSync(`${t.parent.procPath}/${t.name}`);
    return st.ino !== t.dir.stat.ino || st.dev !== t.dir.stat.dev;
  } catch {
    return true;
  }
}

/**
 * Detach a mount made since `before` that covers the prepared directory's name (what a refused
 * publish may leave when its mounter failed half-way). The unmount goes through the held parent's
 * fd path (/proc/<pid>/fd/<parent>/<name>), which no rename or link below the root can redirect.
 * True if there was one.
 */
export async function removeNewMountOnTarget(t: PreparedTarget, before: Set<number>): Promise<boolean> {
  let found = false;
  for (let i = 0; i < 5; i++) {
    let top: MountInfo | undefined;
    try {
      top = newMountOnName(t, before).top;
    } catch {
      return found;
    }
    if (!top) return found;
    found = true;
    await defaultSpawner()
      .unmount(`${fdPathForChild(t.parent.fd)}/${t.name}`, { lazy: true })
      .catch(() => undefined);
  }
  return found;
}

/** "major:minor" as mountinfo spells a device (glibc's gnu_dev_major / gnu_dev_minor). */
function deviceName(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

/**
 * What a publish served, as far as known: the record's kind and directory, or (the mounter failed)
 * the file system's directory below the EFS data root, which the served one lies within.
 */
export interface ServedHint {
  servedBy?: ServedBy;
  /** The served directory exactly (a record's hostPath), or with `within` a directory it lies beneath. */
  dir?: string;
  within?: boolean;
  /** efs-fuse mounts name their file system as their source ("efs:<fs-id>"). */
  fileSystemId: string;
}

/** A directory's path inside its own file system, as mountinfo's "root" field spells a bind of it. */
function pathOnDevice(dir: string, table: MountInfo[]): string | undefined {
  const real = fs.realpathSync(dir);
  const holder = table.filter((m) => isPathWithin(m.mountPoint, real)).sort((a, b) => a.mountPoint.length - b.mountPoint.length).pop();
  if (!holder) return undefined;
  const rest = real.slice(holder.mountPoint === "/" ? 0 : holder.mountPoint.length);
  return holder.root === "/" ? rest || "/" : `${holder.root}${rest}`;
}

function looksServed(m: MountInfo, hint: ServedHint, table: MountInfo[]): boolean {
  if (m.fsType === "fuse.efs") return hint.servedBy !== "bind" && m.source === `efs:${hint.fileSystemId}`;
  if (hint.servedBy === "fuse" || !hint.dir) return false;
  try {
    if (m.device !== deviceName(fs.statSync(hint.dir, { bigint: true }).dev)) return false;
    const onDevice = pathOnDevice(hint.dir, table);
    if (onDevice === undefined) return false;
    return hint.within ? isPathWithin(onDevice, m.root) : onDevice === m.root;
  } catch {
    return false;
  }
}

/**
 * Mounts this publish made somewhere other than its target: new since `before`, outside the publish
 * root (inside it, a new mount may be another target's legitimate one), on a directory named like
 * the target, of the kind that was served.
 */
export function strayMounts(t: PreparedTarget, hint: ServedHint, before: Set<number>, root: string): MountInfo[] {
  const realRoot = fs.realpathSync(root);
  const table = readMountInfo();
  return table.filter(
    (m) => !before.has(m.id) && m.mountPoint !== t.canonical && !isPathWithin(realRoot, m.mountPoint) && basename(m.mountPoint) === t.name && looksServed(m, hint, table),
  );
}

/**
 * Detach each stray mount (found by id, at its mount point as the table spells it now) while it is
 * the top mount there; returns those still mounted.
 */
export async function removeStrayMounts(strays: MountInfo[]): Promise<MountInfo[]> {
  const left: MountInfo[] = [];
  for (const stray of strays) {
    for (let i = 0; i < 5; i++) {
      const table = readMountInfo();
      const now = table.find((m) => m.id === stray.id);
      if (!now) break;
      const at = table.filter((m) => m.mountPoint === now.mountPoint);
      if (at[at.length - 1].id !== now.id) break; // something else was stacked on it since: not ours to remove
      await defaultSpawner()
        .unmount(now.mountPoint, { lazy: true })
        .catch(() => undefined);
    }
    if (readMountInfo().some((m) => m.id === stray.id)) left.push(stray);
  }
  return left;
}
