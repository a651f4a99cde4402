/**
 * Where the service keeps things under its data directory:
 *
 *   <dataDir>/meta.db (+ -wal, -shm)   metadata (persistence/metadata-store.ts)
 *   <dataDir>/credentials.json         generated credentials, mode 0600 (persistence/credentials.ts)
 *   <dataDir>/fs/                      mode 0711: traversable, not listable by other users
 *   <dataDir>/fs/<fs-id>/              one file system's root directory, root:root 0755
 *   <dataDir>/trash/<fs-id>.<ms>/      a deleted file system's tree, being removed in the background
 *
 * The data directory itself is operator input and trusted; everything below it is reached without
 * following symlinks. Deleting a file system renames its directory into trash/ (atomic, durable) before
 * the metadata delete is acknowledged; the slow recursive removal happens afterwards and resumes at the
 * next start if interrupted.
 */
import { unlink } from "node:fs/promises";
import { closeSync, mkdirSync, readdirSync, realpathSync, renameSync, lstatSync } from "node:fs";
import { join } from "node:path";
import { FS_ID } from "../ids.js";
import { fsyncDir } from "../persistence/credentials.js";
import { openChildDir, openDir, walkDirs } from "./no-follow.js";
import { removeTree } from "./remove-tree.js";

function ensurePlainDir(path: string, mode: number): void {
  try {
    mkdirSync(path, { mode });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  if (!lstatSync(path).isDirectory()) throw new Error(`${path} must be a directory (not a symlink or file)`);
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

  /** Creates the file system's root directory if absent (root:root 0755 when running as root). */
  ensureFileSystemDir(id: string): void {
    this.fileSystemDir(id);
    const parent = openDir(this.fsRoot);
    try {
      const owner = process.getuid?.() === 0 ? { uid: 0, gid: 0 } : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
      const { fd } = walkDirs(parent, [id], { create: () => ({ ...owner, mode: 0o755 }) });
      closeSync(fd);
    } finally {
      closeSync(parent);
    }
  }

  /** Opens the file system's root directory (no symlink followed). Caller closes the descriptor. */
  openFileSystemDir(id: string): number {
    this.fileSystemDir(id);
    const parent = openDir(this.fsRoot);
    try {
      return openChildDir(parent, id, `fs/${id}`);
    } finally {
      closeSync(parent);
    }
  }

  /** Moves a file system's directory into trash/ durably; returns the trash path, or undefined if absent. */
  moveToTrash(id: string): string | undefined {
    const from = this.fileSystemDir(id);
    const to = join(this.trashRoot, `${id}.${Date.now()}`);
    try {
      renameSync(from, to); // rename(2) moves the name itself; a symlink would move as a link, never followed
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    fsyncDir(this.fsRoot);
    fsyncDir(this.trashRoot);
    return to;
  }

  /** Removes everything in trash/; returns the directories left behind because of mount points. */
  async emptyTrash(): Promise<string[]> {
    const skipped: string[] = [];
    const fd = openDir(this.trashRoot);
    closeSync(fd); // refuses a symlinked trash/ before anything is removed under it
    for (const name of readdirSync(this.trashRoot)) {
      const st = lstatSync(join(this.trashRoot, name));
      if (st.isDirectory()) skipped.push(...(await removeTree(join(this.trashRoot, name))).skipped);
      else await unlink(join(this.trashRoot, name));
    }
    return skipped;
  }
}
