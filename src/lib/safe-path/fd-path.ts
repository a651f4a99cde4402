/**
 * Node has no openat(2). Every "*at" operation here goes through the /proc magic link of an already-open
 * directory fd: the kernel resolves "/proc/self/fd/N" to exactly the object behind N (no path re-walk), and only
 * the single name after it is looked up, so no symlink elsewhere in the path can be substituted.
 */
import * as fs from "node:fs";

/** O_PATH (Linux, all common architectures): an fd that names an object without opening it for I/O. */
export const O_PATH = 0o10000000;

/** The magic-link path of an fd in this process. */
export function fdPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}

/** The same fd as seen from another process (e.g. mount(8) run as a child): /proc/<our pid>/fd/N. */
export function fdPathForChild(fd: number): string {
  return `/proc/${process.pid}/fd/${fd}`;
}

/** The path of `name` inside the directory open as `dirFd`. `name` must already be validated (no "/"). */
export function childPath(dirFd: number, name: string): string {
  return `${fdPath(dirFd)}/${name}`;
}

/** Where the kernel says an fd lives (as a path from our root). Used as a containment post-check. */
export function fdRealPath(fd: number): string {
  return fs.readlinkSync(fdPath(fd));
}

/** True when `p` is `root` or lies below it, comparing whole components. */
export function isPathWithin(root: string, p: string): boolean {
  if (p === root) return true;
  const prefix = root.endsWith("/") ? root : root + "/";
  return p.startsWith(prefix);
}

export function closeQuietly(fd: number | undefined): void {
  if (fd === undefined || fd < 0) return;
  try {
    fs.closeSync(fd);
  } catch {
    // already closed: nothing to release
  }
}
