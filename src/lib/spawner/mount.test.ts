/** Mount calls through the helper (mount(2) in its child) and directly (mount(8)) have the same effect. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../log.js";
import { readMountInfo } from "../safe-path/mountinfo.js";
import { MountCallError } from "./errors.js";
import { helperStep, mountArgv } from "./mount-ops.js";
import { Spawner } from "./spawner.js";
import { buildSpawnerForTests } from "./test-support.js";

if (process.getuid?.() !== 0) throw new Error("mount tests need root; run them as root — they are not skipped");

const at = (p: string) => readMountInfo().filter((m) => m.mountPoint === p);

describe("mount ops", () => {
  it("mean the same call as helper steps and as mount(8) arguments", () => {
    const overlay = { op: "new", fstype: "overlay", source: "overlay", flags: [], data: "lowerdir=/l,upperdir=/u,workdir=/w" } as const;
    expect(helperStep(overlay)).toEqual(["overlay", "overlay", "", "lowerdir=/l,upperdir=/u,workdir=/w"]);
    expect(mountArgv(overlay, "/t")).toEqual(["--no-canonicalize", "-t", "overlay", "-o", "lowerdir=/l,upperdir=/u,workdir=/w", "overlay", "/t"]);
    const shm = { op: "new", fstype: "tmpfs", source: "shm", flags: ["nosuid", "rdonly"], data: "size=1m" } as const;
    expect(helperStep(shm)).toEqual(["shm", "tmpfs", "nosuid,rdonly", "size=1m"]);
    expect(mountArgv(shm, "/t")).toEqual(["--no-canonicalize", "-t", "tmpfs", "-o", "nosuid,ro,size=1m", "shm", "/t"]);
    expect(helperStep({ op: "remount-read-only" })).toEqual(["", "", "remount,bind,rdonly,keepflags", ""]);
    expect(mountArgv({ op: "bind", source: "/proc/1/fd/3" }, "/t")).toEqual(["--no-canonicalize", "--bind", "/proc/1/fd/3", "/t"]);
  });
});

for (const mode of ["helper", "direct"] as const) {
  describe(`mount calls (${mode})`, () => {
    let sp: Spawner;
    let base: string;
    beforeAll(() => {
      sp = new Spawner({ helperPath: mode === "helper" ? buildSpawnerForTests() : undefined, log: createLogger("spawner-test") });
    });
    afterAll(() => sp.close());
    afterEach(async () => {
      for (const m of readMountInfo().filter((x) => x.mountPoint.startsWith(base + "/")).reverse()) await sp.unmount(m.mountPoint, { lazy: true });
      expect(readMountInfo().filter((x) => x.mountPoint.startsWith(base + "/"))).toEqual([]);
      fs.rmSync(base, { recursive: true, force: true });
      expect(mode === "helper" ? sp.stats.directCalls : sp.stats.helperCalls).toBe(0);
    });
    const fresh = () => {
      base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `spawner-mount-${mode}-`)));
      for (const d of ["a", "b", "lower", "upper", "work", "merged"]) fs.mkdirSync(path.join(base, d));
    };

    it("mounts a private tmpfs with flags and data, and unmounts it", async () => {
      fresh();
      const t = path.join(base, "a");
      await sp.mount(t, [{ op: "new", fstype: "tmpfs", source: "shm", flags: ["nosuid", "nodev", "noexec"], data: "size=1m,mode=1777" }, { op: "make-private" }]);
      const [m] = at(t);
      expect(m).toMatchObject({ fsType: "tmpfs", source: "shm" });
      expect(m.options).toEqual(expect.arrayContaining(["rw", "nosuid", "nodev", "noexec"]));
      expect(m.propagation.filter((p) => p.startsWith("shared"))).toEqual([]);
      expect(fs.statSync(t).mode & 0o7777).toBe(0o1777);
      await sp.unmount(t);
      expect(at(t)).toEqual([]);
    });

    it("binds the object behind an fd link, and a read-only remount keeps nosuid", async () => {
      fresh();
      const src = path.join(base, "a");
      await sp.mount(src, [{ op: "new", fstype: "tmpfs", source: "tmpfs", flags: ["nosuid"], data: "size=1m" }, { op: "make-private" }]);
      fs.mkdirSync(path.join(src, "inner"));
      const fd = fs.openSync(path.join(src, "inner"), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
      const t = path.join(base, "b");
      try {
        await sp.mount(t, [{ op: "bind", source: `/proc/${process.pid}/fd/${fd}` }, { op: "make-private" }, { op: "remount-read-only" }]);
      } finally {
        fs.closeSync(fd);
      }
      const want = fs.statSync(path.join(src, "inner"));
      const got = fs.statSync(t);
      expect([got.dev, got.ino]).toEqual([want.dev, want.ino]);
      expect(at(t)[0].options).toEqual(expect.arrayContaining(["ro", "nosuid"]));
      expect(() => fs.writeFileSync(path.join(t, "x"), "x")).toThrow(/EROFS/);
    });

    it("mounts an overlay", async () => {
      fresh();
      fs.writeFileSync(path.join(base, "lower", "f"), "lower");
      const t = path.join(base, "merged");
      await sp.mount(t, [{ op: "new", fstype: "overlay", source: "overlay", flags: [], data: `lowerdir=${base}/lower,upperdir=${base}/upper,workdir=${base}/work` }]);
      expect(fs.readFileSync(path.join(t, "f"), "utf8")).toBe("lower");
      fs.writeFileSync(path.join(t, "g"), "upper");
      expect(fs.readFileSync(path.join(base, "upper", "g"), "utf8")).toBe("upper");
      expect(at(t)[0].fsType).toBe("overlay");
    });

    it("a busy mount only goes lazily; failures name the call and the errno", async () => {
      fresh();
      const t = path.join(base, "a");
      await sp.mount(t, [{ op: "new", fstype: "tmpfs", source: "tmpfs", flags: [], data: "size=1m" }]);
      const fd = fs.openSync(path.join(t, "held"), "w");
      try {
        const busy = await sp.unmount(t).catch((e: unknown) => e);
        expect(busy).toBeInstanceOf(MountCallError);
        expect(String((busy as Error).message)).toMatch(/busy/i);
        if (mode === "helper") expect((busy as MountCallError).errno).toBe("EBUSY");
        await sp.unmount(t, { lazy: true });
        expect(at(t)).toEqual([]);
      } finally {
        fs.closeSync(fd);
      }
      const missing = await sp.mount(path.join(base, "missing"), [{ op: "bind", source: path.join(base, "b") }]).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(MountCallError);
      expect((missing as Error).message).toContain("missing");
      if (mode === "helper") expect((missing as MountCallError).errno).toBe("ENOENT");
      expect((missing as MountCallError).failedStep).toBe(1);
      const b = path.join(base, "b");
      const second = await sp.mount(b, [{ op: "new", fstype: "tmpfs", source: "tmpfs", flags: [], data: "size=1m" }, { op: "bind", source: path.join(base, "nope") }]).catch((e: unknown) => e);
      expect(second).toMatchObject({ failedStep: 2 });
      expect(at(b)).toHaveLength(1); // the first call was made: undoing it is the caller's decision
      await expect(sp.mount("relative", [{ op: "make-private" }])).rejects.toThrow(/absolute/);
      await expect(sp.mount(path.join(base, "a"), [{ op: "bind", source: "a\0b" }])).rejects.toThrow(/NUL/);
    });
  });
}
