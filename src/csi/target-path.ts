/**
 * The node side's target directories (where kubelet / the node agent wants a volume). They come
 * from a trusted caller, but are still checked: absolute and normal (no "..", "//", trailing "/"),
 * no control characters, optionally confined beneath a configured publish root.
 *
 * With a publish root, everything below it is reached through safe-path: the target and its missing
 * parents are created one component at a time with O_NOFOLLOW, so a symlink anywhere below the root
 * (a parent swapped for a link out of it included) refuses the call with InvalidArgument instead of
 * being followed; what the driver then acts on is the opened directory, not the string. Without a
 * publish root the parent is resolved as given (symlinks followed), but the target itself is never a
 * symlink. Whether something is mounted at a target is read from the mount table for the canonical
 * path of the opened parent, without touching the target itself (a dead FUSE mount answers every
 * access with ENOTCONN).
 */
import * as fs from "node:fs";
import { basename, dirname, isAbsolute, normalize } from "node:path";
import { O_PATH, childPath, isPathWithin, isSafePathError, openBeneath, openParentBeneath, readMountInfo, type BeneathHandle, type MountInfo } from "../lib/safe-path/index.js";
import { csiError, isCsiError } from "./spec.js";

const TARGET_MODE = 0o750;

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

/** A safe-path refusal is the caller's doing (a link or a file where a directory belongs); anything else is ours. */
function targetFailure(e: unknown, target: string, doing: string): Error {
  if (isCsiError(e)) return e;
  if (isSafePathError(e) && e.code !== "MountFailed" && e.code !== "VerifyFailed") {
    return csiError("InvalidArgument", `target ${JSON.stringify(target)} cannot be ${doing} safely: ${e.message}`);
  }
  return csiError("Internal", `target ${JSON.stringify(target)} cannot be ${doing}: ${e instanceof Error ? e.message : String(e)}`);
}

/** The target relative to the root (checkTargetPath made sure it is strictly below it). */
function relativeTo(root: string, target: string): string {
  return target.slice(root.endsWith("/") ? root.length : root.length + 1);
}

/** The directory that holds a target, open, and the target's name in it. */
export interface TargetParent {
  /** The parent directory (open; never reached through a symlink below the publish root). */
  parent: BeneathHandle;
  name: string;
  /** The target's path as the kernel spells it now (mountinfo's spelling): the parent's real path + name. */
  canonical: string;
  close(): void;
}

function parentOf(parent: BeneathHandle, name: string): TargetParent {
  return { parent, name, canonical: `${parent.realPath === "/" ? "" : parent.realPath}/${name}`, close: () => parent.close() };
}

/** The parent as given, symlinks followed (only without a publish root); undefined if it does not exist. */
function openUnconfinedParent(target: string, create: boolean): TargetParent | undefined {
  const dir = dirname(target);
  if (create) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: TARGET_MODE });
    } catch (e) {
      throw targetFailure(e, target, "created");
    }
  }
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw targetFailure(e, target, "resolved");
  }
  try {
    return parentOf(openBeneath(real, "", { directory: true, pathOnly: true }), basename(target));
  } catch (e) {
    throw targetFailure(e, target, "resolved");
  }
}

/**
 * Open the target's parent without following a symlink below `root` (undefined when a component is
 * missing). A link or non-directory on the way is InvalidArgument.
 */
export function openTargetParent(target: string, root?: string): TargetParent | undefined {
  if (root === undefined) return openUnconfinedParent(target, false);
  const rel = relativeTo(root, target);
  try {
    return parentOf(openBeneath(root, dirname(rel) === "." ? "" : dirname(rel), { directory: true, pathOnly: true }), basename(rel));
  } catch (e) {
    if (isSafePathError(e, "NotFound")) return undefined;
    throw targetFailure(e, target, "resolved");
  }
}

/** Is anything mounted on the target? Reads the mount table only; a missing parent means no. */
export function mountedAt(target: string, root?: string, table?: MountInfo[]): boolean {
  const at = openTargetParent(target, root);
  if (!at) return false;
  try {
    return (table ?? readMountInfo()).some((m) => m.mountPoint === at.canonical);
  } finally {
    at.close();
  }
}

/** A target directory made ready for a mount: it, its parent and the directories between them and the root stay open until close(). */
export interface PreparedTarget extends TargetParent {
  /** The target directory itself, open O_PATH (the object a mount must land on). */
  dir: BeneathHandle;
  /** True if this call created the target directory. */
  created: boolean;
  /**
   * The change times of every held directory from the first one below the root down to the target.
   * Renaming a directory changes its ctime, so an equal stamp before and after a step means no
   * component of the path was renamed or swapped for a link meanwhile.
   */
  stamp(): string;
}

/** Open each directory strictly between the root and the target's parent (the parent and target are held already). */
function openAncestors(root: string, rel: string): BeneathHandle[] {
  const parts = rel.split("/").slice(0, -2);
  const held: BeneathHandle[] = [];
  try {
    for (let i = 1; i <= parts.length; i++) held.push(openBeneath(root, parts.slice(0, i).join("/"), { directory: true, pathOnly: true }));
    return held;
  } catch (e) {
    for (const h of held) h.close();
    throw e;
  }
}

function ctimeStamp(handles: BeneathHandle[]): string {
  return handles.map((h) => fs.fstatSync(h.fd, { bigint: true }).ctimeNs.toString()).join(",");
}

/**
 * Make sure the target is a directory we can mount on, creating it and its missing parents beneath
 * the root without following a link (mode 0750, owned by us), and hold it open.
 */
export function prepareTarget(target: string, root?: string): PreparedTarget {
  const own = { mode: TARGET_MODE, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  let at: TargetParent | undefined;
  let ancestors: BeneathHandle[] = [];
  if (root === undefined) at = openUnconfinedParent(target, true);
  else {
    try {
      const { parent, name } = openParentBeneath(root, relativeTo(root, target), own);
      at = parentOf(parent, name);
    } catch (e) {
      throw targetFailure(e, target, "created");
    }
  }
  if (!at) throw csiError("Internal", `the parent of target ${JSON.stringify(target)} vanished while it was being created`);
  try {
    if (root !== undefined) ancestors = openAncestors(root, relativeTo(root, target));
    // The parent's fd magic link is the root of this last step: only `name` is looked up, never followed.
    const dir = openBeneath(at.parent.procPath, at.name, { directory: true, pathOnly: true, create: own });
    const parent = at;
    const held = [...ancestors, parent.parent, dir];
    return {
      ...parent,
      dir,
      created: dir.created,
      stamp: () => ctimeStamp(held),
      close: () => held.forEach((h) => h.close()),
    };
  } catch (e) {
    at.close();
    for (const h of ancestors) h.close();
    throw targetFailure(e, target, "created");
  }
}

/** Remove the (unmounted, empty) target directory through its opened parent. Never removes contents. */
export function removeTarget(target: string, root?: string): void {
  const at = openTargetParent(target, root);
  if (!at) return;
  try {
    if (readMountInfo().some((m) => m.mountPoint === at.canonical)) throw csiError("Internal", `target ${target} is still mounted`);
    // rmdir(2) never follows a link in its last component: a link there is ENOTDIR.
    fs.rmdirSync(childPath(at.parent.fd, at.name));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTEMPTY" || code === "EEXIST") throw csiError("FailedPrecondition", `target ${target} is not empty after unmount; leaving it in place`);
    if (code === "ENOTDIR") throw csiError("FailedPrecondition", `target ${target} is not a directory`);
    if (code === "EBUSY") throw csiError("Internal", `target ${target} is still mounted`);
    throw targetFailure(e, target, "removed");
  } finally {
    at.close();
  }
}

/** Undo prepareTarget's mkdir after a failed publish: rmdir through the held parent, only if the entry is still that directory. */
export function removePreparedTarget(t: PreparedTarget): void {
  const entry = childPath(t.parent.fd, t.name);
  const st = fs.lstatSync(entry);
  if (st.dev !== t.dir.stat.dev || st.ino !== t.dir.stat.ino) return; // something else is there now (or a mount is on it)
  fs.rmdirSync(entry);
}

/** The mount id an open fd lives in (/proc/self/fdinfo "mnt_id", Linux 3.15+). */
export function mountIdOf(fd: number): number {
  const m = /^mnt_id:\s*(\d+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"));
  if (!m) throw new Error(`no mnt_id in /proc/self/fdinfo/${fd}`);
  return Number(m[1]);
}

/** The mount id of whatever `name` in the open parent leads to now (a mount on it, or the directory). */
export function mountIdAtName(parentFd: number, name: string): number {
  const fd = fs.openSync(childPath(parentFd, name), O_PATH | fs.constants.O_NOFOLLOW);
  try {
    return mountIdOf(fd);
  } finally {
    // An fd inside a mount makes it busy: close at once.
    fs.closeSync(fd);
  }
}
