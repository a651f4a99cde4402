import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emptyIoCounters, parseIoCounters, readIoCounters } from "./stats.js";

describe("IO counters file", () => {
  it("parses the daemon's document", () => {
    const c = parseIoCounters('{"fsName":"efs","pid":1,"time":"2026-01-01T00:00:00.000Z","passthrough":true,"dataReadBytes":10,"dataReadOps":1,"dataWriteBytes":20,"dataWriteOps":2,"metadataBytes":4096,"metadataOps":1,"totalBytes":4126,"meteredBytes":8192,"passthroughOpens":3}');
    expect(c).toEqual({ dataReadBytes: 10, dataReadOps: 1, dataWriteBytes: 20, dataWriteOps: 2, metadataBytes: 4096, metadataOps: 1, totalBytes: 4126, meteredBytes: 8192, passthrough: true, passthroughOpens: 3, time: "2026-01-01T00:00:00.000Z" });
  });

  it("reads zeros before the first file and ignores junk fields", () => {
    const dir = mkdtempSync("/tmp/efs-fuse-stats-");
    try {
      expect(readIoCounters(join(dir, "absent.json"))).toEqual(emptyIoCounters());
      writeFileSync(join(dir, "s.json"), '{"dataReadBytes":"lots","metadataOps":2}');
      expect(readIoCounters(join(dir, "s.json"))).toEqual({ ...emptyIoCounters(), metadataOps: 2 });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
