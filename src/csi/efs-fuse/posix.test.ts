// Everyday POSIX operations through a real FUSE mount in access point mode (a non-root identity, so
// every code path runs with dropped filesystem capabilities), with and without kernel passthrough.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appendFileSync, chmodSync, chownSync, closeSync, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readSync,
  readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, truncateSync, unlinkSync, utimesSync, writeFileSync, writeSync,
} from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { isEfsFuseMounted, mountEfsFuse, unmountEfsFuse, type EfsFuseMount } from "./index.js";
import { buildDaemon, codeOf, eventually, makeSandbox, type Sandbox } from "./testing.js";

for (const passthrough of [true, false]) {
  describe(`POSIX operations (passthrough ${passthrough})`, () => {
    let box: Sandbox;
    let m: EfsFuseMount;
    let t: string;
    beforeAll(async () => {
      expect(process.getuid?.()).toBe(0);
      await buildDaemon();
      box = makeSandbox("posix");
      chownSync(box.source, 1000, 1000);
      m = await mountEfsFuse({ source: box.source, target: box.target, uid: 1000, gid: 1000, fsName: "efs:fs-0000000000000000f", statsFile: box.statsFile, passthrough });
      t = m.target;
    });
    afterAll(async () => {
      await m?.unmount();
      box?.cleanup();
    });

    it("creates nested directories, lists and removes them", () => {
      mkdirSync(join(t, "a", "b", "c"), { recursive: true });
      for (let i = 0; i < 300; i++) writeFileSync(join(t, "a", "b", `f${i}`), String(i));
      const names = readdirSync(join(t, "a", "b"));
      expect(names).toHaveLength(301);
      expect(readFileSync(join(t, "a", "b", "f299"), "utf8")).toBe("299");
      rmSync(join(t, "a"), { recursive: true });
      expect(readdirSync(box.source)).not.toContain("a");
    });

    it("renames, hard-links and symlinks", () => {
      writeFileSync(join(t, "orig"), "payload");
      renameSync(join(t, "orig"), join(t, "moved"));
      linkSync(join(t, "moved"), join(t, "hard"));
      symlinkSync("moved", join(t, "soft"));
      expect(statSync(join(box.source, "hard")).ino).toBe(statSync(join(box.source, "moved")).ino);
      expect(statSync(join(t, "hard")).nlink).toBe(2);
      expect(readlinkSync(join(t, "soft"))).toBe("moved");
      expect(lstatSync(join(box.source, "soft")).uid).toBe(1000);
      expect(readFileSync(join(t, "soft"), "utf8")).toBe("payload");
      unlinkSync(join(t, "moved"));
      expect(readFileSync(join(t, "hard"), "utf8")).toBe("payload");
      expect(codeOf(() => renameSync(join(t, "hard"), join(t, "missing-dir", "x")))).toBe("ENOENT");
    });

    it("appends, truncates, changes modes and times", () => {
      const f = join(t, "grow");
      writeFileSync(f, "ab");
      appendFileSync(f, "cd");
      expect(readFileSync(f, "utf8")).toBe("abcd");
      truncateSync(f, 1);
      expect(readFileSync(join(box.source, "grow"), "utf8")).toBe("a");
      chmodSync(f, 0o640);
      expect(statSync(join(box.source, "grow")).mode & 0o777).toBe(0o640);
      utimesSync(f, 1_000_000, 2_000_000);
      expect(statSync(join(box.source, "grow")).mtimeMs).toBe(2_000_000_000);
    });

    it("keeps one inode coherent across handles open for reading and writing", () => {
      const f = join(t, "shared");
      writeFileSync(f, "0123456789");
      const r = openSync(f, "r");
      const w = openSync(f, "r+");
      writeSync(w, "AB", 0);
      const buf = Buffer.alloc(10);
      expect(readSync(r, buf, 0, 10, 0)).toBe(10);
      expect(buf.toString()).toBe("AB23456789");
      closeSync(w);
      closeSync(r);
    });

    it("keeps an open file usable after its name is removed", () => {
      const fd = openSync(join(t, "scratch"), "w+");
      unlinkSync(join(t, "scratch"));
      writeSync(fd, "still here", 0);
      const buf = Buffer.alloc(10);
      expect(readSync(fd, buf, 0, 10, 0)).toBe(10);
      expect(buf.toString()).toBe("still here");
      expect(fstatSync(fd).size).toBe(10);
      closeSync(fd);
      expect(codeOf(() => statSync(join(t, "scratch")))).toBe("ENOENT");
    });

    it("sees changes made directly in the source (another client)", () => {
      writeFileSync(join(box.source, "external"), "v1");
      chownSync(join(box.source, "external"), 1000, 1000);
      expect(readFileSync(join(t, "external"), "utf8")).toBe("v1");
      writeFileSync(join(box.source, "external"), "version 2");
      expect(readFileSync(join(t, "external"), "utf8")).toBe("version 2");
    });

    it("shares one file system between two mounts (two pods) with close-to-open consistency", async () => {
      mkdirSync(join(box.base, "mnt2"));
      const other = await mountEfsFuse({ source: box.source, target: join(box.base, "mnt2"), uid: 1000, gid: 1000, fsName: "efs:fs-0000000000000000f", passthrough });
      try {
        writeFileSync(join(t, "log"), "line 1\n");
        expect(readFileSync(join(other.target, "log"), "utf8")).toBe("line 1\n");
        appendFileSync(join(other.target, "log"), "line 2 from the other pod\n");
        expect(readFileSync(join(t, "log"), "utf8")).toBe("line 1\nline 2 from the other pod\n");
        unlinkSync(join(t, "log"));
        expect(codeOf(() => readFileSync(join(other.target, "log")))).toBe("ENOENT");
      } finally {
        await other.unmount();
      }
    });
  });
}

describe("more files than the daemon may keep descriptors for", () => {
  it("makes the kernel give names back instead of failing with EMFILE", async () => {
    const binary = await buildDaemon();
    const box = makeSandbox("many");
    const child = spawn(binary, ["--source", box.source, "--target", box.target, "--max-nodes", "200"], { stdio: "ignore" });
    try {
      await eventually(() => isEfsFuseMounted(box.target), "daemon mounted");
      mkdirSync(join(box.target, "d"));
      for (let i = 0; i < 2000; i++) writeFileSync(join(box.target, "d", `f${i}`), String(i));
      for (let i = 0; i < 2000; i += 7) expect(readFileSync(join(box.target, "d", `f${i}`), "utf8")).toBe(String(i));
      expect(readdirSync(join(box.target, "d"))).toHaveLength(2000);
      await eventually(() => readdirSync(`/proc/${child.pid}/fd`).length < 400, "descriptors given back");
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await unmountEfsFuse(box.target);
      box.cleanup();
    }
  });
});

