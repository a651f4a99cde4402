/** Reads /proc/self/mountinfo (proc(5)): which mounts sit on a path, and of what type. */
import { readFileSync } from "node:fs";

export interface MountEntry {
  id: number;
  mountPoint: string;
  fsType: string;
  source: string;
  options: string;
}

/** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const fields = line.split(" ");
    const sep = fields.indexOf("-", 6);
    if (sep < 0 || fields.length < sep + 3) continue;
    entries.push({
      id: Number(fields[0]),
      mountPoint: unescape(fields[4]),
      options: fields[5],
      fsType: fields[sep + 1],
      source: unescape(fields[sep + 2]),
    });
  }
  return entries;
}

export function readMountinfo(): MountEntry[] {
  return parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"));
}

export const EFS_FUSE_FSTYPE = "fuse.efs";

/** efs-fuse mounts currently on mountPoint, innermost (newest) last. */
export function efsFuseMountsAt(mountPoint: string, entries: MountEntry[] = readMountinfo()): MountEntry[] {
  return entries.filter((e) => e.mountPoint === mountPoint && e.fsType === EFS_FUSE_FSTYPE);
}
