/**
 * The node side's target directories (where kubelet / the node agent wants a volume). They come
 * from a trusted caller, but are still checked: absolute and normal (no "..", "//", trailing "/"),
 * no control characters, optionally confined beneath a configured root; the target itself must be
 * a real directory (never a symlink), created by the driver when missing. Whether something is
 * mounted there is read from the mount table for the target's canonical path, without touching
 * the target itself — a dead FUSE mount answers every access with ENOTCONN.
 */
import * as fs from "node:fs";
import { basename, dirname, isAbsolute, join, normalize } from "node:path";
import { isPathWithin, readMountInfo } from "../lib/safe-path/index.js";
import { csiError } from "./spec.js";

export function checkTargetPath(p: unknown, what: string, confineTo?: string): string {
  if (typeof p !== "string" || p === "") throw csiError("InvalidArgument", `${what} not provided`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) throw csiError("InvalidArgument", `${what} contains control characters`);
  if (!isAbsolute(p) || p.length > 4096 || normalize(p) !== p || (p.length > 1 && p.endsWith("/")) || p === "/") {
    throw csiError("InvalidArgument", `${what} ${JSON.stringify(p)} must be an absolute, normalised path below "/"`);
  }
  if (confineTo !== undefined && (!isPathWithin(confineTo, p) || p === confineTo)) {
    throw csiError("InvalidArgument", `${what} ${JSON.stringify(p)} is not below ${JSON.stringify(confineTo)}`);
  }
  return p;
}

/** The path as mountinfo spells it: symlinks in the parent resolved, the last name as given. */
export function canonicalTarget(target: string): string {
  try {
    return join(fs.realpathSync(dirname(target)), basename(target));
  } catch {
    return target;
  }
}

export function mountedAt(target: string): boolean {
  const canonical = canonicalTarget(target);
  return readMountInfo().some((m) => m.mountPoint === canonical);
}

/** Make sure the target is a directory we can mount on; true if this call created it. */
export function prepareTarget(target: string): boolean {
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw csiError("Internal", `cannot inspect target ${target}: ${(e as Error).message}`);
  }
  if (st) {
    if (st.isSymbolicLink()) throw csiError("InvalidArgument", `target ${target} is a symbolic link`);
    if (!st.isDirectory()) throw csiError("InvalidArgument", `target ${target} is not a directory`);
    return false;
  }
  try {
    fs.mkdirSync(target, { recursive: true, mode: 0o750 });
  } catch (e) {
    throw csiError("Internal", `Could not create dir ${JSON.stringify(target)}: ${(e as Error).message}`);
  }
  const after = fs.lstatSync(target);
  if (!after.isDirectory()) throw csiError("Internal", `target ${target} is not a directory after creating it`);
  return true;
}

/** Remove the (unmounted, empty) target directory. Never removes contents. */
export function removeTarget(target: string): void {
  if (mountedAt(target)) throw csiError("Internal", `target ${target} is still mounted`);
  try {
    fs.rmdirSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTEMPTY" || code === "EEXIST") throw csiError("FailedPrecondition", `target ${target} is not empty after unmount; leaving it in place`);
    if (code === "ENOTDIR") throw csiError("FailedPrecondition", `target ${target} is not a directory`);
    throw csiError("Internal", `Could not remove target ${target}: ${(e as Error).message}`);
  }
}
