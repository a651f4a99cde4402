import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafePathError } from "./errors.js";
import { mountsAtOrBelow } from "./mountinfo.js";
import { removeTreeBeneath } from "./remove-tree.js";
import { SENTINEL, makeFixture, type Fixture } from "./test-fixture.js";

let fx: Fixture;
beforeEach(() => {
  fx = makeFixture("remove-tree-");
  const t = path.join(fx.root, "tree");
  fs.mkdirSync(path.join(t, "a/b/c"), { recursive: true });
  fs.writeFileSync(path.join(t, "a/b/c/f"), "x");
  fs.writeFileSync(path.join(t, "top"), "x");
  fs.symlinkSync(fx.outside, path.join(t, "a/to-outside")); // must be unlinked, never followed
  fs.symlinkSync(path.join(fx.outside, "dir"), path.join(t, "a/b/to-dir"));
  fs.linkSync(path.join(fx.outside, "secret"), path.join(t, "hardlink")); // removing the name leaves the file
  fs.writeFileSync(path.join(fx.root, "keep"), "keep");
});
afterEach(() => {
  for (const m of mountsAtOrBelow(fs.realpathSync(fx.base)).reverse()) execFileSync("umount", [m.mountPoint]);
  fx.assertOutsideUntouched();
  fx.cleanup();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof SafePathError) return e.code;
    throw e;
  }
}

describe("removeTreeBeneath", () => {
  it("deletes a tree with links in it without following them", async () => {
    expect(await removeTreeBeneath(fx.root, "tree")).toBe(true);
    expect(fs.existsSync(path.join(fx.root, "tree"))).toBe(false);
    expect(fs.readFileSync(path.join(fx.root, "keep"), "utf8")).toBe("keep");
    expect(fs.readFileSync(path.join(fx.outside, "secret"), "utf8")).toBe(SENTINEL);
  });

  it("is idempotent: a missing target returns false", async () => {
    expect(await removeTreeBeneath(fx.root, "nothing")).toBe(false);
    expect(await removeTreeBeneath(fx.root, "nothing/below")).toBe(false);
  });

  it("removes a symlink target as a link only", async () => {
    fs.symlinkSync(path.join(fx.outside, "dir"), path.join(fx.root, "link"));
    expect(await removeTreeBeneath(fx.root, "link")).toBe(true);
    expect(fs.existsSync(path.join(fx.root, "link"))).toBe(false);
  });

  it("refuses a symlink on the way to the target", async () => {
    fs.symlinkSync(fx.outside, path.join(fx.root, "link"));
    expect(await codeOf(removeTreeBeneath(fx.root, "link/dir"))).toBe("SymlinkRefused");
    expect(await codeOf(removeTreeBeneath(fx.root, "tree/a/to-outside/dir"))).toBe("SymlinkRefused");
  });

  it("refuses invalid paths and the root itself unless asked", async () => {
    expect(await codeOf(removeTreeBeneath(fx.root, "../outside"))).toBe("InvalidPath");
    expect(await codeOf(removeTreeBeneath(fx.root, "/"))).toBe("InvalidPath");
    expect(await codeOf(removeTreeBeneath(fx.root, ""))).toBe("IsRoot");
    expect(fs.existsSync(path.join(fx.root, "tree/top"))).toBe(true);
    expect(await removeTreeBeneath(fx.root, "", { allowRoot: true })).toBe(true);
    expect(fs.existsSync(fx.root)).toBe(false);
  });

  it("refuses, before deleting anything, a tree holding a mount of another file system", async () => {
    const mnt = path.join(fx.root, "tree/a/b/mnt");
    fs.mkdirSync(mnt);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "cistern-test", mnt]);
    fs.writeFileSync(path.join(mnt, "data"), "precious");
    expect(await codeOf(removeTreeBeneath(fx.root, "tree"))).toBe("MountCrossing");
    expect(fs.readFileSync(path.join(mnt, "data"), "utf8")).toBe("precious");
    expect(fs.existsSync(path.join(fx.root, "tree/top"))).toBe(true);
    expect(await codeOf(removeTreeBeneath(fx.root, "tree/a/b/mnt"))).toBe("MountCrossing");
    expect(await codeOf(removeTreeBeneath(fx.root, "tree/a/b/mnt/data"))).toBe("MountCrossing");
  });

  it("refuses a bind mount of the same file system (same st_dev)", async () => {
    const mnt = path.join(fx.root, "tree/bound");
    fs.mkdirSync(mnt);
    execFileSync("mount", ["--bind", path.join(fx.outside, "dir"), mnt]);
    expect(await codeOf(removeTreeBeneath(fx.root, "tree"))).toBe("MountCrossing");
    expect(fs.readFileSync(path.join(mnt, "secret"), "utf8")).toBe(SENTINEL);
  });

  it("may delete inside a root that is itself a mount point", async () => {
    const mnt = path.join(fx.root, "vol");
    fs.mkdirSync(mnt);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "cistern-test", mnt]);
    fs.mkdirSync(path.join(mnt, "x/y"), { recursive: true });
    expect(await removeTreeBeneath(mnt, "x")).toBe(true);
    expect(fs.readdirSync(mnt)).toEqual([]);
    expect(await codeOf(removeTreeBeneath(mnt, "", { allowRoot: true }))).toBe("MountCrossing");
  });

  it("refuses trees deeper than maxDepth", async () => {
    expect(await codeOf(removeTreeBeneath(fx.root, "tree", { maxDepth: 1 }))).toBe("TooDeep");
    expect(await removeTreeBeneath(fx.root, "tree", { maxDepth: 8 })).toBe(true);
  });
});
