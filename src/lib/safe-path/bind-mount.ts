/**
 * Bind-mounting an object we hold open, not a path: the source is /proc/<our pid>/fd/<n> and mount(8) is told not to
 * canonicalise it (CVE-2021-25741: a canonicalised fd path is a path name again, and the race is back). After the
 * mount the target must show the same device and inode as the fd, otherwise it is unmounted and the call fails.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";
import { SafePathError } from "./errors.js";
import { fdPathForChild } from "./fd-path.js";
import { readMountInfo, topMountAt } from "./mountinfo.js";

const run = promisify(execFile);

function tool(name: "mount" | "umount"): string {
  for (const dir of ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    const p = `${dir}/${name}`;
    if (fs.existsSync(p)) return p;
  }
  return name;
}

async function mountCmd(args: string[], target: string): Promise<void> {
  try {
    await run(tool("mount"), args, { timeout: 30_000 });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw new SafePathError("MountFailed", target, `mount ${args.join(" ")} failed: ${stderr || String(e)}`);
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
  await mountCmd(["--no-canonicalize", "--bind", fdPathForChild(fd), real], real);
  try {
    await mountCmd(["--no-canonicalize", "--make-private", real], real);
    if (opts.readOnly) await mountCmd(["--no-canonicalize", "-o", "remount,bind,ro", real], real);
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
  const args = ["--no-canonicalize", ...(lazy ? ["--lazy"] : []), real];
  try {
    await run(tool("umount"), args, { timeout: 30_000 });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw new SafePathError("MountFailed", real, `umount ${real} failed: ${stderr || String(e)}`);
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
