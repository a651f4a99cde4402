/**
 * NodeGetVolumeStats figures. Used bytes and inodes come from a walk of the served directory (what
 * `du` counts: allocated blocks), which never follows a symlink and never leaves the directory's
 * file system; it is cached and redone at most once per refresh period (default 60 s), and callers
 * arriving during a walk share it. Capacity and available come from statfs of the host directory:
 * the real disk's figures, not the 8 EiB EFS reports (#1242).
 */
import * as fs from "node:fs";
import { childPath, fdPath } from "../lib/safe-path/index.js";
import type { VolumeUsage } from "./spec.js";

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;

export interface TreeUsage {
  bytes: number;
  inodes: number;
  /** True when the walk stopped at maxEntries (the figures are then a lower bound). */
  truncated: boolean;
}

export interface WalkLimits {
  maxEntries: number;
  maxDepth: number;
}

const DEFAULT_LIMITS: WalkLimits = { maxEntries: 5_000_000, maxDepth: 1000 };

/** Walk the directory open as `dirFd`; every child directory is entered by fd with O_NOFOLLOW. */
export async function walkUsage(dirFd: number, limits: WalkLimits = DEFAULT_LIMITS): Promise<TreeUsage> {
  const root = await fs.promises.stat(fdPath(dirFd));
  const acc: TreeUsage = { bytes: root.blocks * 512, inodes: 1, truncated: false };
  const walk = async (fd: number, depth: number): Promise<void> => {
    if (depth > limits.maxDepth) return;
    let names: string[];
    try {
      names = await fs.promises.readdir(fdPath(fd));
    } catch {
      return; // removed or unreadable meanwhile: count what we can
    }
    for (const name of names) {
      if (acc.inodes >= limits.maxEntries) {
        acc.truncated = true;
        return;
      }
      let st: fs.Stats;
      try {
        st = await fs.promises.lstat(childPath(fd, name));
      } catch {
        continue;
      }
      acc.bytes += st.blocks * 512;
      acc.inodes++;
      if (!st.isDirectory() || st.dev !== root.dev) continue;
      let child: fs.promises.FileHandle;
      try {
        child = await fs.promises.open(childPath(fd, name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      } catch {
        continue; // swapped for a link or removed: not followed
      }
      try {
        await walk(child.fd, depth + 1);
      } finally {
        await child.close();
      }
    }
  };
  await walk(dirFd, 0);
  return acc;
}

/** Capacity and free space of the file system holding the directory open as `dirFd`. */
export async function diskFigures(dirFd: number): Promise<{ totalBytes: number; availableBytes: number; totalInodes: number; freeInodes: number }> {
  const s = await fs.promises.statfs(fdPath(dirFd));
  return { totalBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize, totalInodes: s.files, freeInodes: s.ffree };
}

interface CacheEntry {
  at: number;
  usage?: TreeUsage;
  pending?: Promise<TreeUsage>;
}

export class VolumeStatsCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(
    private readonly refreshMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Cached usage for `key`, walking `dirFd` only when the cache is older than the refresh period. */
  async usage(key: string, dirFd: number, limits?: WalkLimits): Promise<TreeUsage> {
    const e = this.entries.get(key);
    if (e?.usage && this.now() - e.at < this.refreshMs) return e.usage;
    if (e?.pending) return e.pending;
    const entry: CacheEntry = e ?? { at: 0 };
    entry.pending = walkUsage(dirFd, limits).then(
      (u) => {
        entry.usage = u;
        entry.at = this.now();
        entry.pending = undefined;
        return u;
      },
      (err) => {
        entry.pending = undefined;
        throw err;
      },
    );
    this.entries.set(key, entry);
    return entry.pending;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

export function toVolumeUsage(tree: TreeUsage, disk: Awaited<ReturnType<typeof diskFigures>>): VolumeUsage[] {
  return [
    { unit: "BYTES", total: disk.totalBytes, available: disk.availableBytes, used: tree.bytes },
    { unit: "INODES", total: disk.totalInodes, available: disk.freeInodes, used: tree.inodes },
  ];
}
