// IO counters through a real FUSE mount: data bytes and operations grow with what callers move;
// metadata operations are counted at EFS's 4 KiB minimum.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mountEfsFuse, type EfsFuseMount, type IoCounters } from "./index.js";
import { buildDaemon, eventually, makeSandbox, type Sandbox } from "./testing.js";

const MiB = 1024 * 1024;

describe("IO counters (daemon data path)", () => {
  let box: Sandbox;
  let m: EfsFuseMount;
  beforeAll(async () => {
    expect(process.getuid?.()).toBe(0);
    await buildDaemon();
    box = makeSandbox("stats");
    m = await mountEfsFuse({ source: box.source, target: box.target, uid: 0, gid: 0, fsName: "efs:fs-0000000000000000c", statsFile: box.statsFile, passthrough: false });
  });
  afterAll(async () => {
    await m?.unmount();
    box?.cleanup();
  });

  it("starts from zero data and counts written then read bytes", async () => {
    const start = m.stats();
    expect(start.passthrough).toBe(false);
    expect(start.dataWriteBytes).toBe(0);
    const payload = Buffer.alloc(3 * MiB + 123, 7);
    writeFileSync(join(m.target, "blob"), payload);
    await eventually(() => m.stats().dataWriteBytes >= payload.length, "write bytes counted");
    const afterWrite = m.stats();
    expect(afterWrite.dataWriteBytes).toBe(payload.length);
    expect(afterWrite.dataWriteOps).toBeGreaterThanOrEqual(4);

    expect(readFileSync(join(m.target, "blob")).equals(payload)).toBe(true);
    await eventually(() => m.stats().dataReadBytes >= payload.length, "read bytes counted");
    const afterRead = m.stats();
    expect(afterRead.dataReadBytes).toBeGreaterThanOrEqual(payload.length);
    expect(afterRead.dataReadOps).toBeGreaterThan(0);
    expect(afterRead.totalBytes).toBe(afterRead.dataReadBytes + afterRead.dataWriteBytes + afterRead.metadataBytes);
  });

  it("counts metadata operations at 4 KiB each at least", async () => {
    const before: IoCounters = m.stats();
    for (let i = 0; i < 10; i++) statSync(join(m.target, "blob"));
    readdirSync(m.target);
    await eventually(() => m.stats().metadataOps > before.metadataOps, "metadata counted");
    const after = m.stats();
    expect(after.metadataBytes - before.metadataBytes).toBeGreaterThanOrEqual(4096 * (after.metadataOps - before.metadataOps));
  });

  it("writes the final counters on unmount", async () => {
    writeFileSync(join(m.target, "last"), "12345");
    await m.unmount();
    const final = JSON.parse(readFileSync(box.statsFile, "utf8")) as IoCounters;
    expect(final.dataWriteBytes).toBe(3 * MiB + 123 + 5);
  });
});

describe("IO counters with kernel passthrough", () => {
  let box: Sandbox;
  let m: EfsFuseMount;
  beforeAll(async () => {
    await buildDaemon();
    box = makeSandbox("stats-pt");
    m = await mountEfsFuse({ source: box.source, target: box.target, fsName: "efs:fs-0000000000000000d", statsFile: box.statsFile, passthrough: true });
  });
  afterAll(async () => {
    await m?.unmount();
    box?.cleanup();
  });

  it("negotiates passthrough on this kernel and counts opens, not data", async () => {
    writeFileSync(join(m.target, "f"), Buffer.alloc(MiB, 1));
    expect(readFileSync(join(m.target, "f")).length).toBe(MiB);
    await eventually(() => m.stats().passthroughOpens >= 2, "passthrough opens counted");
    const s = m.stats();
    expect(s.passthrough).toBe(true);
    expect(s.dataWriteBytes).toBe(0);
    expect(s.metadataOps).toBeGreaterThan(0);
  });
});
