import { describe, it, expect, afterEach } from "vitest";
import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, symlinkSync, truncateSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { meteredBytes } from "./metered-size.js";
import { meterTree } from "./walk.js";
import { Meter, EMPTY_FILE_SYSTEM_BYTES } from "./meter.js";
import { buildUsageReport, formatBytes, formatUsage } from "./usage-report.js";
import { openModelFixture, type ModelFixture } from "../testing/model-fixture.js";
import { createLogger } from "../../lib/log.js";

let f: ModelFixture;
afterEach(() => f?.cleanup());

const KiB = 1024;

describe("metered size rule", () => {
  it("is 2 KiB + data in 4 KiB steps, at least one step", () => {
    expect(meteredBytes({ kind: "file", size: 0, blocks: 0 })).toBe(6 * KiB);
    expect(meteredBytes({ kind: "file", size: 1, blocks: 8 })).toBe(6 * KiB);
    expect(meteredBytes({ kind: "file", size: 4096, blocks: 8 })).toBe(6 * KiB);
    expect(meteredBytes({ kind: "file", size: 4097, blocks: 16 })).toBe(10 * KiB);
    // Sparse: 1 MiB logical, 8 KiB allocated → the allocated size counts.
    expect(meteredBytes({ kind: "file", size: 1 << 20, blocks: 16 })).toBe(10 * KiB);
    expect(meteredBytes({ kind: "directory", size: 4096, blocks: 8 })).toBe(6 * KiB);
    expect(meteredBytes({ kind: "directory", size: 12288, blocks: 24 })).toBe(14 * KiB);
    expect(meteredBytes({ kind: "other", size: 30, blocks: 0 })).toBe(6 * KiB);
    expect(EMPTY_FILE_SYSTEM_BYTES).toBe(6 * KiB);
  });
});

describe("metering walk", () => {
  it("adds up a known tree, counts hard links once, follows no symlink and stops at mounts", async () => {
    f = openModelFixture();
    const fs = f.model.fileSystems.create({ creationToken: "meter" });
    f.settle();
    const root = f.layout.fileSystemDir(fs.id);
    expect((await meterTree(root, [""])).total).toBe(6 * KiB); // empty file system

    writeFileSync(join(root, "a"), "x"); // 6 KiB
    writeFileSync(join(root, "b"), Buffer.alloc(5000, 1)); // 2 + 8 = 10 KiB
    writeFileSync(join(root, "e"), ""); // 6 KiB
    mkdirSync(join(root, "d")); // 6 KiB
    writeFileSync(join(root, "d/c"), Buffer.alloc(4096, 1)); // 6 KiB
    symlinkSync("/usr", join(root, "l")); // 6 KiB, target never walked
    linkSync(join(root, "b"), join(root, "d/hardlink-to-b")); // same inode: not again
    writeFileSync(join(root, "s"), "");
    truncateSync(join(root, "s"), 1 << 20); // sparse, nothing allocated: 6 KiB
    expect(statSync(join(root, "s")).blocks).toBe(0);
    mkdirSync(join(root, "mnt")); // shadowed by the mount below: neither it nor the mount's content counts
    const outside = join(f.dir, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "big"), Buffer.alloc(1 << 20, 1));
    execFileSync("mount", ["--bind", outside, join(root, "mnt")]);
    try {
      const r = await meterTree(root, ["", "d", "missing"]);
      expect(r.total).toBe((6 + 6 + 10 + 6 + 6 + 6 + 6 + 6) * KiB);
      expect(r.roots.get("d")).toBe(12 * KiB);
      expect(r.roots.get("")).toBe(r.total);
      expect(r.roots.has("missing")).toBe(false);
    } finally {
      execFileSync("umount", [join(root, "mnt")]);
    }
  });

  it("feeds SizeInBytes and the per-access-point usage report", async () => {
    f = openModelFixture();
    const fs = f.model.fileSystems.create({ creationToken: "report", tags: [{ Key: "Name", Value: "data" }] });
    f.settle();
    const ap = f.model.accessPoints.create({
      clientToken: "r",
      fileSystemId: fs.id,
      tags: [{ Key: "Name", Value: "pvc-1" }],
      rootDirectory: { path: "/vol/pvc-1", creationInfo: { ownerUid: 1, ownerGid: 1, permissions: "755" } },
    }).accessPoint;
    const later = f.model.accessPoints.create({ clientToken: "r2", fileSystemId: fs.id, rootDirectory: { path: "/vol/pvc-2" } }).accessPoint;
    const m = f.model.mounts.mount({ fileSystemId: fs.id, accessPointId: ap.id, secureTransport: true });
    writeFileSync(join(m.hostPath, "f"), Buffer.alloc(10000, 1)); // 2 + 12 = 14 KiB
    const meter = new Meter(f.model, f.layout, createLogger("test"));
    expect(meter.sizeOf(fs.id, fs.creationTime)).toEqual({ Value: 6 * KiB, ValueInStandard: 6 * KiB, ValueInIA: 0, ValueInArchive: 0, Timestamp: fs.creationTime });
    await meter.refresh();
    const size = meter.sizeOf(fs.id, fs.creationTime);
    expect(size.Value).toBe((6 + 6 + 6 + 14) * KiB); // root, vol, pvc-1, f
    expect(size.ValueInStandard).toBe(size.Value);
    const report = buildUsageReport(f.model, meter, fs.id);
    expect(report.fileSystems).toHaveLength(1);
    expect(report.fileSystems[0]).toMatchObject({ fileSystemId: fs.id, name: "data", clientConnections: 1 });
    expect(report.fileSystems[0].accessPoints).toEqual([
      { accessPointId: ap.id, name: "pvc-1", rootDirectory: "/vol/pvc-1", meteredBytes: 20 * KiB },
      { accessPointId: later.id, name: undefined, rootDirectory: "/vol/pvc-2", meteredBytes: null },
    ]);
    const table = formatUsage({ ...report, generatedAt: size.Timestamp + 5 });
    const lines = table.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^FILE SYSTEM \/ ACCESS POINT\s+NAME\s+ROOT\s+METERED\s+CONNECTIONS\s+MEASURED$/);
    expect(lines[1]).toMatch(new RegExp(`^${fs.id}\\s+data\\s+/\\s+32 KiB\\s+1\\s+5s ago$`));
    expect(lines[2]).toMatch(new RegExp(`^  ${ap.id}\\s+pvc-1\\s+/vol/pvc-1\\s+20 KiB$`));
    expect(lines[3]).toMatch(new RegExp(`^  ${later.id}\\s+-\\s+/vol/pvc-2\\s+-$`));
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GiB");
    expect(formatUsage({ generatedAt: 0, fileSystems: [] })).toBe("No file systems.\n");
  });
});
