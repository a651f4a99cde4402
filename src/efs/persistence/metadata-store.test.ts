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
});
