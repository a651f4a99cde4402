/**
 * Crash consistency: a writer process is killed (SIGKILL, or a failpoint's immediate exit) in the
 * middle of a stream of writes; on reopen every write it had acknowledged must be there.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteBackend } from "./sqlite-backend.js";
import { followLines, spawnHelper } from "./testdata/child.js";

const root = mkdtempSync(join(tmpdir(), "cistern-crash-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

interface Ack {
  kind: "create" | "update";
  revision: number;
  key: string;
}

/** Runs the ack-writer until `stopAfter` acks (then SIGKILL) or until it exits by itself. */
async function runWriter(opts: { workers: number; stopAfter?: number; compact?: boolean; failpoints?: string }) {
  const path = join(root, `crash${++n}.db`);
  const child = spawnHelper("./ack-writer.ts", [path, String(opts.workers), opts.compact ? "compact" : ""], {
    CISTERN_FAILPOINTS: opts.failpoints ?? "",
    CISTERN_LOG: "error",
  });
  const acks: Ack[] = [];
  const exit = followLines(child, (line) => {
    const [kind, rev, key] = line.split(" ");
    acks.push({ kind: kind as Ack["kind"], revision: Number(rev), key });
    if (opts.stopAfter !== undefined && acks.length === opts.stopAfter) child.kill("SIGKILL");
  });
  const result = await exit;
  return { path, acks, ...result };
}

async function expectAcknowledgedPresent(path: string, acks: Ack[]): Promise<SqliteBackend> {
  const b = SqliteBackend.open(path);
  const latestUpdate = new Map<string, number>();
  for (const a of acks) {
    if (a.kind === "update") latestUpdate.set(a.key, Math.max(latestUpdate.get(a.key) ?? 0, a.revision));
  }
  const current = await b.currentRevision();
  for (const a of acks) {
    expect(a.revision).toBeLessThanOrEqual(current);
    const kv = (await b.get(a.key)).kv;
    expect(kv, `acknowledged ${a.kind} of ${a.key} at ${a.revision} is missing`).toBeDefined();
    if (a.kind === "create") expect(kv?.createRevision).toBe(a.revision);
  }
  for (const [key, rev] of latestUpdate) expect((await b.get(key)).kv?.modRevision).toBeGreaterThanOrEqual(rev);
  return b;
}

describe("crash consistency", () => {
  it("SIGKILL in a stream of concurrent writes loses no acknowledged write", async () => {
    const run = await runWriter({ workers: 8, stopAfter: 1500 });
    expect(run.signal).toBe("SIGKILL");
    expect(run.acks.length).toBeGreaterThanOrEqual(1500);
    const b = await expectAcknowledgedPresent(run.path, run.acks);
    const maxAck = Math.max(...run.acks.map((a) => a.revision));
    expect((await b.create("/after-crash", new Uint8Array(1))).modRevision).toBeGreaterThan(maxAck);
    await b.close();
  });

  it("SIGKILL while a compactor runs loses no acknowledged write and keeps the floor consistent", async () => {
    const run = await runWriter({ workers: 4, stopAfter: 2000, compact: true });
    expect(run.signal).toBe("SIGKILL");
    const b = await expectAcknowledgedPresent(run.path, run.acks);
    const floor = await b.compactRevision();
    expect(floor).toBeGreaterThan(0);
    expect((await b.list({ prefix: "/crash/", revision: floor })).items.length).toBeGreaterThan(0);
    await b.close();
  });

  it("an exit just before a commit loses that write and nothing acknowledged", async () => {
    const run = await runWriter({ workers: 1, failpoints: "store.sqlite.beforeCommit=6*exit" });
    expect(run.code).toBe(137);
    expect(run.acks.map((a) => a.revision)).toEqual([1, 2, 3, 4, 5]);
    const b = await expectAcknowledgedPresent(run.path, run.acks);
    expect(await b.currentRevision()).toBe(5);
    await b.close();
  });

  it("an exit just after a commit keeps that write although it was never acknowledged", async () => {
    const run = await runWriter({ workers: 1, failpoints: "store.sqlite.afterCommit=6*exit" });
    expect(run.code).toBe(137);
    expect(run.acks.map((a) => a.revision)).toEqual([1, 2, 3, 4, 5]);
    const b = await expectAcknowledgedPresent(run.path, run.acks);
    expect(await b.currentRevision()).toBe(6);
    await b.close();
  });

  it("an exit inside a compaction batch leaves the previous floor and all data", async () => {
    const run = await runWriter({ workers: 2, compact: true, failpoints: "store.sqlite.compact.beforeCommit=3*exit" });
    expect(run.code).toBe(137);
    const b = await expectAcknowledgedPresent(run.path, run.acks);
    const floor = await b.compactRevision();
    expect(floor).toBeGreaterThan(0);
    await expect(b.get("/crash/counter/0", floor)).resolves.toBeDefined();
    await b.close();
  });
});
