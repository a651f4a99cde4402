/**
 * Bytes and inodes used below a directory (what `du` would report), walked with lstat only: links are counted,
 * never followed, and other file systems (mounts below) are not entered. Bounded: at most `maxEntries` entries
 * are visited; past that the figures are a lower bound.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";

export interface DirUsage {
  bytes: number;
  inodes: number;
}

export async function dirUsage(dir: string, maxEntries = 200_000): Promise<DirUsage> {
  const root = await fsp.lstat(dir);
  const out: DirUsage = { bytes: root.blocks * 512, inodes: 1 };
  const stack = [dir];
  let seen = 0;
  while (stack.length && seen < maxEntries) {
    const d = stack.pop() as string;
    let names: string[];
    try {
      names = await fsp.readdir(d);
    } catch {
      continue;
    }
    for (const n of names) {
      if (++seen > maxEntries) break;
      const p = path.join(d, n);
      let st;
      try {
        st = await fsp.lstat(p);
      } catch {
        continue;
      }
      if (st.dev !== root.dev) continue;
      out.inodes++;
      out.bytes += st.blocks * 512;
      if (st.isDirectory()) stack.push(p);
    }
  }
  return out;
}
