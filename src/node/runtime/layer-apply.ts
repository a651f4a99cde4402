/**
 * Applying one image layer (a tar stream) onto a rootfs directory, with OCI/Docker whiteouts:
 *   ".wh.<name>"       deletes <name> from the layers below;
 *   ".wh..wh..opq"     makes its directory opaque: everything below from earlier layers is deleted.
 * Every write goes through safe-path: entry names must be plain relative paths (no "..", not absolute); no entry
 * may be written through a symlink (a layer that plants "x -> /etc" and then writes "x/passwd" is refused);
 * absolute symlink targets are rewritten to the equivalent relative target, and relative targets that climb above
 * the rootfs are refused, so nothing extracted points outside the rootfs from the host's point of view either.
 * Device nodes and fifos are skipped (containers get /dev from the runtime).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Logger } from "../../lib/log.js";
import {
  SafePathError,
  childPath,
  lstatBeneath,
  mkdirBeneath,
  openBeneath,
  openParentBeneath,
  removeTreeBeneath,
  validateRelativePath,
} from "../../lib/safe-path/index.js";
import { RuntimeError } from "./errors.js";
import { readTar, type TarEntry, type TarMember } from "./tar-reader.js";

const WHITEOUT = ".wh.";
const OPAQUE = ".wh..wh..opq";
const PARENT_DIR = { mode: 0o755, uid: 0, gid: 0 };

function refused(entry: string, why: string, cause?: unknown): RuntimeError {
  return new RuntimeError("ImageRefused", `layer entry ${JSON.stringify(entry)}: ${why}`, { cause });
}

/** "./a/b/" -> "a/b"; "" or "./" -> "" (the root). Anything else odd is refused by validateRelativePath. */
export function normalizeEntryName(raw: string): string {
  if (raw.startsWith("/")) throw refused(raw, "absolute paths are not allowed");
  let name = raw;
  while (name.startsWith("./")) name = name.slice(2);
  if (name === ".") name = "";
  while (name.endsWith("/")) name = name.slice(0, -1);
  try {
    validateRelativePath(name);
  } catch (e) {
    throw refused(raw, "not a plain relative path", e);
  }
  return name;
}

/**
 * The target a symlink at `linkRel` may have inside the rootfs: absolute targets become relative (same meaning
 * inside the container, where "/" is the rootfs); relative targets must not climb above the rootfs.
 */
export function containedLinkTarget(linkRel: string, target: string): string {
  if (target === "" || target.includes("\0")) throw refused(linkRel, "empty or NUL symlink target");
  const dir = path.posix.dirname("/" + linkRel);
  if (target.startsWith("/")) {
    const rel = path.posix.relative(dir, path.posix.normalize(target));
    return rel === "" ? "." : rel;
  }
  // Lexical walk: ".." at the top would leave the rootfs on the host.
  const depth = dir.split("/").filter(Boolean);
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (depth.length === 0) throw refused(linkRel, `symlink target ${JSON.stringify(target)} points outside the rootfs`);
      depth.pop();
    } else depth.push(part);
  }
  return target;
}

interface LayerState {
  rootfs: string;
  /** Paths created or replaced by this layer (and their parents): an opaque marker keeps these. */
  touched: Set<string>;
  log?: Logger;
}

function touch(st: LayerState, rel: string): void {
  const parts = rel.split("/");
  for (let i = 1; i <= parts.length; i++) st.touched.add(parts.slice(0, i).join("/"));
}

function parentOf(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i < 0 ? "" : rel.slice(0, i);
}

async function applyWhiteout(st: LayerState, rel: string, base: string): Promise<void> {
  const dir = parentOf(rel);
  if (base === OPAQUE) {
    let names: string[];
    try {
      const h = openBeneath(st.rootfs, dir, { directory: true });
      try {
        names = fs.readdirSync(h.procPath);
      } finally {
        h.close();
      }
    } catch (e) {
      if (e instanceof SafePathError && e.code === "NotFound") return;
      throw e;
    }
    for (const n of names) {
      const child = dir ? `${dir}/${n}` : n;
      if (!st.touched.has(child)) await removeTreeBeneath(st.rootfs, child);
    }
    return;
  }
  const victim = base.slice(WHITEOUT.length);
  if (!victim) throw refused(rel, "empty whiteout");
  await removeTreeBeneath(st.rootfs, dir ? `${dir}/${victim}` : victim);
}

/** Remove whatever is at rel unless it is a directory and we are about to write a directory. */
async function clearFor(st: LayerState, rel: string, type: TarEntry["type"]): Promise<fs.Stats | undefined> {
  const existing = lstatBeneath(st.rootfs, rel);
  if (!existing) return undefined;
  if (type === "dir" && existing.isDirectory()) return existing;
  await removeTreeBeneath(st.rootfs, rel);
  return undefined;
}

async function writeFile(st: LayerState, rel: string, m: TarMember): Promise<void> {
  const e = m.entry;
  const h = openBeneath(st.rootfs, rel, { flags: fs.constants.O_WRONLY, create: { mode: e.mode, uid: e.uid, gid: e.gid } });
  try {
    for await (const chunk of m.body()) {
      let off = 0;
      while (off < chunk.length) off += fs.writeSync(h.fd, chunk, off, chunk.length - off);
    }
    fs.futimesSync(h.fd, e.mtime, e.mtime);
  } finally {
    h.close();
  }
}

function writeDir(st: LayerState, rel: string, e: TarEntry, existed: boolean): void {
  if (rel === "") return; // the rootfs itself keeps its own owner and mode
  const h = openBeneath(st.rootfs, rel, { directory: true, create: { mode: e.mode, uid: e.uid, gid: e.gid } });
  try {
    if (existed) {
      fs.fchownSync(h.fd, e.uid, e.gid);
      fs.fchmodSync(h.fd, e.mode);
    }
  } finally {
    h.close();
  }
}

function writeSymlink(st: LayerState, rel: string, e: TarEntry): void {
  const target = containedLinkTarget(rel, e.linkname);
  const { parent, name } = openParentBeneath(st.rootfs, rel);
  try {
    fs.symlinkSync(target, childPath(parent.fd, name));
    fs.lchownSync(childPath(parent.fd, name), e.uid, e.gid);
  } finally {
    parent.close();
  }
}

function writeHardlink(st: LayerState, rel: string, e: TarEntry): void {
  const sourceRel = normalizeEntryName(e.linkname);
  const srcStat = lstatBeneath(st.rootfs, sourceRel);
  if (!srcStat || !(srcStat.isFile() || srcStat.isSymbolicLink())) {
    throw refused(rel, `hard link to ${JSON.stringify(e.linkname)}, which is not a file extracted earlier`);
  }
  const src = openParentBeneath(st.rootfs, sourceRel);
  try {
    const dst = openParentBeneath(st.rootfs, rel);
    try {
      // link(2) does not follow a final symlink in the source, and both names are reached through open fds.
      fs.linkSync(childPath(src.parent.fd, src.name), childPath(dst.parent.fd, dst.name));
    } finally {
      dst.parent.close();
    }
  } finally {
    src.parent.close();
  }
}

async function applyEntry(st: LayerState, m: TarMember): Promise<void> {
  const e = m.entry;
  const rel = normalizeEntryName(e.name);
  const base = rel.slice(rel.lastIndexOf("/") + 1);
  if (base.startsWith(WHITEOUT)) return applyWhiteout(st, rel, base);
  if (rel === "") return; // an entry for the root directory itself
  if (e.type === "char" || e.type === "block" || e.type === "fifo" || e.type === "other") {
    st.log?.debug("skipping special file in layer", { entry: rel, type: e.type });
    return;
  }
  // Parents missing from the archive are created like `tar` does; any symlink on the way is refused.
  mkdirBeneath(st.rootfs, parentOf(rel), PARENT_DIR).close();
  const existing = await clearFor(st, rel, e.type);
  touch(st, rel);
  if (e.type === "dir") return writeDir(st, rel, e, !!existing);
  if (e.type === "file") return writeFile(st, rel, m);
  if (e.type === "symlink") return writeSymlink(st, rel, e);
  return writeHardlink(st, rel, e);
}

/** Apply a layer's tar stream to `rootfs`. Throws RuntimeError("ImageRefused") on anything unsafe or malformed. */
export async function applyLayer(rootfs: string, layer: AsyncIterable<Buffer>, log?: Logger): Promise<number> {
  const st: LayerState = { rootfs, touched: new Set(), log };
  let count = 0;
  for await (const m of readTar(layer)) {
    try {
      await applyEntry(st, m);
    } catch (e) {
      if (e instanceof RuntimeError) throw e;
      if (e instanceof SafePathError) throw refused(m.entry.name, `${e.code}: ${e.message}`, e);
      throw e;
    }
    count++;
  }
  return count;
}
