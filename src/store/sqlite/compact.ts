/**
 * Compaction of the log table, in small batches so the write lock is held briefly.
 *
 * Compacting to T deletes, among rows at or below T, every row that a later row at or below T
 * supersedes (names as its prev_revision) and every tombstone. Batch (lo, hi] deletes the rows that
 * rows in (lo, hi] supersede, then the tombstones in (lo, hi], then records hi as the floor, in one
 * transaction, so after each batch the table is exactly "compacted to hi". Between batches the
 * event loop runs, so writes interleave. A pass ends with wal_checkpoint(TRUNCATE), which copies
 * the WAL into the database and truncates it, keeping the WAL file bounded.
 */
import type { Database } from "better-sqlite3";
import { failpoint } from "../../lib/failpoints.js";
import type { Statements } from "./statements.js";

export interface CompactionProgress {
  /** The floor after each committed batch (the backend caches it). */
  onFloor(floor: number): void;
  /** True when the backend closed: stop between batches. */
  stopped(): boolean;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One batch: compact (lo, hi] and record hi as the floor. Returns rows deleted. */
export function compactBatch(s: Statements, lo: number, hi: number): number {
  s.begin.run();
  try {
    // Superseded rows first: the tombstones deleted next still name the rows they supersede.
    let deleted = s.compactSuperseded.run({ lo, hi }).changes;
    deleted += s.compactTombstones.run({ lo, hi }).changes;
    s.setFloor.run(hi);
    failpoint("store.sqlite.compact.beforeCommit");
    s.commit.run();
    return deleted;
  } catch (err) {
    if (s.begin.database.inTransaction) s.rollback.run();
    throw err;
  }
}

/**
 * Compacts from `floor` up to `target` in batches of `batchRevisions`, yielding between batches.
 * Returns the number of rows deleted. Resolves early (without error) if `progress.stopped()`.
 */
export async function compactTo(
  s: Statements,
  floor: number,
  target: number,
  batchRevisions: number,
  progress: CompactionProgress,
): Promise<number> {
  let deleted = 0;
  for (let lo = floor; lo < target; ) {
    if (progress.stopped()) return deleted;
    const hi = Math.min(lo + batchRevisions, target);
    deleted += compactBatch(s, lo, hi);
    progress.onFloor(hi);
    failpoint("store.sqlite.compact.afterBatch");
    lo = hi;
    if (lo < target) await nextTurn();
  }
  return deleted;
}

/** Copies the WAL into the database and truncates it to zero bytes. */
export function checkpointTruncate(db: Database): { busy: boolean; walFrames: number; checkpointed: number } {
  failpoint("store.sqlite.beforeCheckpoint");
  const [r] = db.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number; log: number; checkpointed: number }>;
  return { busy: r.busy !== 0, walFrames: r.log, checkpointed: r.checkpointed };
}
