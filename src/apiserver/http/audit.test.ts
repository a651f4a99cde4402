import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuditLog, type AuditEntry } from "./audit.js";
import type { RequestInfo } from "./request-info.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function entry(name: string): AuditEntry {
  const info = { isResourceRequest: true, verb: "create", group: "", version: "v1", resource: "configmaps", namespace: "default", name, subresource: "" } as unknown as RequestInfo;
  return { info, user: { name: "admin", groups: ["system:masters"] }, code: 201, uri: "/api/v1/namespaces/default/configmaps", sourceIp: "127.0.0.1", userAgent: "test", received: new Date() };
}

describe("audit log", () => {
  it("writes one audit.k8s.io/v1 Event per line, at level Metadata", async () => {
    const dir = mkdtempSync(join(tmpdir(), "audit-"));
    dirs.push(dir);
    const log = new AuditLog(join(dir, "audit.log"));
    log.record(entry("a"));
    await log.close();
    const lines = readFileSync(join(dir, "audit.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ kind: "Event", apiVersion: "audit.k8s.io/v1", level: "Metadata", verb: "create", objectRef: { resource: "configmaps", name: "a" }, responseStatus: { code: 201 } });
  });

  it("rotates past the size limit, keeps the newest backups only, and loses no line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "audit-"));
    dirs.push(dir);
    // Rotations within one millisecond and across the next: a backup's number must never be one
    // an earlier, pruned backup of the same millisecond had (it would sort as the oldest).
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-24T21:03:28.848Z"));
    let log = new AuditLog(join(dir, "audit.log"), { maxSizeBytes: 4096, maxBackups: 3 });
    try {
      for (let i = 0; i < 60; i++) {
        if (i === 45) vi.setSystemTime(new Date("2026-11-24T21:03:28.849Z"));
        log.record(entry(`cm-${i}`));
      }
    } finally {
      vi.useRealTimers();
    }
    await log.close();
    await new Promise((r) => setTimeout(r, 20));
    const backups = readdirSync(dir).filter((f) => f !== "audit.log").sort();
    const files = [...backups, "audit.log"];
    expect(backups).toHaveLength(3);
    for (const b of backups) expect(b).toMatch(/^audit-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}-\d{4}\.log$/);
    for (const f of files) expect(readFileSync(join(dir, f)).length).toBeLessThanOrEqual(4096);
    // The newest lines are all there, in order, across the kept backups and the current file.
    const names = files.flatMap((f) => readFileSync(join(dir, f), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { objectRef: { name: string } }).objectRef.name));
    expect(names.length).toBeGreaterThan(10);
    expect(names).toEqual(Array.from({ length: names.length }, (_, i) => `cm-${60 - names.length + i}`));
    // Reopening continues the current file's size count instead of starting from zero.
    log = new AuditLog(join(dir, "audit.log"), { maxSizeBytes: 4096, maxBackups: 3 });
    log.record(entry("after-reopen"));
    await log.close();
    expect(readFileSync(join(dir, "audit.log")).length).toBeLessThanOrEqual(4096);
  });
});
