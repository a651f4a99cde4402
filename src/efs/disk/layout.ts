/**
 * Where the service keeps things under its data directory:
 *
 *   <dataDir>/meta.db (+ -wal, -shm)   metadata (persistence/metadata-store.ts)
 *   <dataDir>/credentials.json         generated credentials, mode 0600 (persistence/credentials.ts)
 *   <dataDir>/fs/                      mode 0711: traversable, not listable by other users
 *   <dataDir>/fs/<fs-id>/              one file system's root directory, root:root 0755
 *   <dataDir>/trash/<fs-id>.<ms>/      a deleted file system's tree, being removed in the background
 *
 * The data directory itself is operator input and trusted; everything below it is reached through
 * src/lib/safe-path (no symlink followed, removal never crosses a mount). Deleting a file system renames
 * its directory into trash/ (atomic, durable) before the metadata delete is acknowledged; the slow
 * recursive removal happens afterwards and resumes at the next start if interrupted. A tree with a
 * mount point inside stays in trash/ (reported) until that mount is gone.
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, constants } from "node:fs";
import { join } from "node:path";
import { isSafePathError, openBeneath, removeTreeBeneath, type BeneathHandle } from "../../lib/safe-path/index.js";
import { FS_ID } from "../ids.js";

function ensurePlainDir(path: string, mode: number): void {
  try {
    mkdirSync(path, { mode });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  if (!lstatSync(path).isDirectory()) throw new Error(`${path} must be a directory (not a symlink or file)`);
}

/** fsync a directory so that entries created, renamed or removed in it are durable. */
export function fsyncDir(path: string): void {
  const fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class DataLayout {
  readonly root: string;
  readonly fsRoot: string;
  readonly trashRoot: string;
  readonly metaDb: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    this.root = realpathSync(dataDir);
    this.fsRoot = join(this.root, "fs");
    this.trashRoot = join(this.root, "trash");
    this.metaDb = join(this.root, "meta.db");
    ensurePlainDir(this.fsRoot, 0o711);
    ensurePlainDir(this.trashRoot, 0o700);
  }

  fileSystemDir(id: string): string {
    if (!FS_ID.test(id)) throw new Error(`not a file system id: ${id}`);
    return join(this.fsRoot, id);
  }

  /** Creates the file system's root directory if absent (root:root 0755 when running as root); durable on return. */
  ensureFileSystemDir(id: string): void {
    this.fileSystemDir(id);
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    const h = openBeneath(this.fsRoot, id, { directory: true, create: { mode: 0o755, uid, gid } });
    try {
      if (h.created) {
        fsyncSync(h.fd);
        fsyncDir(this.fsRoot);
      }
    } finally {
      h.close();
    }
  }

  /**
   * Opens the file system's root directory without following a symlink. Its `procPath` names exactly that
   * directory and can serve as the root of further safe-path calls. Caller closes.
   */
  openFileSystemDir(id: string): BeneathHandle {
    this.fileSystemDir(id);
    return openBeneath(this.fsRoot, id, { directory: true });
  }

  /** Moves a file system's directory into trash/ durably; returns the trash path, or undefined if absent. */
  moveToTrash(id: string): string | undefined {
    const from = this.fileSystemDir(id);
    const name = `${id}.${Date.now()}`;
    try {
      renameSync(from, join(this.trashRoot, name)); // rename(2) moves the name itself; a symlink would move as a link
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    fsyncDir(this.fsRoot);
    fsyncDir(this.trashRoot);
    return join(this.trashRoot, name);
  }

  /** Removes everything in trash/; returns what had to stay because a mount point is inside it. */
  async emptyTrash(): Promise<string[]> {
    const kept: string[] = [];
    for (const name of readdirSync(this.trashRoot)) {
      try {
        await removeTreeBeneath(this.trashRoot, name);
      } catch (err) {
        if (!isSafePathError(err, "MountCrossing")) throw err;
        kept.push(join(this.trashRoot, name));
      }
    }
    if (kept.length === 0) fsyncDir(this.trashRoot);
    return kept;
  }
}
