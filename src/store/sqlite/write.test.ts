import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setFailpoints } from "../../lib/failpoints.js";
import { planWrite } from "../core/plan-write.js";
import { isStoreError, type StoreEvent } from "../types.js";
import { openDatabase } from "./open.js";
import { readLatest } from "./read.js";
import { SqliteBackend } from "./sqlite-backend.js";
import { prepareStatements } from "./statements.js";
import { insertPlanned } from "./write.js";

const root = mkdtempSync(join(tmpdir(), "cistern-write-"));
let n = 0;
const freshPath = () => join(root, `db${++n}.db`);
const bytes = (s: string) => new TextEncoder().encode(s);
const open: SqliteBackend[] = [];
const openBackend = (path = freshPath()) => {
  const b = SqliteBackend.open(path);
  open.push(b);
  return b;
};
afterEach(async () => {
  setFailpoints(undefined);
  for (const b of open.splice(0)) await b.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe("group commit", () => {
  it("commits writes issued together in one transaction, each acknowledged with its own revision", async () => {
    const b = openBackend();
    await b.create("/warm", bytes("x"));
    const before = b.writeStats();
    const kvs = await Promise.all(Array.from({ length: 50 }, (_, i) => b.create(`/g/${i}`, bytes(`${i}`))));
    const after = b.writeStats();
    expect(after.commits - before.commits).toBe(1);
    expect(after.rows - before.rows).toBe(50);
    expect(kvs.map((kv) => kv.modRevision)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
  });

  it("fails a write that fails its check alone; the rest of its batch commits", async () => {
    const b = openBackend();
    const results = await Promise.allSettled([b.create("/a", bytes("1")), b.create("/a", bytes("2")), b.create("/b", bytes("3"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(isStoreError((results[1] as PromiseRejectedResult).reason, "KeyExists")).toBe(true);
    expect(b.writeStats()).toMatchObject({ commits: 1, rows: 2 });
    expect(await b.currentRevision()).toBe(2);
  });

  it("splits a large burst into transactions of at most maxWriteBatch writes", async () => {
    const path = freshPath();
    const b = SqliteBackend.open(path, { maxWriteBatch: 10 });
    open.push(b);
    await Promise.all(Array.from({ length: 35 }, (_, i) => b.create(`/s/${i}`, bytes("v"))));
    expect(b.writeStats()).toMatchObject({ commits: 4, rows: 35 });
  });

  it("close commits writes that were already accepted", async () => {
    const path = freshPath();
    const b = SqliteBackend.open(path);
    const pending = b.create("/late", bytes("x"));
    await b.close();
    expect((await pending).modRevision).toBe(1);
    const again = openBackend(path);
    expect((await again.get("/late")).kv?.modRevision).toBe(1);
  });
});

describe("failpoints on the write path", () => {
  it("store.sqlite.beforeCommit=throw: nothing is acknowledged, stored or published", async () => {
    const path = freshPath();
    const b = openBackend(path);
    await b.create("/ok", bytes("1"));
    const seen: StoreEvent[] = [];
    b.watch({ prefix: "/", afterRevision: 1, onEvents: (e) => seen.push(...e), onError: () => undefined });
    setFailpoints("store.sqlite.beforeCommit=throw");
    const results = await Promise.allSettled([b.create("/x", bytes("x")), b.update("/ok", bytes("2"), 1)]);
    expect(results.every((r) => r.status === "rejected" && isStoreError(r.reason, "Unavailable"))).toBe(true);
    setFailpoints(undefined);
    await settle();
    expect(seen).toEqual([]);
    expect(await b.currentRevision()).toBe(1);
    expect((await b.get("/x")).kv).toBeUndefined();
    expect(b.writeStats().failedCommits).toBe(1);
    // The rolled-back revisions were never visible, so the next write may take them.
    expect((await b.create("/y", bytes("y"))).modRevision).toBe(2);
    await settle();
    expect(seen.map((e) => e.kv.key)).toEqual(["/y"]);
  });

  it("store.sqlite.afterCommit=throw: the caller hears Unavailable, but the write is durable and published", async () => {
    const path = freshPath();
    const b = SqliteBackend.open(path);
    const seen: StoreEvent[] = [];
    b.watch({ prefix: "/", afterRevision: 0, onEvents: (e) => seen.push(...e), onError: () => undefined });
    setFailpoints("store.sqlite.afterCommit=throw");
    await expect(b.create("/x", bytes("x"))).rejects.toMatchObject({ code: "Unavailable" });
    setFailpoints(undefined);
    await settle();
    expect(seen.map((e) => e.revision)).toEqual([1]);
    await b.close();
    const again = openBackend(path);
    expect((await again.get("/x")).kv?.modRevision).toBe(1);
  });

  it("the N-th hit form fires on exactly one batch", async () => {
    const b = openBackend();
    setFailpoints("store.sqlite.beforeCommit=2*throw");
    await b.create("/1", bytes("1"));
    await expect(b.create("/2", bytes("2"))).rejects.toMatchObject({ code: "Unavailable" });
    await b.create("/3", bytes("3"));
    expect((await b.list({ prefix: "/" })).items.map((kv) => kv.key)).toEqual(["/1", "/3"]);
  });
});

describe("the UNIQUE(name, prev_revision) guard", () => {
  it("turns a write planned from a stale latest row into KeyExists or Conflict", () => {
    const db = openDatabase(freshPath());
    try {
      const s = prepareStatements(db);
      const create = { kind: "create" as const, key: "/k", value: bytes("1"), lease: 0 };
      const first = insertPlanned(s, create, planWrite(create, undefined));
      expect(first.id).toBe(1);
      // A second writer that read "no row" before the first insert landed.
      const err = (() => {
        try {
          insertPlanned(s, create, planWrite(create, undefined));
        } catch (e) {
          return e;
        }
      })();
      expect(isStoreError(err, "KeyExists")).toBe(true);
      expect((err as { current?: { modRevision: number } }).current?.modRevision).toBe(1);

      const update = { kind: "update" as const, key: "/k", value: bytes("2"), lease: 0, expected: 1 };
      const stale = readLatest(s, "/k");
      insertPlanned(s, update, planWrite(update, stale));
      expect(() => insertPlanned(s, update, planWrite(update, stale))).toThrow(expect.objectContaining({ code: "Conflict" }));
      expect(readLatest(s, "/k")?.id).toBe(2);
    } finally {
      db.close();
    }
  });
});
