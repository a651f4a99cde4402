import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PathError, openDir, walkDirs, fdPath } from "./no-follow.js";
import { removeTree } from "./remove-tree.js";
import { parseMountPoints } from "./mountinfo.js";
import { DataLayout } from "./layout.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "efs-disk-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function walkError(root: string, comps: string[]): PathError {
  const fd = openDir(root);
  try {
    walkDirs(fd, comps);
  } catch (err) {
    return err as PathError;
  } finally {
    closeSync(fd);
  }
  throw new Error("walk unexpectedly succeeded");
}

describe("no-follow directory walk", () => {
  it("refuses a planted symlink at any depth, even one pointing inside the root", () => {
    mkdirSync(join(dir, "a/b"), { recursive: true });
    symlinkSync("/etc", join(dir, "a/escape"));
    symlinkSync("b", join(dir, "a/inside"));
    expect(walkError(dir, ["a", "escape"])).toMatchObject({ problem: "symlink", at: "a/escape" });
    expect(walkError(dir, ["a", "inside"])).toMatchObject({ problem: "symlink", at: "a/inside" });
    expect(walkError(dir, ["a", "escape", "passwd"])).toMatchObject({ problem: "symlink" });
  });

  it("tells a file and a missing name apart", () => {
    writeFileSync(join(dir, "file"), "x");
    expect(walkError(dir, ["file"])).toMatchObject({ problem: "not-directory", at: "file" });
    expect(walkError(dir, ["nope", "deeper"])).toMatchObject({ problem: "missing", at: "nope" });
  });

  it("refuses '..' and '.' as components rather than resolving them", () => {
    const fd = openDir(dir);
    try {
      expect(() => walkDirs(fd, [".."])).toThrow(/unsafe path component/);
      expect(() => walkDirs(fd, ["."])).toThrow(/unsafe path component/);
    } finally {
      closeSync(fd);
    }
  });

  it("creates missing directories with the owner and mode asked for, ignoring the umask", () => {
    mkdirSync(join(dir, "keep"), { mode: 0o700 });
    chmodSync(join(dir, "keep"), 0o700);
    const fd = openDir(dir);
    try {
      const r = walkDirs(fd, ["keep", "mid", "leaf"], {
        create: (i) => (i === 2 ? { uid: 1234, gid: 5678, mode: 0o2750 } : { uid: 0, gid: 0, mode: 0o755 }),
      });
      expect(r.created).toEqual([1, 2]);
      closeSync(r.fd);
    } finally {
      closeSync(fd);
    }
    expect(statSync(join(dir, "keep")).mode & 0o7777).toBe(0o700); // existing: untouched
    expect(statSync(join(dir, "keep/mid")).mode & 0o7777).toBe(0o755);
    const leaf = statSync(join(dir, "keep/mid/leaf"));
    expect([leaf.uid, leaf.gid, leaf.mode & 0o7777]).toEqual([1234, 5678, 0o2750]);
  });

  it("hands back a descriptor of the final directory", () => {
    mkdirSync(join(dir, "x/y"), { recursive: true });
    writeFileSync(join(dir, "x/y/marker"), "here");
    const fd = openDir(dir);
    const r = walkDirs(fd, ["x", "y"]);
    closeSync(fd);
    expect(readFileSync(fdPath(r.fd, "marker"), "utf8")).toBe("here");
    closeSync(r.fd);
  });
});

describe("removeTree", () => {
  it("removes a tree but never what its symlinks point at", async () => {
    const outside = join(dir, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "precious"), "keep me");
    const victim = join(dir, "victim");
    mkdirSync(join(victim, "a/b/c"), { recursive: true });
    writeFileSync(join(victim, "a/b/c/f"), "x");
    symlinkSync(outside, join(victim, "a/link-to-outside"));
    symlinkSync(join(outside, "precious"), join(victim, "file-link"));
    const r = await removeTree(victim);
    expect(r.skipped).toEqual([]);
    expect(existsSync(victim)).toBe(false);
    expect(readFileSync(join(outside, "precious"), "utf8")).toBe("keep me");
  });

  it("treats a missing tree as already removed", async () => {
    expect(await removeTree(join(dir, "never"))).toEqual({ skipped: [] });
  });

  it("never crosses a bind mount inside the tree", async () => {
    const outside = join(dir, "mounted-source");
    mkdirSync(outside);
    writeFileSync(join(outside, "precious"), "keep me");
    const victim = join(dir, "victim");
    mkdirSync(join(victim, "mnt"), { recursive: true });
    writeFileSync(join(victim, "other"), "x");
    execFileSync("mount", ["--bind", outside, join(victim, "mnt")]);
    try {
      const r = await removeTree(victim);
      expect(r.skipped).toEqual([join(victim, "mnt")]);
      expect(readFileSync(join(victim, "mnt/precious"), "utf8")).toBe("keep me");
      expect(existsSync(join(victim, "other"))).toBe(false);
    } finally {
      execFileSync("umount", [join(victim, "mnt")]);
    }
    expect(readFileSync(join(outside, "precious"), "utf8")).toBe("keep me");
  });

  it("parses mountinfo escapes", () => {
    const line = "36 35 98:0 /mnt1 /mnt/with\\040space rw,noatime master:1 - ext3 /dev/root rw";
    expect([...parseMountPoints(line)]).toEqual(["/mnt/with space"]);
  });
});

describe("DataLayout", () => {
  it("creates file system roots root-owned 0755 and moves deleted ones to trash", async () => {
    const layout = new DataLayout(join(dir, "data"));
    layout.ensureFileSystemDir("fs-0123456789abcdef0");
    const st = statSync(layout.fileSystemDir("fs-0123456789abcdef0"));
    expect([st.uid, st.mode & 0o7777]).toEqual([0, 0o755]);
    expect(statSync(layout.fsRoot).mode & 0o7777).toBe(0o711);
    writeFileSync(join(layout.fileSystemDir("fs-0123456789abcdef0"), "data"), "x");
    const trashed = layout.moveToTrash("fs-0123456789abcdef0");
    expect(trashed).toBeDefined();
    expect(existsSync(layout.fileSystemDir("fs-0123456789abcdef0"))).toBe(false);
    expect(await layout.emptyTrash()).toEqual([]);
    expect(readdirSync(layout.trashRoot)).toEqual([]);
    expect(layout.moveToTrash("fs-0123456789abcdef0")).toBeUndefined();
  });

  it("refuses a file system directory replaced by a symlink", () => {
    const layout = new DataLayout(join(dir, "data"));
    symlinkSync("/etc", join(layout.fsRoot, "fs-12345678"));
    expect(() => layout.openFileSystemDir("fs-12345678")).toThrow(PathError);
    expect(() => layout.fileSystemDir("../etc")).toThrow(/not a file system id/);
  });
});
