/**
 * Bind-mounting an object we hold open, not a path: the source is /proc/<our pid>/fd/<n> and is never canonicalised
 * (CVE-2021-25741: a canonicalised fd path is a path name again, and the race is back) — the spawner's helper passes
 * it to mount(2) as it is (mount(8) --no-canonicalize without the helper). After the mount the target must show the
 * same device and inode as the fd, otherwise it is unmounted and the call fails.
 */
import * as fs from "node:fs";
import { MountCallError, defaultSpawner, type MountOp } from "../spawner/index.js";
import { SafePathError } from "./errors.js";
import { fdPathForChild } from "./fd-path.js";
import { readMountInfo, topMountAt } from "./mountinfo.js";

/** The calls in one go (one helper round trip); if a later one fails, the bind the first one made is undone. */
async function mountCalls(real: string, ops: MountOp[], target: string): Promise<void> {
  try {
    await defaultSpawner().mount(real, ops);
  } catch (e) {
    if (e instanceof MountCallError && e.failedStep > 1) await unmountOnce(real).catch(() => undefined);
    throw new SafePathError("MountFailed", target, `mount of ${target} failed: ${(e as Error).message}`);
  }
}

export interface BindMountOptions {
  readOnly?: boolean;
}

/** The real path of a mount target we own; it must exist and must not itself be a symlink. */
function targetRealPath(target: string): string {
  if (!target.startsWith("/")) throw new SafePathError("InvalidPath", target, "mount target must be absolute");
  const st = fs.lstatSync(target);
  if (st.isSymbolicLink()) throw new SafePathError("SymlinkRefused", target, `mount target ${target} is a symbolic link`);
  return fs.realpathSync(target);
}

/**
 * Bind-mount the object open as `fd` (from openBeneath, typically with pathOnly) onto `target` (an existing directory
 * or file owned by the caller, matching the object's type), make the new mount private (no propagation), remount it
 * read-only if asked, and verify that `target` now is that object (dev + inode) and, if asked, read-only.
 * On any failure after the mount was made, it is unmounted again. Calling it twice stacks two mounts.
 */
export async function bindMountFd(fd: number, target: string, opts: BindMountOptions = {}): Promise<void> {
  const want = fs.fstatSync(fd);
  const real = targetRealPath(target);
  const ops: MountOp[] = [{ op: "bind", source: fdPathForChild(fd) }, { op: "make-private" }];
  if (opts.readOnly) ops.push({ op: "remount-read-only" });
  await mountCalls(real, ops, real);
  try {
    const got = fs.lstatSync(real);
    if (got.dev !== want.dev || got.ino !== want.ino) {
      throw new SafePathError("VerifyFailed", target, `bind mount at ${target} is not the opened object (dev/inode differ)`);
    }
    const top = topMountAt(real);
    if (!top) throw new SafePathError("VerifyFailed", target, `no mount appeared at ${target}`);
    if (opts.readOnly && !top.options.includes("ro")) {
      throw new SafePathError("VerifyFailed", target, `bind mount at ${target} is not read-only`);
    }
  } catch (e) {
    await unmountOnce(real).catch(() => undefined);
    throw e;
  }
}

async function unmountOnce(real: string, lazy = false): Promise<void> {
  try {
    await defaultSpawner().unmount(real, { lazy });
  } catch (e) {
    throw new SafePathError("MountFailed", real, `umount ${real} failed: ${(e as Error).message}`);
  }
}

export interface UnmountOptions {
  /** Detach even if busy (umount --lazy). */
  lazy?: boolean;
}

/**
 * Unmount every mount stacked on `target` (a path the caller owns). A target that is not a mount point, or does
 * not exist, is left alone: repeat calls are harmless.
 */
export async function unmount(target: string, opts: UnmountOptions = {}): Promise<void> {
  let real: string;
  try {
    real = fs.realpathSync(target);
  } catch {
    return;
  }
  for (let i = 0; i < 64; i++) {
    if (!topMountAt(real, readMountInfo())) return;
    await unmountOnce(real, opts.lazy);
  }
  throw new SafePathError("MountFailed", target, `${target} still has mounts after 64 unmounts`);
}
