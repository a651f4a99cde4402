import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isSafePathError } from "../../lib/safe-path/index.js";
import { DataLayout } from "./layout.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "efs-disk-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("DataLayout", () => {
  it("creates file system roots root-owned 0755, idempotently", () => {
    const layout = new DataLayout(join(dir, "data"));
    layout.ensureFileSystemDir("fs-0123456789abcdef0");
    layout.ensureFileSystemDir("fs-0123456789abcdef0");
    const st = statSync(layout.fileSystemDir("fs-0123456789abcdef0"));
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([0, 0, 0o755]);
    expect(statSync(layout.fsRoot).mode & 0o7777).toBe(0o711);
    expect(statSync(layout.trashRoot).mode & 0o7777).toBe(0o700);
  });

  it("moves a deleted file system to trash and removes it without following its symlinks", async () => {
    const layout = new DataLayout(join(dir, "data"));
    const id = "fs-0123456789abcdef0";
    layout.ensureFileSystemDir(id);
    const outside = join(dir, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "precious"), "keep me");
    mkdirSync(join(layout.fileSystemDir(id), "a/b"), { recursive: true });
    symlinkSync(outside, join(layout.fileSystemDir(id), "a/link"));
    symlinkSync(join(outside, "precious"), join(layout.fileSystemDir(id), "a/b/file-link"));
    expect(layout.moveToTrash(id)).toMatch(new RegExp(`/trash/${id}\\.\\d+$`));
    expect(existsSync(layout.fileSystemDir(id))).toBe(false);
    expect(await layout.emptyTrash()).toEqual([]);
    expect(readdirSync(layout.trashRoot)).toEqual([]);
    expect(readFileSync(join(outside, "precious"), "utf8")).toBe("keep me");
    expect(layout.moveToTrash(id)).toBeUndefined();
  });

  it("keeps a trashed tree that has a mount point inside, and never touches the mounted data", async () => {
    const layout = new DataLayout(join(dir, "data"));
    const id = "fs-00000000000000001";
    layout.ensureFileSystemDir(id);
    const source = join(dir, "mounted-source");
    mkdirSync(source);
    writeFileSync(join(source, "precious"), "keep me");
    mkdirSync(join(layout.fileSystemDir(id), "mnt"));
    execFileSync("mount", ["--bind", source, join(layout.fileSystemDir(id), "mnt")]);
    const trashed = layout.moveToTrash(id)!;
    try {
      expect(await layout.emptyTrash()).toEqual([trashed]);
      expect(readFileSync(join(trashed, "mnt/precious"), "utf8")).toBe("keep me");
    } finally {
      execFileSync("umount", [join(trashed, "mnt")]);
    }
    expect(await layout.emptyTrash()).toEqual([]);
    expect(readFileSync(join(source, "precious"), "utf8")).toBe("keep me");
  });

  it("refuses a file system directory replaced by a symlink, and IDs that are not IDs", () => {
    const layout = new DataLayout(join(dir, "data"));
    symlinkSync("/etc", join(layout.fsRoot, "fs-12345678"));
    let err: unknown;
    try {
      layout.openFileSystemDir("fs-12345678").close();
    } catch (e) {
      err = e;
    }
    expect(isSafePathError(err, "SymlinkRefused")).toBe(true);
    expect(() => layout.ensureFileSystemDir("fs-12345678")).toThrow(/symbolic link/);
    expect(() => layout.fileSystemDir("../etc")).toThrow(/not a file system id/);
  });
});
