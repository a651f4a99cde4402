// Confinement through a real FUSE mount: symlinks planted in the source are served as symlinks and
// followed only in the caller's own view; the daemon never opens anything outside the source.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chownSync, closeSync, copyFileSync, openSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmdirSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { mountEfsFuse, type EfsFuseMount } from "./index.js";
import { buildDaemon, execFileAsync, makeSandbox, type Sandbox } from "./testing.js";

const SENTINEL = "sentinel: must never change\n";

/** Every file the daemon holds open, as the kernel names it. */
function daemonOpenFiles(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return "(closed)";
    }
  });
}

describe("symlinks planted in the source", () => {
  let box: Sandbox;
  let m: EfsFuseMount;
  let outside: string; // daemon's view: a directory next to the source
  let chrootDir: string; // a caller whose "/" differs from the daemon's
  beforeAll(async () => {
    expect(process.getuid?.()).toBe(0);
    await buildDaemon();
    box = makeSandbox("links");
    // The source sits one level deeper than the mount point, so ".." differs between the two views.
    const source = join(box.base, "fs", "src");
    mkdirSync(source, { recursive: true });
    chownSync(source, 1000, 1000);
    outside = join(box.base, "fs", "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "x"), SENTINEL);
    writeFileSync(join(box.base, "fs", "x"), SENTINEL);
    symlinkSync("/etc", join(source, "etc-link"));
    symlinkSync("..", join(source, "up-link"));
    symlinkSync(outside, join(source, "planted-link"));
    m = await mountEfsFuse({ source, target: box.target, uid: 1000, gid: 1000, fsName: "efs:fs-0000000000000000a", statsFile: box.statsFile });
    chrootDir = join(box.base, "root");
    mkdirSync(join(chrootDir, "vol"), { recursive: true });
    mkdirSync(join(chrootDir, outside), { recursive: true });
    copyFileSync("/usr/bin/busybox", join(chrootDir, "busybox"));
    writeFileSync(join(chrootDir, "payload"), "written by a caller in its own view\n");
    await execFileAsync("mount", ["--bind", "--", m.target, join(chrootDir, "vol")]);
  });
  afterAll(async () => {
    if (chrootDir) await execFileAsync("umount", ["-l", "--", join(chrootDir, "vol")]).catch(() => undefined);
    await m?.unmount();
    box?.cleanup();
  });

  const inChroot = (...args: string[]) => execFileAsync("chroot", [chrootDir, "/busybox", ...args]);

  it("serves them as symlinks with their stored targets", () => {
    expect(readlinkSync(join(m.target, "etc-link"))).toBe("/etc");
    expect(readlinkSync(join(m.target, "up-link"))).toBe("..");
    expect(readlinkSync(join(m.target, "planted-link"))).toBe(outside);
  });

  it("lets the caller's kernel follow an absolute link in the caller's view", () => {
    expect(readFileSync(join(m.target, "etc-link", "hostname"), "utf8")).toBe(readFileSync("/etc/hostname", "utf8"));
  });

  it("never writes through planted-link/x outside the source (caller in another root)", async () => {
    await inChroot("touch", "/vol/planted-link/x");
    await inChroot("cp", "/payload", "/vol/planted-link/x");
    await inChroot("cp", "/payload", "/vol/planted-link/new");
    expect(readFileSync(join(chrootDir, outside, "x"), "utf8")).toBe("written by a caller in its own view\n");
    await inChroot("rm", "/vol/planted-link/x");
    await inChroot("rm", "/vol/planted-link/new");
    expect(existsSync(join(chrootDir, outside, "x"))).toBe(false);
    // The daemon's view of the same path is untouched.
    expect(readFileSync(join(outside, "x"), "utf8")).toBe(SENTINEL);
    expect(readdirSync(outside)).toEqual(["x"]);
  });

  it("resolves a relative '..' link against the mount point, not the source", () => {
    // mnt/up-link/x is <base>/x for the caller; the daemon's <source>/../x is the sentinel.
    writeFileSync(join(m.target, "up-link", "x"), "caller view\n");
    expect(readFileSync(join(box.base, "x"), "utf8")).toBe("caller view\n");
    unlinkSync(join(m.target, "up-link", "x"));
    expect(readFileSync(join(box.base, "fs", "x"), "utf8")).toBe(SENTINEL);
  });

  it("holds no descriptor outside the source while files are open", () => {
    const source = join(box.base, "fs", "src");
    mkdirSync(join(m.target, "d"));
    writeFileSync(join(m.target, "d", "f"), "data");
    const held = openSync(join(m.target, "d", "f"), "r");
    const files = daemonOpenFiles(m.pid).filter((f) => f.startsWith("/"));
    expect(files.some((f) => f === join(source, "d", "f"))).toBe(true);
    for (const f of files) {
      expect(f === "/dev/fuse" || f === "/dev/null" || f === source || f.startsWith(source + "/"), f).toBe(true);
    }
    closeSync(held);
    unlinkSync(join(m.target, "d", "f"));
    rmdirSync(join(m.target, "d"));
  });

  it("refuses names that would climb out of a directory", () => {
    // The kernel never sends "..", but the source root's parent must stay unreachable anyway.
    expect(existsSync(join(m.target, ".."))).toBe(true); // the caller's own parent
    expect(dirname(m.target)).toBe(box.base);
    expect(readdirSync(m.target).sort()).toEqual(["etc-link", "planted-link", "up-link"]);
  });
});
