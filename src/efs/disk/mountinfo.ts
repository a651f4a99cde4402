/**
 * Mount points of this process's mount namespace, from /proc/self/mountinfo (field 5, with the kernel's
 * octal escapes for space, tab, newline and backslash decoded). Used so that recursive removal never
 * descends into something mounted inside the tree, including bind mounts of the same filesystem, which
 * a device-number comparison alone cannot see.
 */
import { readFileSync } from "node:fs";

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMountPoints(text: string): Set<string> {
  const points = new Set<string>();
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    if (fields.length >= 5) points.add(unescape(fields[4]));
  }
  return points;
}

/** Mount points at or below `dir` (absolute, no trailing slash). */
export function mountPointsUnder(dir: string, source = "/proc/self/mountinfo"): Set<string> {
  const all = parseMountPoints(readFileSync(source, "utf8"));
  const under = new Set<string>();
  for (const p of all) if (p === dir || p.startsWith(dir + "/")) under.add(p);
  return under;
}
