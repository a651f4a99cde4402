// --ro through a real FUSE mount: reads work, every kind of write fails with EROFS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmodSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mountEfsFuse, type EfsFuseMount } from "./index.js";
import { readMountinfo } from "./mountinfo.js";
import { buildDaemon, codeOf, makeSandbox, type Sandbox } from "./testing.js";

describe("read-only mount", () => {
  let box: Sandbox;
  let m: EfsFuseMount;
  beforeAll(async () => {
    expect(process.getuid?.()).toBe(0);
    await buildDaemon();
    box = makeSandbox("ro");
    writeFileSync(join(box.source, "f"), "content");
    mkdirSync(join(box.source, "d"));
    m = await mountEfsFuse({ source: box.source, target: box.target, readOnly: true, fsName: "efs:fs-0000000000000000b", statsFile: box.statsFile });
  });
  afterAll(async () => {
    await m?.unmount();
    box?.cleanup();
  });

  it("is mounted ro, nodev, nosuid as fuse.efs with the file system name as source", () => {
    const entry = readMountinfo().find((e) => e.mountPoint === m.target);
    expect(entry?.fsType).toBe("fuse.efs");
    expect(entry?.source).toBe("efs:fs-0000000000000000b");
    expect(entry?.options.split(",")).toEqual(expect.arrayContaining(["ro", "nodev", "nosuid"]));
  });

  it("serves reads", () => {
    expect(readFileSync(join(m.target, "f"), "utf8")).toBe("content");
  });

  it("refuses every write with EROFS", () => {
    const t = m.target;
    const attempts: Record<string, () => unknown> = {
      overwrite: () => writeFileSync(join(t, "f"), "x"),
      create: () => writeFileSync(join(t, "new"), "x"),
      openForWrite: () => openSync(join(t, "f"), "r+"),
      truncate: () => truncateSync(join(t, "f"), 0),
      mkdir: () => mkdirSync(join(t, "d2")),
      rmdir: () => rmdirSync(join(t, "d")),
      unlink: () => unlinkSync(join(t, "f")),
      rename: () => renameSync(join(t, "f"), join(t, "g")),
      symlink: () => symlinkSync("f", join(t, "l")),
      chmod: () => chmodSync(join(t, "f"), 0o600),
    };
    const codes = Object.fromEntries(Object.entries(attempts).map(([k, fn]) => [k, codeOf(fn)]));
    expect(codes).toEqual(Object.fromEntries(Object.keys(attempts).map((k) => [k, "EROFS"])));
    expect(readFileSync(join(box.source, "f"), "utf8")).toBe("content");
  });
});
