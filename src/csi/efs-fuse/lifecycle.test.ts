// Mount lifecycle with real FUSE: visible in mountinfo while mounted, gone after unmount, and dead
// mounts (daemon killed) cleaned up by unmountEfsFuse.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EFS_FUSE_BINARY_ENV, findEfsFuseBinary, isEfsFuseMounted, isFuseAvailable, mountEfsFuse, unmountEfsFuse } from "./index.js";
import { efsFuseMountsAt } from "./mountinfo.js";
import { buildDaemon, codeOf, eventually, makeSandbox, type Sandbox } from "./testing.js";

let binary: string;
beforeAll(async () => {
  expect(process.getuid?.()).toBe(0);
  binary = await buildDaemon();
});

describe("environment checks", () => {
  it("finds FUSE usable on this machine", () => {
    expect(isFuseAvailable()).toBe(true);
  });

  it("finds the built daemon, and names libfuse3-dev when it is missing", () => {
    expect(findEfsFuseBinary()).toBe(binary);
    const saved = process.env[EFS_FUSE_BINARY_ENV];
    process.env[EFS_FUSE_BINARY_ENV] = "/nonexistent/efs-fuse";
    try {
      expect(() => findEfsFuseBinary()).toThrow(/libfuse3-dev/);
    } finally {
      if (saved === undefined) delete process.env[EFS_FUSE_BINARY_ENV];
      else process.env[EFS_FUSE_BINARY_ENV] = saved;
    }
  });
});

describe("mount and unmount", () => {
  let box: Sandbox;
  beforeAll(() => {
    box = makeSandbox("life");
  });
  afterEach(async () => {
    await unmountEfsFuse(box.target);
  });
  afterAll(() => box?.cleanup());

  it("mounts, serves, and leaves no mountinfo entry after unmount", async () => {
    const m = await mountEfsFuse({ source: box.source, target: box.target, fsName: "efs:fs-0000000000000000e" });
    expect(efsFuseMountsAt(m.target)).toHaveLength(1);
    expect(isEfsFuseMounted(box.target)).toBe(true);
    writeFileSync(join(m.target, "hello"), "world");
    expect(readdirSync(box.source)).toContain("hello");
    await m.unmount();
    expect(efsFuseMountsAt(m.target)).toHaveLength(0);
    expect(isEfsFuseMounted(box.target)).toBe(false);
    expect(codeOf(() => process.kill(m.pid, 0))).toBe("ESRCH");
    await m.unmount(); // idempotent
  });

  it("detaches the mount by itself when its daemon is killed", async () => {
    const m = await mountEfsFuse({ source: box.source, target: box.target, fsName: "efs:fs-0000000000000000e" });
    process.kill(m.pid, "SIGKILL");
    await eventually(() => efsFuseMountsAt(m.target).length === 0, "dead mount detached by the wrapper");
    expect(statSync(m.target).isDirectory()).toBe(true);
  });

  it("cleans up a dead mount left by a daemon killed with SIGKILL", async () => {
    // Started without the wrapper, so nothing watches it: the dead mount stays until unmountEfsFuse.
    const child = spawn(binary, ["--source", box.source, "--target", box.target, "--fsname", "efs:fs-0000000000000000e"], { stdio: "ignore" });
    await eventually(() => efsFuseMountsAt(box.target).length === 1, "daemon mounted");
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    expect(efsFuseMountsAt(box.target)).toHaveLength(1);
    expect(codeOf(() => statSync(box.target))).toBe("ENOTCONN");
    await unmountEfsFuse(box.target);
    expect(efsFuseMountsAt(box.target)).toHaveLength(0);
    expect(statSync(box.target).isDirectory()).toBe(true);
    await unmountEfsFuse(box.target); // nothing left: still fine
  });

  it("stops cleanly on SIGTERM, unmounting itself", async () => {
    const child = spawn(binary, ["--source", box.source, "--target", box.target], { stdio: "ignore" });
    await eventually(() => efsFuseMountsAt(box.target).length === 1, "daemon mounted");
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(efsFuseMountsAt(box.target)).toHaveLength(0);
  });

  it("reports the daemon's own error when it cannot mount", async () => {
    await expect(mountEfsFuse({ source: join(box.base, "missing"), target: box.target, fsName: "efs:fs-0000000000000000e" }))
      .rejects.toThrow(/cannot open source .*missing/);
    expect(efsFuseMountsAt(box.target)).toHaveLength(0);
  });

  it("refuses a source path that goes through a symlink", async () => {
    symlinkSync(box.base, join(box.base, "via-link"));
    await expect(mountEfsFuse({ source: join(box.base, "via-link", "src"), target: box.target, fsName: "efs:fs-0000000000000000e" }))
      .rejects.toThrow(/must not contain symlinks/);
    // Links in the target's parents are resolved (mountinfo shows the real path); only the last
    // component must be the directory itself.
    const m = await mountEfsFuse({ source: box.source, target: join(box.base, "via-link", "mnt"), fsName: "efs:fs-0000000000000000e" });
    expect(m.target).toBe(box.target);
    await m.unmount();
    symlinkSync(box.target, join(box.base, "target-link"));
    await expect(mountEfsFuse({ source: box.source, target: join(box.base, "target-link"), fsName: "efs:fs-0000000000000000e" }))
      .rejects.toThrow(/not a directory/);
    expect(efsFuseMountsAt(box.target)).toHaveLength(0);
  });

  it("rejects unsafe options before starting anything", async () => {
    await expect(mountEfsFuse({ source: box.source, target: box.target, fsName: "efs,dev" })).rejects.toThrow(/fsName/);
    await expect(mountEfsFuse({ source: "relative/dir", target: box.target, fsName: "efs" })).rejects.toThrow(/absolute/);
    await expect(mountEfsFuse({ source: box.source, target: box.target, uid: 5, fsName: "efs" })).rejects.toThrow(/uid and gid/);
    expect(efsFuseMountsAt(box.target)).toHaveLength(0);
  });
});
