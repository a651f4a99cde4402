/**
 * Directory walking that never follows a symbolic link. Each step opens one name relative to the
 * already-open parent directory through `/proc/self/fd/<fd>/<name>` with O_NOFOLLOW|O_DIRECTORY, which is
 * openat(2) semantics in Node: the parent is the exact directory opened before (the magic link cannot be
 * swapped) and the single name is never followed. A planted symlink, a file where a directory is
 * expected, or a missing name stops the walk with a PathError naming the component.
 *
 * Private stand-in for the shared src/lib/safe-path primitive (not landed when this was written); the
 * surface here is deliberately small so it can be switched over.
 */
import { closeSync, constants, fchmodSync, fchownSync, fsyncSync, lstatSync, mkdirSync, openSync } from "node:fs";

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW; // libuv adds O_CLOEXEC itself

export type PathProblem = "missing" | "symlink" | "not-directory";

export class PathError extends Error {
  constructor(
    readonly problem: PathProblem,
    /** The components up to and including the offending one, joined with "/". */
    readonly at: string,
  ) {
    super(`${at}: ${problem === "missing" ? "does not exist" : problem === "symlink" ? "is a symbolic link" : "is not a directory"}`);
  }
}

/** The /proc path that names `name` inside the directory open as `fd` (or the directory itself). */
export function fdPath(fd: number, name?: string): string {
  return name === undefined ? `/proc/self/fd/${fd}` : `/proc/self/fd/${fd}/${name}`;
}

/** A single path component is safe to hand to fdPath: not empty, no "/", no NUL, not "." or "..". */
export function isSafeName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("\0") && Buffer.byteLength(name) <= 255;
}

/** Opens a trusted absolute directory path (an operator-given data dir), refusing a symlink at its end. */
export function openDir(path: string): number {
  return openSync(path, DIR_FLAGS);
}

function classify(parentFd: number, name: string, at: string, err: unknown): PathError | unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new PathError("missing", at);
  if (code === "ENOTDIR" || code === "ELOOP") {
    try {
      return new PathError(lstatSync(fdPath(parentFd, name)).isSymbolicLink() ? "symlink" : "not-directory", at);
    } catch {
      return new PathError("missing", at);
    }
  }
  return err;
}

/** Opens `name` inside `parentFd` as a directory without following it. Caller closes the result. */
export function openChildDir(parentFd: number, name: string, at = name): number {
  if (!isSafeName(name)) throw new Error(`unsafe path component ${JSON.stringify(name)}`);
  try {
    return openSync(fdPath(parentFd, name), DIR_FLAGS);
  } catch (err) {
    throw classify(parentFd, name, at, err);
  }
}

export interface NewDirectory {
  uid: number;
  gid: number;
  mode: number;
}

export interface WalkOptions {
  /**
   * Called for a missing component (index into the list): return how to create it, or undefined to
   * fail with PathError("missing"). Directories that already exist are never changed.
   */
  create?: (index: number) => NewDirectory | undefined;
}

export interface WalkResult {
  /** Open descriptor of the last directory; the caller must close it. */
  fd: number;
  /** Indexes of components this walk created. */
  created: number[];
}

/**
 * Walks `components` below the directory open as `rootFd` (which stays open and owned by the caller).
 * Created directories get their owner and mode set explicitly (no umask), and both the new directory and
 * its parent are fsynced so the creation is durable before the caller reports success.
 */
export function walkDirs(rootFd: number, components: string[], opts: WalkOptions = {}): WalkResult {
  const created: number[] = [];
  let fd = rootFd;
  try {
    for (let i = 0; i < components.length; i++) {
      const name = components[i];
      const at = components.slice(0, i + 1).join("/");
      let next: number;
      try {
        next = openChildDir(fd, name, at);
      } catch (err) {
        const spec = err instanceof PathError && err.problem === "missing" ? opts.create?.(i) : undefined;
        if (!spec) throw err;
        next = makeDir(fd, name, at, spec);
        created.push(i);
      }
      if (fd !== rootFd) closeSync(fd);
      fd = next;
    }
    // No components: hand back a second descriptor of the root itself. The /proc magic link names exactly
    // the open directory, so following it here is safe (and O_NOFOLLOW would refuse the link itself).
    return { fd: fd === rootFd ? openSync(fdPath(rootFd), constants.O_RDONLY | constants.O_DIRECTORY) : fd, created };
  } catch (err) {
    if (fd !== rootFd) closeSync(fd);
    throw err;
  }
}

function makeDir(parentFd: number, name: string, at: string, spec: NewDirectory): number {
  try {
    mkdirSync(fdPath(parentFd, name), 0o700); // tight until owner and mode are in place
  } catch (err) {
    // Lost a race with another creator: use what is there, under the same no-follow rules.
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return openChildDir(parentFd, name, at);
    throw err;
  }
  const fd = openChildDir(parentFd, name, at);
  try {
    fchownSync(fd, spec.uid, spec.gid);
    fchmodSync(fd, spec.mode);
    fsyncSync(fd);
    fsyncSync(parentFd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}
