/**
 * Detaching efs-fuse mounts, including dead ones whose daemon is gone (every access then fails with
 * ENOTCONN, so nothing here stats the mount point itself). Only mounts of type fuse.efs are touched.
 * The calls go through the spawner (umount2 in its helper; fusermount3 started by it), so the caller's
 * process does not fork.
 */
import { realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { defaultSpawner } from "../../lib/spawner/index.js";
import { checkPath } from "./args.js";
import { efsFuseMountsAt } from "./mountinfo.js";

/** The mount point as mountinfo spells it: symlinks in the parent resolved, the last name kept. */
export function canonicalMountPoint(target: string): string {
  const p = checkPath("target", target);
  if (p === "/") return p;
  try {
    return join(realpathSync(dirname(p)), basename(p));
  } catch {
    return p;
  }
}

async function detachOnce(mountPoint: string): Promise<string | undefined> {
  // Lazy: a busy or dead mount is detached now and cleaned up when its last user goes away.
  try {
    await defaultSpawner().unmount(mountPoint, { lazy: true });
    return undefined;
  } catch (err) {
    try {
      await defaultSpawner().run("fusermount3", ["-u", "-z", "--", mountPoint]);
      return undefined;
    } catch (err2) {
      return `${(err as Error).message.trim()}; ${(err2 as Error).message.trim()}`;
    }
  }
}

/** Unmounts every efs-fuse mount stacked on target. Succeeds when there is none (idempotent). */
export async function unmountEfsFuse(target: string): Promise<void> {
  const mountPoint = canonicalMountPoint(target);
  let lastError: string | undefined;
  for (let attempt = 0; attempt < 8; attempt++) {
    if (efsFuseMountsAt(mountPoint).length === 0) return;
    lastError = await detachOnce(mountPoint);
  }
  if (efsFuseMountsAt(mountPoint).length === 0) return;
  throw new Error(`efs-fuse: could not unmount ${mountPoint}${lastError ? `: ${lastError}` : ""}`);
}

/** Whether an efs-fuse mount (live or dead) sits on target. */
export function isEfsFuseMounted(target: string): boolean {
  return efsFuseMountsAt(canonicalMountPoint(target)).length > 0;
}
