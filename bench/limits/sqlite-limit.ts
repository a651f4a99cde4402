/**
 * The store's physical limit, measured with raw better-sqlite3 on the same disk as the Cistern
 * data dirs, with the settings Cistern's store uses (WAL, synchronous=FULL, exclusive locking):
 *   - durable commits/s: one row per transaction, one after another (each COMMIT fsyncs the WAL);
 *   - batched rows/s: 100 rows per transaction, the ceiling group commit can approach.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SqliteLimit {
  commitsPerSecond: number;
  /** Latency of one durable commit, ms. */
  commitLatencies: number[];
  batchedRowsPerSecond: number;
}

/** Runs each measurement for `seconds`; values are 1 KiB, like a small Kubernetes object. */
export function measureSqliteLimit(seconds: number): SqliteLimit {
  const dir = mkdtempSync(join(tmpdir(), "cistern-bench-sqlite-"));
  const db = new Database(join(dir, "limit.db"));
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    if (Number(db.pragma("synchronous", { simple: true })) !== 2) throw new Error("synchronous=FULL did not take");
    db.exec("CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, value BLOB)");
    db.exec("CREATE INDEX log_name ON log (name, id)");
    const insert = db.prepare("INSERT INTO log (name, value) VALUES (?, ?)");
    const value = Buffer.alloc(1024, 0x61);

    const commitLatencies: number[] = [];
    let t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < seconds * 1000) {
      const s = performance.now();
      insert.run(`/registry/limit/k${n++}`, value); // autocommit: one durable transaction
      commitLatencies.push(performance.now() - s);
    }
    const commitsPerSecond = n / ((performance.now() - t0) / 1000);

    const batch = db.transaction((base: number) => {
      for (let i = 0; i < 100; i++) insert.run(`/registry/limit/b${base + i}`, value);
    });
    t0 = performance.now();
    let rows = 0;
    while (performance.now() - t0 < seconds * 1000) {
      batch(rows);
      rows += 100;
    }
    const batchedRowsPerSecond = rows / ((performance.now() - t0) / 1000);
    return { commitsPerSecond, commitLatencies, batchedRowsPerSecond };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
