import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../lib/log.js";
import { busyboxImageId } from "./busybox-image.js";
import { isRuntimeError } from "./errors.js";
import { ImageStore } from "./image-store.js";
import type { ImageProgress } from "./image-types.js";
import { Images } from "./images.js";
import { makeDockerSave, makeOciLayout, type ImageSpec } from "./test-tar.js";

let base: string;
let outside: string;
let images: Images;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "runtime-images-"));
  outside = path.join(base, "outside");
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, "sentinel"), "keep");
  images = new Images(new ImageStore(path.join(base, "data")), "/usr/bin/busybox", createLogger("test"));
});
afterAll(() => {
  expect(fs.readdirSync(outside)).toEqual(["sentinel"]);
  fs.rmSync(base, { recursive: true, force: true });
});

function writeTarball(name: string, buf: Buffer): string {
  const p = path.join(base, name);
  fs.writeFileSync(p, buf);
  return p;
}

describe("busybox image", () => {
  it("is built once from the host busybox, with progress, and reused for every busybox spelling", async () => {
    const progress: ImageProgress[] = [];
    const img = await images.ensure("busybox", (p) => progress.push(p));
    expect(img.builtin).toBe("busybox");
    expect(progress.some((p) => p.phase === "build" && (p.total ?? 0) > 100)).toBe(true);
    const r = img.rootfs;
    expect(fs.readlinkSync(path.join(r, "bin/sh"))).toBe("busybox");
    expect(fs.readlinkSync(path.join(r, "usr/bin/awk"))).toBe("../../bin/busybox");
    expect(fs.readFileSync(path.join(r, "etc/passwd"), "utf8")).toMatch(/^root:x:0:0:/);
    expect(fs.readFileSync(path.join(r, "etc/group"), "utf8")).toMatch(/^root:x:0:/);
    expect(fs.statSync(path.join(r, "tmp")).mode & 0o7777).toBe(0o1777);
    for (const d of ["proc", "dev", "sys", "root"]) expect(fs.lstatSync(path.join(r, d)).isDirectory()).toBe(true);
    expect(img.config.cmd).toEqual(["sh"]);

    const again: ImageProgress[] = [];
    for (const ref of ["busybox:1.36", "docker.io/library/busybox:latest"]) {
      expect((await images.ensure(ref, (p) => again.push(p))).id).toBe(img.id);
    }
    expect(again.filter((p) => p.phase === "build")).toEqual([]);
  });

  it("derives the id from the binary's content, again whenever the file is replaced", () => {
    const bin = path.join(base, "busybox-copy");
    fs.copyFileSync("/usr/bin/busybox", bin);
    const first = busyboxImageId(bin);
    expect(first).toMatch(/^busybox-[0-9a-f]{16}-v\d+$/);
    expect(busyboxImageId(bin)).toBe(first);
    expect(busyboxImageId("/usr/bin/busybox")).toBe(first); // same content, same id
    fs.appendFileSync(bin, "upgraded");
    expect(busyboxImageId(bin)).not.toBe(first);
    fs.rmSync(bin);
    expect(() => busyboxImageId(bin)).toThrow(/busybox image unavailable/);
  });

  it("a missing image is a typed ErrImagePull error", async () => {
    const err = await images.ensure("nginx:1.25").catch((e: unknown) => e);
    expect(isRuntimeError(err, "ImageNotFound")).toBe(true);
    expect((err as { kubeReason: string }).kubeReason).toBe("ErrImagePull");
    expect(images.find("nginx:1.25")).toBeUndefined();
  });
});

const layered: ImageSpec = {
  layers: [
    [
      { name: "etc/", type: "dir" },
      { name: "etc/a", content: "1" },
      { name: "etc/b", content: "2" },
      { name: "data/", type: "dir", mode: 0o750 },
      { name: "data/x", content: "x" },
      { name: "data/sub/", type: "dir" },
      { name: "data/sub/y", content: "y" },
      { name: "usr/lib/ld.so", content: "ld", mode: 0o755 },
      { name: "lib", type: "symlink", linkname: "/usr/lib" },
      { name: "bin/tool", content: "tool", mode: 0o4755, uid: 0, gid: 0 },
      { name: "bin/tool-alias", type: "hardlink", linkname: "bin/tool" },
      { name: "dev/", type: "dir" },
    ],
    [
      { name: "etc/.wh.a" },
      { name: "data/", type: "dir", mode: 0o750 },
      { name: "data/.wh..wh..opq" },
      { name: "data/z", content: "z", uid: 1000, gid: 1000 },
      { name: "etc/b", content: "changed" },
    ],
  ],
  config: { Entrypoint: ["/bin/tool"], Cmd: ["--help"], Env: ["A=1", "PATH=/bin"], WorkingDir: "/data", User: "1000:1000" },
};

describe("importImage", () => {
  it.each([
    ["docker save", makeDockerSave(layered)],
    ["docker save, gzip layers", makeDockerSave({ ...layered, gzip: true })],
    ["OCI layout, gzip layers", makeOciLayout({ ...layered, gzip: true })],
  ])("applies layers in order with whiteouts (%s)", async (_kind, tarball) => {
    const img = await images.import("example.local/app:1", writeTarball("img.tar", tarball));
    const r = img.rootfs;
    expect(fs.existsSync(path.join(r, "etc/a"))).toBe(false);
    expect(fs.readFileSync(path.join(r, "etc/b"), "utf8")).toBe("changed");
    expect(fs.readdirSync(path.join(r, "data"))).toEqual(["z"]);
    expect(fs.statSync(path.join(r, "data/z")).uid).toBe(1000);
    expect(fs.statSync(path.join(r, "data")).mode & 0o777).toBe(0o750);
    expect(fs.readlinkSync(path.join(r, "lib"))).toBe("usr/lib"); // absolute target made relative
    expect(fs.statSync(path.join(r, "bin/tool")).mode & 0o7777).toBe(0o4755);
    expect(fs.statSync(path.join(r, "bin/tool-alias")).ino).toBe(fs.statSync(path.join(r, "bin/tool")).ino);
    expect(img.config).toEqual({ entrypoint: ["/bin/tool"], cmd: ["--help"], env: ["A=1", "PATH=/bin"], workingDir: "/data", user: "1000:1000" });
    expect((await images.ensure("example.local/app:1")).id).toBe(img.id);
    expect(images.find("example.local/app:2")).toBeUndefined();
  });

  const malicious: [string, ImageSpec][] = [
    ["a ../ entry", { layers: [[{ name: "../../outside/evil", content: "x" }]] }],
    ["an absolute entry name", { layers: [[{ name: "/abs/evil", content: "x" }]] }],
    ["a write through an absolute symlink", { layers: [[{ name: "x", type: "symlink", linkname: "/tmp" }, { name: "x/pwned", content: "x" }]] }],
    ["a write through a symlink in a later layer", { layers: [[{ name: "y", type: "symlink", linkname: "/" }], [{ name: "y/tmp/pwned", content: "x" }]] }],
    ["a symlink climbing out of the rootfs", { layers: [[{ name: "a/b", type: "symlink", linkname: "../../../../../../etc" }]] }],
    ["a hard link to a host file", { layers: [[{ name: "passwd", type: "hardlink", linkname: "/etc/passwd" }]] }],
    ["a hard link climbing out", { layers: [[{ name: "passwd", type: "hardlink", linkname: "../../etc/passwd" }]] }],
    ["a whiteout climbing out", { layers: [[{ name: "a/", type: "dir" }], [{ name: "a/.wh..." }]] }],
    ["/dev as a symlink (CVE-2026-41579)", { layers: [[{ name: "dev", type: "symlink", linkname: "/tmp" }]] }],
    ["/proc as a symlink", { layers: [[{ name: "proc", type: "symlink", linkname: "tmp" }, { name: "tmp/", type: "dir" }]] }],
  ];

  it.each(malicious)("refuses %s and leaves nothing behind", async (_what, spec) => {
    for (const tarball of [makeDockerSave(spec), makeOciLayout(spec)]) {
      const err = await images.import("example.local/evil:1", writeTarball("evil.tar", tarball)).catch((e: unknown) => e);
      expect(isRuntimeError(err, "ImageRefused")).toBe(true);
      expect(images.find("example.local/evil:1")).toBeUndefined();
      expect(fs.readdirSync(path.join(base, "data/images")).filter((n) => n.startsWith(".staging"))).toEqual([]);
    }
    expect(fs.existsSync("/tmp/pwned")).toBe(false);
  });

  it("refuses a tarball that is not an image", async () => {
    const err = await images.import("example.local/x:1", writeTarball("junk.tar", Buffer.alloc(2048, 1))).catch((e: unknown) => e);
    expect(isRuntimeError(err, "ImageRefused")).toBe(true);
  });
});
