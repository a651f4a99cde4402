/**
 * openBeneath / mkdirBeneath / resolveBeneath: open a user-named path below a trusted root one component at a time.
 * Intermediate components are opened O_PATH|O_DIRECTORY|O_NOFOLLOW through the previous fd's /proc magic link, so a
 * symlink anywhere (including one swapped in mid-walk) makes the open fail instead of being followed. The object
 * finally opened is re-checked against the root through its own /proc link, which catches a directory that was
 * renamed out of the root while we held it.
 */
import * as fs from "node:fs";
import { SafePathError, errnoCode } from "./errors.js";
import { O_PATH, childPath, closeQuietly, fdPath, fdRealPath, isPathWithin } from "./fd-path.js";
import { validateRelativePath } from "./validate.js";

const { O_RDONLY, O_WRONLY, O_RDWR, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK, O_CREAT, O_EXCL } = fs.constants;
const ACCESS_MASK = O_RDONLY | O_WRONLY | O_RDWR;

export interface Ownership {
  mode: number;
  uid: number;
  gid: number;
}

export interface OpenBeneathOptions {
  /** The final component must be a directory (opened O_RDONLY|O_DIRECTORY unless pathOnly). */
  directory?: boolean;
  /** Open O_PATH: any type but a symlink (file, directory, socket, fifo...); the fd can be stat'ed and bind-mounted, not read. */
  pathOnly?: boolean;
  /** Flags for a regular file: O_RDONLY (default), O_WRONLY, O_RDWR, optionally O_APPEND / O_TRUNC. */
  flags?: number;
  /** Create the final component if it does not exist (a directory when `directory`, else a regular file). Parents must exist. */
  create?: Ownership;
}

/** An open fd guaranteed (at open time) to be beneath the root. The caller must close() it. */
export interface BeneathHandle {
  fd: number;
  stat: fs.Stats;
  /** "/proc/self/fd/N": hand this to fs APIs that take a path to act on exactly this object. */
  procPath: string;
  /** Where the object lives, as the kernel reports it (informational: it can change after the open). */
  realPath: string;
  /** True if this call created the final component. */
  created: boolean;
  close(): void;
}

function handle(fd: number, realPath: string, created: boolean): BeneathHandle {
  let open = true;
  return {
    fd,
    stat: fs.fstatSync(fd),
    procPath: fdPath(fd),
    realPath,
    created,
    close() {
      if (open) closeQuietly(fd);
      open = false;
    },
  };
}

/** Explain why opening `name` in `dirFd` failed, looking at the entry itself without following it. */
function explain(e: unknown, dirFd: number, name: string, rel: string, intermediate: boolean): Error {
  const code = errnoCode(e);
  if (code === "ENOENT") return new SafePathError("NotFound", rel, `${JSON.stringify(rel)}: ${JSON.stringify(name)} does not exist`);
  if (code === "ELOOP" || code === "ENOTDIR" || code === "ENXIO") {
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(childPath(dirFd, name));
    } catch {
      st = undefined;
    }
    if (st?.isSymbolicLink() || code === "ELOOP") {
      return new SafePathError("SymlinkRefused", rel, `${JSON.stringify(rel)}: ${JSON.stringify(name)} is a symbolic link, which is not followed`);
    }
    return new SafePathError(intermediate ? "NotDirectory" : "WrongType", rel, `${JSON.stringify(rel)}: ${JSON.stringify(name)} has the wrong file type`);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** Open the trusted root. The root path itself is the caller's (not user input) and may contain symlinks. */
export function openRoot(rootDir: string): { fd: number; real: string } {
  if (!rootDir.startsWith("/")) throw new SafePathError("InvalidPath", rootDir, "root must be an absolute path");
  const fd = fs.openSync(rootDir, O_PATH | O_DIRECTORY);
  try {
    return { fd, real: fdRealPath(fd) };
  } catch (e) {
    closeQuietly(fd);
    throw e;
  }
}

/** Open one directory component below dirFd, never following a symlink. */
function openDirStep(dirFd: number, name: string, rel: string, create?: Ownership, intermediate = true): { fd: number; created: boolean } {
  let created = false;
  if (create) {
    try {
      fs.mkdirSync(childPath(dirFd, name), create.mode);
      created = true;
    } catch (e) {
      if (errnoCode(e) !== "EEXIST") throw explain(e, dirFd, name, rel, intermediate);
    }
  }
  let fd: number;
  try {
    // A directory we created is opened readable so we can chown it through the fd.
    fd = fs.openSync(childPath(dirFd, name), (created ? O_RDONLY : O_PATH) | O_DIRECTORY | O_NOFOLLOW);
  } catch (e) {
    throw explain(e, dirFd, name, rel, intermediate);
  }
  if (created && create) {
    try {
      fs.fchownSync(fd, create.uid, create.gid);
      fs.fchmodSync(fd, create.mode); // mkdir's mode is filtered by the umask; set it exactly
    } catch (e) {
      closeQuietly(fd);
      throw e;
    }
  }
  return { fd, created };
}

/** Walk all but the last component; returns the parent directory fd (caller closes) and the last name. */
function walkToParent(rootFd: number, parts: string[], rel: string, create?: Ownership): number {
  let dirFd = fs.openSync(fdPath(rootFd), O_PATH | O_DIRECTORY);
  try {
    for (const name of parts.slice(0, -1)) {
      const next = openDirStep(dirFd, name, rel, create).fd;
      closeQuietly(dirFd);
      dirFd = next;
    }
    return dirFd;
  } catch (e) {
    closeQuietly(dirFd);
    throw e;
  }
}

function finalFlags(opts: OpenBeneathOptions): number {
  if (opts.pathOnly) return O_PATH | O_NOFOLLOW | (opts.directory ? O_DIRECTORY : 0);
  if (opts.directory) return O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
  // O_NONBLOCK: a fifo planted where a file is expected must not hang us in open(2).
  return (opts.flags ?? O_RDONLY) | O_NOFOLLOW | O_NONBLOCK;
}

function openFinalFile(dirFd: number, name: string, rel: string, opts: OpenBeneathOptions): { fd: number; created: boolean } {
  const flags = finalFlags(opts);
  const path = childPath(dirFd, name);
  if (opts.create && !opts.directory) {
    const createFlags = (opts.pathOnly ? O_WRONLY : flags & ~O_PATH) | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK;
    let fd: number | undefined;
    try {
      fd = fs.openSync(path, createFlags, opts.create.mode);
    } catch (e) {
      if (errnoCode(e) !== "EEXIST") throw explain(e, dirFd, name, rel, false);
    }
    if (fd !== undefined) {
      try {
        fs.fchownSync(fd, opts.create.uid, opts.create.gid);
        fs.fchmodSync(fd, opts.create.mode);
      } catch (e) {
        closeQuietly(fd);
        throw e;
      }
      if (!opts.pathOnly) return { fd, created: true };
      closeQuietly(fd);
      try {
        return { fd: fs.openSync(path, flags), created: true };
      } catch (e) {
        throw explain(e, dirFd, name, rel, false);
      }
    }
  }
  if (opts.create && opts.directory) {
    const step = openDirStep(dirFd, name, rel, opts.create, false);
    closeQuietly(step.fd);
    try {
      return { fd: fs.openSync(path, flags), created: step.created };
    } catch (e) {
      throw explain(e, dirFd, name, rel, false);
    }
  }
  try {
    return { fd: fs.openSync(path, flags), created: false };
  } catch (e) {
    throw explain(e, dirFd, name, rel, false);
  }
}

function checkOpened(fd: number, rootReal: string, rel: string, opts: OpenBeneathOptions): string {
  const st = fs.fstatSync(fd);
  if (st.isSymbolicLink()) throw new SafePathError("SymlinkRefused", rel, `${JSON.stringify(rel)} is a symbolic link`);
  if (opts.directory && !st.isDirectory()) throw new SafePathError("WrongType", rel, `${JSON.stringify(rel)} is not a directory`);
  if (!opts.pathOnly && !st.isDirectory() && !st.isFile()) {
    throw new SafePathError("WrongType", rel, `${JSON.stringify(rel)} is not a regular file or directory`);
  }
  const real = fdRealPath(fd);
  if (!isPathWithin(rootReal, real)) {
    throw new SafePathError("Escape", rel, `${JSON.stringify(rel)} resolved outside its root`);
  }
  return real;
}

/**
 * Open `relPath` beneath `rootDir` without following any symlink. The empty path opens the root itself.
 * Throws SafePathError (InvalidPath, SymlinkRefused, NotFound, NotDirectory, WrongType, Escape).
 * With `create`, a missing final component is created with exactly that mode and owner; an existing one is opened
 * unchanged (`created` tells which). Repeat calls are harmless.
 */
export function openBeneath(rootDir: string, relPath: string, opts: OpenBeneathOptions = {}): BeneathHandle {
  const parts = validateRelativePath(relPath);
  if (opts.flags !== undefined && opts.flags & ~(ACCESS_MASK | fs.constants.O_APPEND | fs.constants.O_TRUNC)) {
    throw new SafePathError("InvalidPath", relPath, "openBeneath flags may only be access mode, O_APPEND and O_TRUNC");
  }
  const root = openRoot(rootDir);
  try {
    let fd: number;
    let created = false;
    if (parts.length === 0) {
      fd = fs.openSync(fdPath(root.fd), opts.pathOnly ? O_PATH | O_DIRECTORY : O_RDONLY | O_DIRECTORY);
    } else {
      const parentFd = walkToParent(root.fd, parts, relPath);
      try {
        ({ fd, created } = openFinalFile(parentFd, parts[parts.length - 1], relPath, opts));
      } finally {
        closeQuietly(parentFd);
      }
    }
    try {
      return handle(fd, checkOpened(fd, root.real, relPath, opts), created);
    } catch (e) {
      closeQuietly(fd);
      throw e;
    }
  } finally {
    closeQuietly(root.fd);
  }
}

/**
 * mkdir -p beneath root that never follows a link: each missing component is created with `own` (mode, uid, gid);
 * existing components are left as they are. Returns the final directory open O_RDONLY (caller closes).
 * A symlink or non-directory anywhere on the way fails the call (SymlinkRefused / NotDirectory).
 */
export function mkdirBeneath(rootDir: string, relPath: string, own: Ownership): BeneathHandle {
  const parts = validateRelativePath(relPath);
  const root = openRoot(rootDir);
  try {
    let dirFd = fs.openSync(fdPath(root.fd), O_PATH | O_DIRECTORY);
    let created = false;
    try {
      for (const name of parts) {
        const step = openDirStep(dirFd, name, relPath, own);
        closeQuietly(dirFd);
        dirFd = step.fd;
        created = step.created;
      }
      const fd = fs.openSync(fdPath(dirFd), O_RDONLY | O_DIRECTORY);
      try {
        return handle(fd, checkOpened(fd, root.real, relPath, { directory: true }), created);
      } catch (e) {
        closeQuietly(fd);
        throw e;
      }
    } finally {
      closeQuietly(dirFd);
    }
  } finally {
    closeQuietly(root.fd);
  }
}

/**
 * Open the parent directory of `relPath` (which must name something below the root) and return it with the final
 * name, for operations that act on a name (unlink, rmdir, symlink, rename, link) through childPath(parent.fd, name).
 * With `create`, missing parents are created like mkdirBeneath.
 */
export function openParentBeneath(rootDir: string, relPath: string, create?: Ownership): { parent: BeneathHandle; name: string } {
  const parts = validateRelativePath(relPath);
  if (parts.length === 0) throw new SafePathError("IsRoot", relPath, "the root has no parent beneath itself");
  const parentRel = parts.slice(0, -1).join("/");
  const parent = create ? mkdirBeneath(rootDir, parentRel, create) : openBeneath(rootDir, parentRel, { directory: true });
  return { parent, name: parts[parts.length - 1] };
}

/** Open, run `fn`, close. */
export function withBeneath<T>(rootDir: string, relPath: string, opts: OpenBeneathOptions, fn: (h: BeneathHandle) => T): T {
  const h = openBeneath(rootDir, relPath, opts);
  try {
    return fn(h);
  } finally {
    h.close();
  }
}

/**
 * Verify `relPath` has no symlink component and return its current absolute path and stat. The answer is a snapshot:
 * anything that must not race (mounting, deleting, writing) should keep using the fd from openBeneath instead.
 */
export function resolveBeneath(rootDir: string, relPath: string): { path: string; stat: fs.Stats } {
  return withBeneath(rootDir, relPath, { pathOnly: true }, (h) => ({ path: h.realPath, stat: h.stat }));
}

/** lstat of `relPath` beneath root (the final component is not followed); undefined if it does not exist. */
export function lstatBeneath(rootDir: string, relPath: string): fs.Stats | undefined {
  const parts = validateRelativePath(relPath);
  if (parts.length === 0) return fs.statSync(rootDir);
  const root = openRoot(rootDir);
  try {
    let parentFd: number;
    try {
      parentFd = walkToParent(root.fd, parts, relPath);
    } catch (e) {
      if (e instanceof SafePathError && e.code === "NotFound") return undefined;
      throw e;
    }
    try {
      return fs.lstatSync(childPath(parentFd, parts[parts.length - 1]));
    } catch (e) {
      if (errnoCode(e) === "ENOENT") return undefined;
      throw e;
    } finally {
      closeQuietly(parentFd);
    }
  } finally {
    closeQuietly(root.fd);
  }
}
