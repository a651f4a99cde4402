/**
 * An in-memory Backend with the SQLite backend's semantics (history, revisions, compaction floor,
 * watch from a past revision, TTL), for unit tests and `memory://`. State is lost on close.
 * Writes apply synchronously, so concurrent callers are serialised by the event loop.
 */
import { assertValidKey, assertValidPrefix } from "../core/keys.js";
import { planWrite, type WriteOp } from "../core/plan-write.js";
import { resolveReadRevision, unavailableError, assertRevisionArg } from "../core/revisions.js";
import { rowEvent, rowKv, type LogRow } from "../core/rows.js";
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
import { MemoryLog } from "./memory-log.js";

export interface MemoryBackendOptions {
  /** Largest value accepted (default 1.5 MiB, as etcd). */
  maxValueBytes?: number;
  /** Live events a watcher still reading history may have waiting before it is dropped. */
  watchBufferEvents?: number;
  /** History rows read per step while a watcher catches up. */
  historyPage?: number;
}

/** Values are copied in and out, so callers can never alias the stored bytes. */
function copyKv(kv: KeyValue): KeyValue {
  return { ...kv, value: Buffer.from(kv.value) };
}

export class MemoryBackend implements Backend {
  readonly name = "memory://";
  private readonly log = new MemoryLog();
  private readonly hub: WatchHub;
  private readonly ttl: TtlSweeper;
  private readonly maxValueBytes: number;
  private closed = false;

  constructor(opts: MemoryBackendOptions = {}) {
    this.maxValueBytes = opts.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.hub = new WatchHub(this.log, {
      name: this.name,
      bufferEvents: opts.watchBufferEvents ?? DEFAULT_WATCH_BUFFER_EVENTS,
      historyPage: opts.historyPage ?? DEFAULT_HISTORY_PAGE,
    });
    this.ttl = new TtlSweeper(expireByDelete((key, rev) => this.delete(key, rev)));
  }

  async get(key: string, revision?: number): Promise<GetResult> {
    this.ensureOpen();
    assertValidKey(key);
    const rev = this.readRevision(revision);
    const row = this.log.at(key, rev);
    return { kv: row && !row.deleted ? copyKv(rowKv(row)) : undefined, revision: rev };
  }

  async list(opts: ListOptions): Promise<ListResult> {
    this.ensureOpen();
    assertValidPrefix(opts.prefix);
    const rev = this.readRevision(opts.revision);
    if (opts.startAfter !== undefined) assertValidPrefix(opts.startAfter);
    const limit = checkLimit(opts.limit) ?? Infinity;
    const items: KeyValue[] = [];
    let remaining = 0;
    this.log.scan(opts.prefix, opts.startAfter, rev, (row) => {
      if (items.length < limit) items.push(copyKv(rowKv(row)));
      else remaining++;
      return true;
    });
    return { items, revision: rev, more: remaining > 0, remaining };
  }

  async count(prefix: string, revision?: number): Promise<{ count: number; revision: number }> {
    this.ensureOpen();
    assertValidPrefix(prefix);
    const rev = this.readRevision(revision);
    let count = 0;
    this.log.scan(prefix, undefined, rev, () => ++count > 0);
    return { count, revision: rev };
  }

  async create(key: string, value: Uint8Array, opts?: WriteOptions): Promise<KeyValue> {
    const checked = checkValue(key, value, this.maxValueBytes);
    return this.write({ kind: "create", key, value: Buffer.from(checked), lease: checkTtl(opts) });
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number, opts?: WriteOptions): Promise<KeyValue> {
    const checked = checkValue(key, value, this.maxValueBytes);
    const expected = checkExpectedRevision(expectedModRevision);
    return this.write({ kind: "update", key, value: Buffer.from(checked), lease: checkTtl(opts), expected });
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
    return this.log.currentRevision();
  }

  async compactRevision(): Promise<number> {
    this.ensureOpen();
    return this.log.compactRevision();
  }

  async compact(revision: number): Promise<void> {
    this.ensureOpen();
    assertRevisionArg(revision);
    const current = this.log.currentRevision();
    if (revision > current) {
      throw new StoreError("FutureRevision", `cannot compact to ${revision}: current revision is ${current}`);
    }
    this.log.compact(revision);
  }

  async stats(): Promise<{ dbBytes: number; walBytes: number; rows: number }> {
    this.ensureOpen();
    return { dbBytes: this.log.byteEstimate(), walBytes: 0, rows: this.log.rowCount };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ttl.stop();
    this.hub.endAll(unavailableError(this.name));
  }

  private write(op: WriteOp): KeyValue {
    this.ensureOpen();
    const latest = this.log.latest(op.key);
    const row: LogRow = this.log.append(planWrite(op, latest));
    const event = rowEvent(row, latest?.lease ?? 0);
    if (row.deleted) this.ttl.forget(row.name);
    else this.ttl.track(row.name, row.id, row.lease);
    this.hub.publish([event]);
    return copyKv(event.kv);
  }

  private readRevision(requested: number | undefined): number {
    return resolveReadRevision(requested, this.log.currentRevision(), this.log.compactRevision());
  }

  private ensureOpen(): void {
    if (this.closed) throw unavailableError(this.name);
  }
}
