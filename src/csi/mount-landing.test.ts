/**
 * Mount landing checks with real mounts (we are root): a new mount on the held target is accepted,
 * anything else is named; leftovers are found by mount id and removed (on the target through the
 * held parent's fd path, strays outside the root by their mount point); the path stamp sees a rename.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readMountInfo } from "../lib/safe-path/index.js";
import { misplacedMount, mountIds, removeNewMountOnTarget, removeStrayMounts, strayMounts, targetMoved } from "./mount-landing.js";
import { prepareTarget, type PreparedTarget } from "./target-path.js";

let base: string;
let root: string;
let served: string;
let t: PreparedTarget;

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "csi-landing-")));
  root = join(base, "pods");
  served = join(base, "served");
  mkdirSync(root);
  mkdirSync(served);
  t = prepareTarget(join(root, "pod", "vol", "mount"), root);
});

afterEach(() => {
  t.close();
  for (const m of readMountInfo().filter((x) => x.mountPoint.startsWith(base + "/")).reverse()) execFileSync("umount", ["-l", m.mountPoint]);
  rmSync(base, { recursive: true, force: true });
});

const mountsBelow = (dir: string) => readMountInfo().filter((m) => m.mountPoint.startsWith(dir + "/"));

describe("misplacedMount", () => {
  it("accepts exactly a new mount on the held directory", () => {
    const before = mountIds();
    expect(misplacedMount(t, before)).toBe("nothing was mounted on the target directory");
    execFileSync("mount", ["--bind", served, t.canonical]);
    expect(misplacedMount(t, before)).toBeUndefined();
    expect(misplacedMount(t, mountIds())).toBe("the mount on the target directory is not the one just made");
  });

  it("sees the directory moved and the stamp change when a parent is renamed", () => {
    const stamp = t.stamp();
    expect(targetMoved(t)).toBe(false);
    renameSync(join(root, "pod"), join(root, "pod2"));
    expect(targetMoved(t)).toBe(true);
    expect(t.stamp()).not.toBe(stamp);
  });
});

describe("removing leftovers", () => {
  it("removes a new mount on the target through the held parent, even after the path changed", async () => {
    const before = mountIds();
    expect(await removeNewMountOnTarget(t, before)).toBe(false);
    execFileSync("mount", ["-t", "tmpfs", "tmpfs", t.canonical]);
    renameSync(join(root, "pod"), join(root, "moved"));
    expect(await removeNewMountOnTarget(t, before)).toBe(true);
    expect(mountsBelow(base)).toEqual([]);
  });

  it("finds a stray of the served kind outside the root, named like the target, and removes it", async () => {
    const outside = join(base, "outside", "mount");
    const otherName = join(base, "outside", "other");
    const inside = join(root, "another", "mount");
    for (const d of [outside, otherName, inside]) mkdirSync(d, { recursive: true });
    const before = mountIds();
    for (const d of [outside, otherName, inside]) execFileSync("mount", ["--bind", served, d]);
    const strays = strayMounts(t, { servedBy: "bind", dir: served, fileSystemId: "fs-1" }, before, root);
    expect(strays.map((m) => m.mountPoint)).toEqual([outside]);
    expect(strayMounts(t, { servedBy: "fuse", dir: served, fileSystemId: "fs-1" }, before, root)).toEqual([]);
    expect(strayMounts(t, { servedBy: "bind", dir: served, fileSystemId: "fs-1" }, mountIds(), root)).toEqual([]);
    expect(await removeStrayMounts(strays)).toEqual([]);
    expect(mountsBelow(base).map((m) => m.mountPoint).sort()).toEqual([inside, otherName].sort());
  });

  it("leaves a stray alone once something else is stacked on it", async () => {
    const outside = join(base, "outside", "mount");
    mkdirSync(outside, { recursive: true });
    const before = mountIds();
    execFileSync("mount", ["--bind", served, outside]);
    const strays = strayMounts(t, { servedBy: "bind", dir: served, fileSystemId: "fs-1" }, before, root);
    execFileSync("mount", ["-t", "tmpfs", "tmpfs", outside]);
    expect(await removeStrayMounts(strays)).toEqual(strays);
    expect(mountsBelow(base)).toHaveLength(2);
  });
});
