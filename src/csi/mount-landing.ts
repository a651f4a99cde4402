/**
 * Proof that a mount made by path string landed on the target directory the driver opened.
 *
 * The mounters (bind through the spawner helper, efs-fuse's daemon) take the target as a string and
 * resolve it again when they call mount(2), so a parent swapped for a symlink between our no-follow
 * open and that call would put the mount somewhere else. Afterwards we therefore check, from the
 * fds we held the whole time, that exactly one new mount sits on our directory:
 *   - the directory is still where it was opened (its fd's path is the canonical target);
 *   - looking its name up in the held parent now crosses into a mount that did not exist before,
 *     whose mount point is that path and whose parent mount is the one our directory lives in.
 * When that fails, the mount went elsewhere: the caller removes it (removeStrayMounts finds it by
 * being new, outside the publish root, on a directory of the target's name and of the kind that
 * was served) and refuses the publish.
 */
import * as fs from "node:fs";
import { basename } from "node:path";
import { isPathWithin, readMountInfo, type MountInfo } from "../lib/safe-path/index.js";
import { defaultSpawner } from "../lib/spawner/index.js";
import type { PublishRecord } from "./publish-state.js";
import { mountIdAtName, mountIdOf, type PreparedTarget } from "./target-path.js";

/** The ids of the mounts that exist now (taken just before mounting). */
export function mountIds(table: MountInfo[] = readMountInfo()): Set<number> {
  return new Set(table.map((m) => m.id));
}

/** Why the new mount is not on the prepared directory, or undefined when it is. */
export function misplacedMount(t: PreparedTarget, before: Set<number>): string | undefined {
  let now: string;
  try {
    now = fs.readlinkSync(t.dir.procPath);
  } catch (e) {
    return `cannot read where the target directory is: ${(e as Error).message}`;
  }
  if (now !== t.canonical) return `the target directory moved to ${JSON.stringify(now)} while it was being mounted`;
  let on: number;
  let under: number;
  try {
    on = mountIdAtName(t.parent.fd, t.name);
    under = mountIdOf(t.dir.fd);
  } catch (e) {
    return `cannot look at the target after mounting: ${(e as Error).message}`;
  }
  if (on === under) return "nothing was mounted on the target directory";
  const top = readMountInfo().find((m) => m.id === on);
  if (!top || before.has(on)) return "the mount on the target directory is not the one just made";
  if (top.mountPoint !== t.canonical || top.parentId !== under) {
    return `the new mount is at ${JSON.stringify(top.mountPoint)}, not on the target directory`;
  }
  return undefined;
}

/** "major:minor" as mountinfo spells a device (glibc's gnu_dev_major / gnu_dev_minor). */
function deviceName(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

function looksServed(m: MountInfo, rec: PublishRecord): boolean {
  if (rec.servedBy === "fuse") return m.fsType === "fuse.efs";
  if (!rec.hostPath) return false;
  try {
    if (m.device !== deviceName(fs.statSync(rec.hostPath, { bigint: true }).dev)) return false;
  } catch {
    return false;
  }
  return m.root === "/" || rec.hostPath === m.root || rec.hostPath.endsWith(m.root);
}

/**
 * Mounts this publish made somewhere other than its target: new since `before`, outside the publish
 * root (inside it, a new mount may be another target's legitimate one), on a directory named like
 * the target, of the kind the record says was served.
 */
export function strayMounts(t: PreparedTarget, rec: PublishRecord, before: Set<number>, root: string): MountInfo[] {
  const realRoot = fs.realpathSync(root);
  return readMountInfo().filter(
    (m) => !before.has(m.id) && m.mountPoint !== t.canonical && !isPathWithin(realRoot, m.mountPoint) && basename(m.mountPoint) === t.name && looksServed(m, rec),
  );
}

/** Detach each stray mount while it is still the top mount at its mount point; returns what was left. */
export async function removeStrayMounts(strays: MountInfo[]): Promise<MountInfo[]> {
  const left: MountInfo[] = [];
  for (const m of strays) {
    for (let i = 0; i < 3; i++) {
      const at = readMountInfo().filter((x) => x.mountPoint === m.mountPoint);
      if (!at.some((x) => x.id === m.id)) break;
      if (at[at.length - 1].id !== m.id) {
        left.push(m); // something else was stacked on it since: not ours to remove
        break;
      }
      await defaultSpawner()
        .unmount(m.mountPoint, { lazy: true })
        .catch(() => undefined);
    }
    if (readMountInfo().some((x) => x.id === m.id) && !left.includes(m)) left.push(m);
  }
  return left;
}
