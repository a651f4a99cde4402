/**
 * SQLite compaction under sustained writes: the compactor must keep the row count and the WAL
 * bounded while writes continue, and compaction must interleave with writes rather than block them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setFailpoints } from "../../lib/failpoints.js";
import { startCompactor } from "../compactor.js";
import { SqliteBackend } from "./sqlite-backend.js";

const root = mkdtempSync(join(tmpdir(), "cistern-compact-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => setFailpoints(undefined));
let n = 0;
const value = new Uint8Array(2048).fill(7);

describe("SQLite compaction", () => {
  it("the compactor bounds row count and WAL size under sustained writes", async () => {
    const b = SqliteBackend.open(join(root, `c${++n}.db`), { compactBatchRevisions: 200 });
    const keys = 50;
    const retain = 500;
    const compactor = startCompactor(b, { intervalMs: 20, minRetainRevisions: retain });
    const revs: number[] = [];
    for (let i = 0; i < keys; i++) revs.push((await b.create(`/s/${i}`, value)).modRevision);
    let maxRows = 0;
    let maxWal = 0;
    const total = 12_000;
    for (let w = 0; w < total; w += keys) {
      // One round: every key updated concurrently (one group commit).
      const kvs = await Promise.all(revs.map((rev, i) => b.update(`/s/${i}`, value, rev)));
      kvs.forEach((kv, i) => (revs[i] = kv.modRevision));
      if (w % 1000 === 0) {
        await new Promise((r) => setTimeout(r, 25)); // let the compactor's timer fire
        const st = await b.stats();
        maxRows = Math.max(maxRows, st.rows);
        maxWal = Math.max(maxWal, st.walBytes);
      }
    }
    await compactor.runOnce();
    const end = await b.stats();
    expect(compactor.status().passes).toBeGreaterThan(3);
    expect(compactor.status().failures).toBe(0);
    // Without compaction there would be 12,050 rows; with it, the live keys plus the retained window.
    expect(end.rows).toBeLessThanOrEqual(keys + retain);
    expect(maxRows).toBeLessThan(4000);
    expect(end.walBytes).toBe(0); // TRUNCATE checkpoint after the pass
    expect(maxWal).toBeLessThan(16 * 1024 * 1024);
    expect(await b.compactRevision()).toBe((await b.currentRevision()) - retain);
    expect((await b.count("/s/")).count).toBe(keys);
    await compactor.stop();
    await b.close();
  });

  it("compacts in batches that let writes in between, and records the floor per batch", async () => {
    const b = SqliteBackend.open(join(root, `c${++n}.db`), { compactBatchRevisions: 10 });
    let rev = (await b.create("/k", value)).modRevision;
    for (let i = 0; i < 200; i++) rev = (await b.update("/k", value, rev)).modRevision;
    const floors: number[] = [];
    const compacting = b.compact(150);
    // A write issued while compaction is in flight lands between two batches.
    const write = b.create("/during", value).then(async (kv) => {
      floors.push(await b.compactRevision());
      return kv;
    });
    await Promise.all([compacting, write]);
    expect(floors[0]).toBeGreaterThan(0);
    expect(floors[0]).toBeLessThan(150);
    expect(await b.compactRevision()).toBe(150);
    // Left: row 150 (the latest as of the floor), rows 151..201, and /during at 202.
    expect((await b.stats()).rows).toBe(1 + 51 + 1);
    await b.close();
  });

  it("survives close in the middle of a compaction", async () => {
    const path = join(root, `c${++n}.db`);
    const b = SqliteBackend.open(path, { compactBatchRevisions: 5 });
    let rev = (await b.create("/k", value)).modRevision;
    for (let i = 0; i < 100; i++) rev = (await b.update("/k", value, rev)).modRevision;
    const compacting = b.compact(90).catch((e) => e);
    await b.close();
    const outcome = await compacting;
    expect(outcome === undefined || outcome.code === "Unavailable").toBe(true);
    const again = SqliteBackend.open(path);
    const floor = await again.compactRevision();
    expect(floor).toBeGreaterThanOrEqual(0);
    expect(floor % 5).toBe(0); // only whole batches were recorded
    expect((await again.get("/k")).kv?.modRevision).toBe(101);
    await again.close();
  });

  it("a compaction batch that fails before commit is rolled back whole, and a later pass succeeds", async () => {
    const b = SqliteBackend.open(join(root, `c${++n}.db`), { compactBatchRevisions: 20 });
    let rev = (await b.create("/k", value)).modRevision;
    for (let i = 0; i < 60; i++) rev = (await b.update("/k", value, rev)).modRevision;
    const rows = (await b.stats()).rows;
    setFailpoints("store.sqlite.compact.beforeCommit=2*throw");
    await expect(b.compact(50)).rejects.toThrow(/failpoint store.sqlite.compact.beforeCommit/);
    expect(await b.compactRevision()).toBe(20); // the first batch committed, the second rolled back
    expect((await b.stats()).rows).toBe(rows - 19);
    await b.compact(50);
    expect(await b.compactRevision()).toBe(50);
    expect((await b.stats()).rows).toBe(rows - 49);
    expect((await b.get("/k", 50)).kv?.modRevision).toBe(50);
    await b.close();
  });
});
