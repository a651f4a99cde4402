import { describe, it, expect } from "vitest";
import { UsageSampler } from "./usage-sampler.js";
import type { EfsReader } from "./efs-reader.js";
import type { EfsUsageReport } from "../model/usage-types.js";

function report(size: number): EfsUsageReport {
  return { generatedAt: 1, fileSystems: [{ fileSystemId: "fs-12345678", sizeInBytes: { Value: size }, clientConnections: 2, accessPoints: [{ accessPointId: "fsap-1", rootDirectory: "/a", meteredBytes: size / 2 }] }] };
}

function fakeReader(): EfsReader & { size: number; fail?: string; metricsFail?: string; calls: number; release?: () => void; gate?: Promise<void> } {
  const r = {
    size: 4096,
    calls: 0,
    fail: undefined as string | undefined,
    metricsFail: undefined as string | undefined,
    gate: undefined as Promise<void> | undefined,
    async usage() {
      r.calls++;
      if (r.gate) await r.gate;
      if (r.fail) throw new Error(r.fail);
      return report(r.size);
    },
    async metricsText() {
      if (r.metricsFail) throw new Error(r.metricsFail);
      return `efs_data_write_io_bytes_total{file_system_id="fs-12345678"} ${r.size}\n`;
    },
  };
  return r;
}

describe("UsageSampler", () => {
  it("records sizes, connections, access points and I/O counters per sample", async () => {
    let now = 1000;
    const reader = fakeReader();
    const s = new UsageSampler(reader, { intervalMs: 10, capacity: 5, now: () => now });
    await s.sampleOnce();
    now = 2000;
    reader.size = 8192;
    await s.sampleOnce();
    const h = s.history();
    expect(h.samples.map((x) => x.t)).toEqual([1000, 2000]);
    expect(h.samples[1].fileSystems["fs-12345678"]).toEqual({ size: 8192, connections: 2, io: expect.objectContaining({ writeBytes: 8192 }) });
    expect(h.samples[1].accessPoints["fsap-1"]).toEqual({ fileSystemId: "fs-12345678", bytes: 4096 });
    expect(h.report?.fileSystems[0].sizeInBytes.Value).toBe(8192);
    expect(s.history(1000).samples.map((x) => x.t)).toEqual([2000]);
  });

  it("keeps at most capacity samples, dropping the oldest", async () => {
    let now = 0;
    const s = new UsageSampler(fakeReader(), { intervalMs: 10, capacity: 3, now: () => (now += 1000) });
    for (let i = 0; i < 5; i++) await s.sampleOnce();
    expect(s.history().samples.map((x) => x.t)).toEqual([3000, 4000, 5000]);
  });

  it("keeps times strictly increasing even if the clock does not move", async () => {
    const s = new UsageSampler(fakeReader(), { intervalMs: 10, capacity: 3, now: () => 5 });
    await s.sampleOnce();
    await s.sampleOnce();
    expect(s.history().samples.map((x) => x.t)).toEqual([5, 6]);
  });

  it("records why a sample failed and adds nothing; a later success clears it", async () => {
    const reader = fakeReader();
    const errors: string[] = [];
    const s = new UsageSampler(reader, { intervalMs: 10, capacity: 3, onError: (e) => errors.push(e.message) });
    reader.fail = "connect ECONNREFUSED";
    await s.sampleOnce();
    expect(s.history()).toMatchObject({ samples: [], lastError: "connect ECONNREFUSED" });
    expect(errors).toEqual(["connect ECONNREFUSED"]);
    reader.fail = undefined;
    await s.sampleOnce();
    expect(s.history().lastError).toBeUndefined();
    expect(s.history().samples).toHaveLength(1);
  });

  it("still samples sizes when the metrics endpoint fails, and says so", async () => {
    const reader = fakeReader();
    reader.metricsFail = "answered 403";
    const s = new UsageSampler(reader, { intervalMs: 10, capacity: 3 });
    await s.sampleOnce();
    const h = s.history();
    expect(h.samples[0].fileSystems["fs-12345678"].io).toBeUndefined();
    expect(h.lastError).toBe("I/O metrics: answered 403");
  });

  it("joins the sample in flight instead of starting another", async () => {
    const reader = fakeReader();
    let release!: () => void;
    reader.gate = new Promise((r) => (release = r));
    const s = new UsageSampler(reader, { intervalMs: 10, capacity: 3 });
    const a = s.sampleOnce();
    const b = s.sampleOnce();
    expect(a).toBe(b);
    release();
    await a;
    expect(reader.calls).toBe(1);
  });

  it("samples on its own once started, and stops", async () => {
    const reader = fakeReader();
    const s = new UsageSampler(reader, { intervalMs: 1, capacity: 100 });
    s.start();
    while (s.history().samples.length < 3) await new Promise((r) => setTimeout(r, 5));
    s.stop();
    const settled = reader.calls;
    await new Promise((r) => setTimeout(r, 30));
    expect(reader.calls).toBeLessThanOrEqual(settled + 1);
  });
});
