/**
 * One metering walk over a file system's directory tree: the metered size of everything in it, and of
 * the subtrees rooted at given paths (access point roots). No symlink is followed (directories are opened
 * relative to their parent with O_NOFOLLOW), the walk stays on the file system's device (a mount inside
 * is not counted, bind mounts included), a hard-linked inode counts once, and at most `concurrency` stat calls are in flight.
 * Open directory handles are bounded by the tree depth: subdirectories are walked one after another.
 * Entries that vanish during the walk are skipped; the result is, like EFS's, not a snapshot.
 */
import { promises as fsp, constants } from "node:fs";
import { childPath, fdPath, mountsAtOrBelow } from "../../lib/safe-path/index.js";
import { meteredBytes } from "./metered-size.js";

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

export interface WalkResult {
  total: number;
  /** Metered bytes under each requested root that exists ("" is the file system root). */
  roots: Map<string, number>;
  objects: number;
}

interface WalkContext {
  dev: number;
  rootPath: string;
  /** Mount points inside the tree (bind mounts share the device number, so dev alone cannot tell). */
  mounts: Set<string>;
  wanted: Set<string>;
  roots: Map<string, number>;
  seenInodes: Set<number>;
  concurrency: number;
  objects: number;
}

function ignoreVanished<T>(p: Promise<T>): Promise<T | undefined> {
  return p.catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" || e.code === "ENOTDIR" || e.code === "ELOOP" ? undefined : Promise.reject(e)));
}

async function walkDir(handle: fsp.FileHandle, rel: string, ctx: WalkContext): Promise<number> {
  const self = await handle.stat();
  ctx.objects++;
  let total = meteredBytes({ kind: "directory", size: self.size, blocks: self.blocks });
  const names = (await ignoreVanished(fsp.readdir(fdPath(handle.fd)))) ?? [];
  const subdirs: string[] = [];
  for (let i = 0; i < names.length; i += ctx.concurrency) {
    const batch = names.slice(i, i + ctx.concurrency);
    const stats = await Promise.all(batch.map((n) => ignoreVanished(fsp.lstat(childPath(handle.fd, n)))));
    stats.forEach((st, j) => {
      if (!st) return;
      if (st.isDirectory()) {
        if (st.dev === ctx.dev) subdirs.push(batch[j]);
        return;
      }
      if (st.nlink > 1) {
        if (ctx.seenInodes.has(st.ino)) return;
        ctx.seenInodes.add(st.ino);
      }
      ctx.objects++;
      total += meteredBytes({ kind: st.isFile() ? "file" : "other", size: st.size, blocks: st.blocks });
    });
  }
  for (const name of subdirs) {
    const child = await ignoreVanished(fsp.open(childPath(handle.fd, name), DIR_FLAGS));
    if (!child) continue;
    try {
      const childRel = rel === "" ? name : `${rel}/${name}`;
      const st = await child.stat();
      if (st.dev !== ctx.dev || ctx.mounts.has(`${ctx.rootPath}/${childRel}`)) continue;
      total += await walkDir(child, childRel, ctx);
    } finally {
      await child.close();
    }
  }
  if (ctx.wanted.has(rel)) ctx.roots.set(rel, total);
  return total;
}

/** Walks the file system root directory at `rootPath` (a path this service made; its last component is not followed). */
export async function meterTree(rootPath: string, wantedRoots: Iterable<string>, concurrency = 16): Promise<WalkResult> {
  const root = await fsp.open(rootPath, DIR_FLAGS);
  try {
    const st = await root.stat();
    const ctx: WalkContext = { dev: st.dev, rootPath, mounts: new Set(mountsAtOrBelow(rootPath).map((m) => m.mountPoint)), wanted: new Set(wantedRoots), roots: new Map(), seenInodes: new Set(), concurrency, objects: 0 };
    const total = await walkDir(root, "", ctx);
    return { total, roots: ctx.roots, objects: ctx.objects };
  } finally {
    await root.close();
  }
}
