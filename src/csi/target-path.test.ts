/**
 * Target directories on a real file system: creation beneath the publish root never follows a link
 * (parent, grandparent or the target itself), lookups and removal refuse links instead of following
 * them, and without a publish root only the final component is protected.
 */
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isCsiError } from "./spec.js";
import { checkTargetPath, mountIdAtName, mountIdOf, mountedAt, openTargetParent, prepareTarget, removePreparedTarget, removeTarget } from "./target-path.js";

let base: string;
let root: string;
let outside: string;

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "csi-target-")));
  root = join(base, "pods");
  outside = join(base, "outside");
  mkdirSync(root);
  mkdirSync(join(outside, "existing"), { recursive: true });
  symlinkSync(outside, join(root, "link-out"));
  symlinkSync(join(root, "real"), join(root, "link-in"));
  mkdirSync(join(root, "real"));
});

afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

function codeOfFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isCsiError(e)) return e.code;
    throw e;
  }
  throw new Error("expected a failure");
}

describe("checkTargetPath", () => {
  it("keeps the string confinement check", () => {
    expect(checkTargetPath(join(root, "a", "b"), "Target path", root)).toBe(join(root, "a", "b"));
    for (const bad of [root, join(base, "podsx", "a"), `${root}/../outside/x`, "rel/x", `${root}/a/`]) {
      expect(codeOfFailure(() => checkTargetPath(bad, "Target path", root)), bad).toBe("InvalidArgument");
    }
  });
});

describe("prepareTarget beneath a publish root", () => {
  it("creates the target and its missing parents (0750) and holds the directory open", () => {
    const target = join(root, "pod-1", "volumes", "v", "mount");
    const t = prepareTarget(target, root);
    try {
      expect(t.created).toBe(true);
      expect(t.canonical).toBe(target);
      expect(t.dir.stat.isDirectory()).toBe(true);
      expect(lstatSync(target).ino).toBe(t.dir.stat.ino);
      expect(lstatSync(target).mode & 0o777).toBe(0o750);
      expect(lstatSync(join(root, "pod-1")).mode & 0o777).toBe(0o750);
    } finally {
      t.close();
    }
    const again = prepareTarget(target, root);
    expect(again.created).toBe(false);
    again.close();
  });

  it("refuses a symlink anywhere on the way with InvalidArgument and creates nothing outside", () => {
    for (const target of [join(root, "link-out", "x"), join(root, "link-out", "existing"), join(root, "link-out", "a", "b"), join(root, "link-in", "x"), join(root, "link-out")]) {
      expect(codeOfFailure(() => prepareTarget(target, root)), target).toBe("InvalidArgument");
    }
    expect(readdirSync(outside)).toEqual(["existing"]);
    expect(readdirSync(join(root, "real"))).toEqual([]);
  });

  it("refuses a file where a directory belongs", () => {
    writeFileSync(join(root, "file"), "x");
    expect(codeOfFailure(() => prepareTarget(join(root, "file"), root))).toBe("InvalidArgument");
    expect(codeOfFailure(() => prepareTarget(join(root, "file", "x"), root))).toBe("InvalidArgument");
  });

  it("removePreparedTarget removes only the directory it made", () => {
    const target = join(root, "made", "mount");
    const t = prepareTarget(target, root);
    try {
      removePreparedTarget(t);
      expect(existsSync(target)).toBe(false);
      expect(existsSync(join(root, "made"))).toBe(true);
    } finally {
      t.close();
    }
    const t2 = prepareTarget(target, root);
    try {
      rmSync(target, { recursive: true });
      mkdirSync(target); // another directory under the same name: not ours to remove
      removePreparedTarget(t2);
      expect(existsSync(target)).toBe(true);
    } finally {
      t2.close();
    }
  });
});

describe("prepareTarget without a publish root", () => {
  it("follows links in the parent as before, but never a link as the target itself", () => {
    const t = prepareTarget(join(root, "link-out", "x"), undefined);
    try {
      expect(t.canonical).toBe(join(outside, "x"));
    } finally {
      t.close();
    }
    symlinkSync(join(outside, "existing"), join(root, "final-link"));
    expect(codeOfFailure(() => prepareTarget(join(root, "final-link"), undefined))).toBe("InvalidArgument");
  });
});

describe("looking at and removing targets", () => {
  it("mountedAt refuses a link below the root and says no for a missing parent", () => {
    expect(codeOfFailure(() => mountedAt(join(root, "link-out", "existing"), root))).toBe("InvalidArgument");
    expect(mountedAt(join(root, "missing", "x"), root)).toBe(false);
    expect(openTargetParent(join(root, "missing", "x"), root)).toBeUndefined();
  });

  it("removeTarget refuses a link below the root and never removes through it", () => {
    expect(codeOfFailure(() => removeTarget(join(root, "link-out", "existing"), root))).toBe("InvalidArgument");
    expect(existsSync(join(outside, "existing"))).toBe(true);
    symlinkSync(join(outside, "existing"), join(root, "real", "final-link"));
    expect(codeOfFailure(() => removeTarget(join(root, "real", "final-link"), root))).toBe("FailedPrecondition");
    expect(lstatSync(join(root, "real", "final-link")).isSymbolicLink()).toBe(true);
    removeTarget(join(root, "real", "gone"), root); // missing: nothing to do
  });

  it("sees a mount on the target from the mount table and its mount id through the parent", () => {
    const target = join(root, "m", "mount");
    const t = prepareTarget(target, root);
    try {
      expect(mountedAt(target, root)).toBe(false);
      expect(mountIdAtName(t.parent.fd, t.name)).toBe(mountIdOf(t.dir.fd));
      execFileSync("mount", ["-t", "tmpfs", "tmpfs", target]);
      try {
        expect(mountedAt(target, root)).toBe(true);
        expect(mountIdAtName(t.parent.fd, t.name)).not.toBe(mountIdOf(t.dir.fd));
        expect(codeOfFailure(() => removeTarget(target, root))).toBe("Internal");
      } finally {
        execFileSync("umount", [target]);
      }
      removeTarget(target, root);
      expect(existsSync(target)).toBe(false);
    } finally {
      t.close();
    }
  });
});
