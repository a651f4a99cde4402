/**
 * /proc/self/mountinfo, parsed. st_dev alone cannot see a bind mount of the same file system, so mount-point
 * questions (is this a mount point? does this tree contain one?) are answered from the kernel's mount table.
 */
import * as fs from "node:fs";
import { isPathWithin } from "./fd-path.js";

export interface MountInfo {
  id: number;
  parentId: number;
  /** "major:minor" of the mounted file system. */
  device: string;
  /** The directory of the file system that is mounted here (not "/" for bind mounts of a sub-directory). */
  root: string;
  mountPoint: string;
  /** Per-mount options, e.g. ["rw", "relatime"] or ["ro", ...]. */
  options: string[];
  /** Optional fields such as "shared:12", "master:3". */
  propagation: string[];
  fsType: string;
  source: string;
  superOptions: string[];
}

/** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMountInfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const fields = line.split(" ");
    const sep = fields.indexOf("-", 6);
    if (sep < 0 || fields.length < sep + 3) continue;
    out.push({
      id: Number(fields[0]),
      parentId: Number(fields[1]),
      device: fields[2],
      root: unescape(fields[3]),
      mountPoint: unescape(fields[4]),
      options: fields[5].split(","),
      propagation: fields.slice(6, sep),
      fsType: fields[sep + 1],
      source: unescape(fields[sep + 2]),
      superOptions: (fields[sep + 3] ?? "").split(","),
    });
  }
  return out;
}

export function readMountInfo(): MountInfo[] {
  return parseMountInfo(fs.readFileSync("/proc/self/mountinfo", "utf8"));
}

/** True if an absolute, symlink-free path is a mount point. Callers resolve the path first (realpath or an fd's link). */
export function isMountPointPath(realPath: string, table: MountInfo[] = readMountInfo()): boolean {
  return table.some((m) => m.mountPoint === realPath);
}

/** Mount points at or below `realPath` (the path itself included), innermost last in table order. */
export function mountsAtOrBelow(realPath: string, table: MountInfo[] = readMountInfo()): MountInfo[] {
  return table.filter((m) => isPathWithin(realPath, m.mountPoint));
}

/** Is `path` a mount point? Resolves symlinks in `path` (it is the caller's own path); false if it does not exist. */
export function isMountPoint(path: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync(path);
  } catch {
    return false;
  }
  return isMountPointPath(real);
}

/** The top-most mount at exactly `realPath`, if any (later lines stack on earlier ones). */
export function topMountAt(realPath: string, table: MountInfo[] = readMountInfo()): MountInfo | undefined {
  const at = table.filter((m) => m.mountPoint === realPath);
  return at[at.length - 1];
}
