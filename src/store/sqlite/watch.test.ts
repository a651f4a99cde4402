/** SQLite-specific watch behaviour: history read across many pages while writes continue, and backpressure. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { StoreError, StoreEvent } from "../types.js";
import { SqliteBackend } from "./sqlite-backend.js";

const root = mkdtempSync(join(tmpdir(), "cistern-watch-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const bytes = (s: string) => new TextEncoder().encode(s);

describe("SQLite watch", () => {
  it("reads history page by page while writes commit, without gap or duplicate", async () => {
    const b = SqliteBackend.open(join(root, `w${++n}.db`), { historyPage: 7 });
    for (let i = 0; i < 200; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => b.create(`/h/${i + j}`, bytes("v"))));
    const got: number[] = [];
    const errors: StoreError[] = [];
    const done = new Promise<void>((resolve) => {
      b.watch({
        prefix: "/h/",
        afterRevision: 0,
        onEvents: (events: StoreEvent[]) => {
          got.push(...events.map((e) => e.revision));
          if (got.length >= 300) resolve();
        },
        onError: (e) => {
          errors.push(e);
          resolve();
        },
      });
    });
    // 100 more writes, one at a time, racing the 29 history pages.
    for (let i = 0; i < 100; i++) await b.create(`/h/late/${i}`, bytes("v"));
    await done;
    expect(errors).toEqual([]);
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    await b.close();
  });

  it("drops a watcher that falls too far behind while catching up, with Unavailable", async () => {
    const b = SqliteBackend.open(join(root, `w${++n}.db`), { historyPage: 10, watchBufferEvents: 20 });
    await Promise.all(Array.from({ length: 500 }, (_, i) => b.create(`/s/${i}`, bytes("v"))));
    const errors: StoreError[] = [];
    let delivered = 0;
    b.watch({ prefix: "/s/", afterRevision: 0, onEvents: (e) => (delivered += e.length), onError: (e) => errors.push(e) });
    const keeper: StoreEvent[] = [];
    b.watch({ prefix: "/s/", afterRevision: 500, onEvents: (e) => keeper.push(...e), onError: (e) => errors.push(e) });
    // 100 writes in one group commit arrive while the first watcher is still paging through 500 rows.
    await Promise.all(Array.from({ length: 100 }, (_, i) => b.create(`/s/new/${i}`, bytes("v"))));
    for (let i = 0; i < 10 && errors.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(errors.map((e) => e.code)).toEqual(["Unavailable"]);
    expect(errors[0].message).toMatch(/fell more than 20 events behind/);
    expect(delivered).toBeLessThan(600);
    // The second watcher was live (nothing to catch up) and drained each commit at once.
    await b.close();
    expect(keeper.length).toBe(100);
  });
});
