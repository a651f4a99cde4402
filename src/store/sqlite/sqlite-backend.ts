/**
 * The default Backend: kine's log table on better-sqlite3, in one process.
 *
 * better-sqlite3 is synchronous and this process holds the file exclusively, so the current
 * revision and the compaction floor are cached in memory and always agree with the table between
 * statements. Writes go through the group-commit writer; reads run directly; watches are served by
 * the in-process hub from the table's history plus the events each commit publishes.
 */
import type { Database } from "better-sqlite3";
import { statSync } from "node:fs";
import { assertValidKey, assertValidPrefix } from "../core/keys.js";
import type { WriteOp } from "../core/plan-write.js";
import { assertRevisionArg, resolveReadRevision, unavailableError } from "../core/revisions.js";
import { rowKv } from "../core/rows.js";
import { expireByDelete, TtlSweeper } from "../core/ttl-sweeper.js";
import { checkExpectedRevision, checkLimit, checkTtl, checkValue, DEFAULT_MAX_VALUE_BYTES } from "../core/validate.js";
import { DEFAULT_HISTORY_PAGE, DEFAULT_WATCH_BUFFER_EVENTS, WatchHub } from "../core/watch-hub.js";
import {
  StoreError,
  type Backend,
  type GetResult,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type WatchHandle,
  type WatchOptions,
  type WriteOptions,
} from "../types.js";
import { checkpointTruncate, compactTo } from "./compact.js";
import { DEFAULT_OPEN_SETTINGS, openDatabase } from "./open.js";
import { countRange, readAt, readHistory, readRange } from "./read.js";
import { prepareStatements, type Statements } from "./statements.js";
import { GroupCommitWriter, type CommittedRow, type WriterStats } from "./write.js";

export interface SqliteBackendOptions {
  /** Largest value accepted (default 1.5 MiB, as etcd). */
  maxValueBytes?: number;
  /** Live events a watcher still reading history may have waiting before it is dropped (default 4096). */
  watchBufferEvents?: number;
  /** History rows read per step while a watcher catches up (default 1000). */
  historyPage?: number;
  /** Revisions per compaction transaction (default 1000, as kine). */
  compactBatchRevisions?: number;
  /** Most writes committed in one transaction (default 1000). */
  maxWriteBatch?: number;
  /** busy_timeout in ms (default 5000). */
  busyTimeoutMs?: number;
  /** SQLite page cache in KiB (default 65536). */
  cacheKiB?: number;
}

export class SqliteBackend implements Backend {
  readonly name: string;
  private readonly db: Database;
  private readonly s: Statements;
  private readonly writer: GroupCommitWriter;
  private readonly hub: WatchHub;
  private readonly ttl: TtlSweeper;
  private readonly maxValueBytes: number;
  private readonly compactBatch: number;
  private current: number;
  private floor: number;
  private closed = false;
  /** Compactions run one at a time, in call order. */
  private compaction: Promise<unknown> = Promise.resolve();

  /** Opens (creating if needed) the database at `path`. Throws if it is in use or unsafe. */
  static open(path: string, opts: SqliteBackendOptions = {}): SqliteBackend {
    const db = openDatabase(path, {
      busyTimeoutMs: opts.busyTimeoutMs ?? DEFAULT_OPEN_SETTINGS.busyTimeoutMs,
      cacheKiB: opts.cacheKiB ?? DEFAULT_OPEN_SETTINGS.cacheKiB,
    });
    try {
      return new SqliteBackend(db, opts);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private constructor(db: Database, opts: SqliteBackendOptions) {
    this.db = db;
    this.name = `sqlite://${db.name}`;
    this.s = prepareStatements(db);
    this.maxValueBytes = opts.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.compactBatch = Math.max(1, opts.compactBatchRevisions ?? 1000);
    this.current = this.s.currentRevision.get()?.seq ?? 0;
    this.floor = this.s.floor.get()?.value ?? 0;
    this.writer = new GroupCommitWriter(this.s, (rows) => this.committed(rows), Math.max(1, opts.maxWriteBatch ?? 1000));
    this.hub = new WatchHub(
      {
        currentRevision: () => this.current,
        compactRevision: () => this.floor,
        readHistory: (prefix, after, upTo, limit) => readHistory(this.s, prefix, after, upTo, limit),
      },
      {
        name: this.name,
        bufferEvents: opts.watchBufferEvents ?? DEFAULT_WATCH_BUFFER_EVENTS,
        historyPage: opts.historyPage ?? DEFAULT_HISTORY_PAGE,
      },
    );
    this.ttl = new TtlSweeper(expireByDelete((key, rev) => this.delete(key, rev)));
    for (const r of this.s.leased.all()) this.ttl.track(r.name, r.id, r.lease);
  }

  async get(key: string, revision?: number): Promise<GetResult> {
    this.ensureOpen();
    assertValidKey(key);
    const rev = this.readRevision(revision);
    const row = readAt(this.s, key, rev);
    return { kv: row && !row.deleted ? rowKv(row) : undefined, revision: rev };
  }

  async list(opts: ListOptions): Promise<ListResult> {
    this.ensureOpen();
    assertValidPrefix(opts.prefix);
    if (opts.startAfter !== undefined) assertValidPrefix(opts.startAfter);
    const limit = checkLimit(opts.limit);
    const rev = this.readRevision(opts.revision);
    // limit+1 tells whether more exist; only then is the remainder counted.
    const rows = readRange(this.s, opts.prefix, opts.startAfter, rev, limit === undefined ? undefined : limit + 1);
    const more = limit !== undefined && rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(rowKv);
    const remaining = more ? countRange(this.s, opts.prefix, items[items.length - 1].key, rev) : 0;
    return { items, revision: rev, more, remaining };
  }

  async count(prefix: string, revision?: number): Promise<{ count: number; revision: number }> {
    this.ensureOpen();
    assertValidPrefix(prefix);
    const rev = this.readRevision(revision);
    return { count: countRange(this.s, prefix, undefined, rev), revision: rev };
  }

  async create(key: string, value: Uint8Array, opts?: WriteOptions): Promise<KeyValue> {
    return this.write({ kind: "create", key, value: checkValue(key, value, this.maxValueBytes), lease: checkTtl(opts) });
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number, opts?: WriteOptions): Promise<KeyValue> {
    const checked = checkValue(key, value, this.maxValueBytes);
    const expected = checkExpectedRevision(expectedModRevision);
    return this.write({ kind: "update", key, value: checked, lease: checkTtl(opts), expected });
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    assertValidKey(key);
    const expected = expectedModRevision === undefined ? undefined : checkExpectedRevision(expectedModRevision);
    return this.write({ kind: "delete", key, expected });
  }

  watch(opts: WatchOptions): WatchHandle {
    if (this.closed) {
      queueMicrotask(() => opts.onError(unavailableError(this.name)));
      return { cancel: () => undefined };
    }
    return this.hub.watch(opts);
  }

  async currentRevision(): Promise<number> {
    this.ensureOpen();
    return this.current;
  }

  async compactRevision(): Promise<number> {
    this.ensureOpen();
    return this.floor;
  }

  /** Compacts in batches, then truncates the WAL. Concurrent calls run one after another. */
  async compact(revision: number): Promise<void> {
    this.ensureOpen();
    assertRevisionArg(revision);
    if (revision > this.current) {
      throw new StoreError("FutureRevision", `cannot compact to ${revision}: current revision is ${this.current}`);
    }
    const run = this.compaction.then(async () => {
      if (revision <= this.floor) return;
      this.ensureOpen();
      await compactTo(this.s, this.floor, revision, this.compactBatch, {
        onFloor: (floor) => (this.floor = floor),
        stopped: () => this.closed,
      });
      this.ensureOpen();
      checkpointTruncate(this.db);
    });
    this.compaction = run.catch(() => undefined);
    return run;
  }

  /** Copies the WAL into the database file and truncates it (the compactor calls this each pass). */
  async checkpoint(): Promise<void> {
    this.ensureOpen();
    checkpointTruncate(this.db);
  }

  async stats(): Promise<{ dbBytes: number; walBytes: number; rows: number }> {
    this.ensureOpen();
    const pages = Number(this.db.pragma("page_count", { simple: true }));
    const pageSize = Number(this.db.pragma("page_size", { simple: true }));
    return { dbBytes: pages * pageSize, walBytes: fileSize(`${this.db.name}-wal`), rows: this.s.rowCount.get()?.n ?? 0 };
  }

  /** Group-commit counters: transactions committed, rows appended, transactions rolled back. */
  writeStats(): WriterStats {
    return { ...this.writer.stats };
  }

  /** Commits writes already accepted, ends watches with Unavailable, stops compaction, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writer.flushAll();
    this.ttl.stop();
    this.hub.endAll(unavailableError(this.name));
    await this.compaction;
    this.db.close();
  }

  private write(op: WriteOp): Promise<KeyValue> {
    this.ensureOpen();
    return this.writer.submit(op);
  }

  private committed(rows: CommittedRow[]): void {
    this.current = rows[rows.length - 1].row.id;
    for (const { row } of rows) {
      if (row.deleted) this.ttl.forget(row.name);
      else this.ttl.track(row.name, row.id, row.lease);
    }
    this.hub.publish(rows.map((r) => r.event));
  }

  private readRevision(requested: number | undefined): number {
    return resolveReadRevision(requested, this.current, this.floor);
  }

  private ensureOpen(): void {
    if (this.closed) throw unavailableError(this.name);
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
