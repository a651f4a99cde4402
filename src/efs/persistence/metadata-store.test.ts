import { describe, it, expect, afterEach } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { MetadataStore } from "./metadata-store.js";
import { setFailpoints } from "../../lib/failpoints.js";
import { openModelFixture } from "../testing/model-fixture.js";

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "efs-meta-"));
  dirs.push(dir);
  return join(dir, "meta.db");
}
afterEach(() => {
  setFailpoints(undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("MetadataStore", () => {
  it("runs in WAL mode (the constructor also refuses to run unless synchronous=FULL stuck)", () => {
    const file = tempDb();
    const store = new MetadataStore(file);
    store.close();
    const db = new Database(file);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("commits queued writes together and resolves sync only after they are readable from disk", async () => {
    const file = tempDb();
    const store = new MetadataStore(file);
    store.put("file-system", "fs-1", 1, { id: "fs-1" });
    store.put("file-system", "fs-2", 2, { id: "fs-2" });
    store.remove("file-system", "fs-1");
    const other = new Database(file, { readonly: true });
    expect(other.prepare("SELECT count(*) FROM resources").pluck().get()).toBe(0); // only queued
    await store.sync();
    expect(other.prepare("SELECT id FROM resources").pluck().all()).toEqual(["fs-2"]);
    other.close();
    expect(store.load("file-system")).toEqual([{ id: "fs-2", seq: 2, doc: { id: "fs-2" } }]);
    await expect(store.sync()).resolves.toBeUndefined(); // nothing queued: immediate
    store.close();
  });

  it("rejects the waiters of a failed commit and reports it, committing nothing of the batch", async () => {
    const store = new MetadataStore(tempDb());
    const failures: unknown[] = [];
    store.onCommitFailure = (e) => failures.push(e);
    setFailpoints("efs.meta.before-commit=throw");
    store.put("mount", "m-1", 1, {});
    await expect(store.sync()).rejects.toThrow(/failpoint/);
    expect(failures).toHaveLength(1);
    setFailpoints(undefined);
    expect(store.load("mount")).toEqual([]);
    store.close();
  });

  it("lets the model fall back to committed state after a failed commit", async () => {
    const f = openModelFixture();
    try {
      f.store.onCommitFailure = () => f.model.reload();
      const kept = f.model.fileSystems.create({ creationToken: "kept" });
      f.settle();
      await f.store.sync();
      setFailpoints("efs.meta.before-commit=throw");
      const lost = f.model.fileSystems.create({ creationToken: "lost" });
      await expect(f.store.sync()).rejects.toThrow();
      setFailpoints(undefined);
      expect(f.model.fileSystemIds()).toEqual([kept.id]);
      expect(() => f.model.fileSystems.get(lost.id)).toThrow(/does not exist/);
    } finally {
      f.cleanup();
    }
  });

  const inFlight = (): Promise<void> => new Promise((r) => setImmediate(r)); // the store's flush runs first

  it("forms the next batch from everything queued while one is in flight", async () => {
    const store = new MetadataStore(tempDb());
    // Only the second batch throws: if b and c were two batches, c would be committed.
    setFailpoints("efs.meta.before-commit=2*throw");
    store.put("mount", "a", 1, {});
    const first = store.sync();
    await inFlight();
    store.put("mount", "b", 2, {});
    store.put("mount", "c", 3, {});
    const second = store.sync();
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow(/failpoint/);
    expect(store.load("mount").map((r) => r.id)).toEqual(["a"]);
    store.close();
  });

  it("waits for the batch in flight when nothing is queued behind it", async () => {
    const file = tempDb();
    const store = new MetadataStore(file);
    store.put("mount", "a", 1, {});
    await inFlight();
    await store.sync();
    expect(store.load("mount").map((r) => r.id)).toEqual(["a"]);
    store.close();
  });

  it("keeps put/remove order for one id across batches", async () => {
    const store = new MetadataStore(tempDb());
    store.put("policy", "x", 1, { v: 1 });
    await inFlight();
    store.remove("policy", "x");
    store.put("policy", "x", 2, { v: 2 });
    await store.sync();
    expect(store.load("policy")).toEqual([{ id: "x", seq: 2, doc: { v: 2 } }]);
    store.put("policy", "x", 3, { v: 3 });
    await inFlight();
    store.remove("policy", "x");
    await store.sync();
    expect(store.load("policy")).toEqual([]);
    store.close();
  });

  it("close with a batch in flight and more queued loses and reorders nothing", async () => {
    const file = tempDb();
    const store = new MetadataStore(file);
    store.put("access-point", "a", 1, { v: 1 });
    store.put("access-point", "b", 2, { v: 1 });
    const first = store.sync();
    await inFlight();
    store.remove("access-point", "a");
    store.put("access-point", "b", 2, { v: 2 });
    store.put("access-point", "c", 3, { v: 1 });
    const second = store.sync();
    store.close();
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toBeUndefined();
    expect(() => store.put("mount", "late", 9, {})).toThrow(/closed/);
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT id, doc FROM resources ORDER BY seq").all()).toEqual([
      { id: "b", doc: JSON.stringify({ v: 2 }) },
      { id: "c", doc: JSON.stringify({ v: 1 }) },
    ]);
    db.close();
  });

  it("rejects the waiters when the worker dies, reports it, and commits again with a new worker", async () => {
    const store = new MetadataStore(tempDb());
    const failures: unknown[] = [];
    store.onCommitFailure = (e) => failures.push(e);
    setFailpoints("efs.meta.worker-crash=throw");
    store.put("mount", "lost", 1, {});
    await expect(store.sync()).rejects.toThrow(/worker exited/);
    expect(failures).toHaveLength(1);
    setFailpoints(undefined);
    expect(store.load("mount")).toEqual([]);
    store.put("mount", "kept", 2, {});
    await store.sync();
    expect(store.load("mount").map((r) => r.id)).toEqual(["kept"]);
    store.close();
  });

  it("rejects a batch the worker cannot write and everything queued behind it", async () => {
    const file = tempDb();
    const store = new MetadataStore(file);
    const failures: unknown[] = [];
    store.onCommitFailure = (e) => failures.push(e);
    const other = new Database(file);
    other.exec("DROP TABLE resources");
    store.put("mount", "a", 1, {});
    const first = store.sync();
    await inFlight();
    store.put("mount", "b", 2, {});
    const behind = store.sync();
    await expect(first).rejects.toThrow(/commit failed.*no such table/);
    await expect(behind).rejects.toThrow(/commit failed/);
    expect(failures).toHaveLength(1);
    other.close();
    store.close();
  });
});
