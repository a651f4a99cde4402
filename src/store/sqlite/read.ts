/**
 * Reads against the log table. All synchronous: better-sqlite3 runs on the calling thread, and
 * because rows are never updated, "latest row per key with id <= rev" is a consistent snapshot at
 * rev without any snapshot machinery.
 */
import { prefixEnd } from "../core/keys.js";
import { rowEvent, type LogRow } from "../core/rows.js";
import type { StoreEvent } from "../types.js";
import { NO_UPPER_BOUND, type SqlRow, type Statements } from "./statements.js";

export function toLogRow(r: SqlRow): LogRow {
  return {
    id: r.id,
    name: r.name,
    created: r.created === 1,
    deleted: r.deleted === 1,
    // kine stores 0 on create rows because the id is not known before the insert.
    createRevision: r.created === 1 ? r.id : r.create_revision,
    prevRevision: r.prev_revision,
    lease: r.lease,
    value: r.value,
    oldValue: r.old_value ?? undefined,
  };
}

function upperBound(prefix: string): string | Buffer {
  return prefixEnd(prefix) ?? NO_UPPER_BOUND;
}

export function readLatest(s: Statements, key: string): LogRow | undefined {
  const r = s.latest.get(key);
  return r && toLogRow(r);
}

/** The key's row as of rev (a tombstone means "absent"). */
export function readAt(s: Statements, key: string, rev: number): LogRow | undefined {
  const r = s.getAt.get(key, rev);
  return r && toLogRow(r);
}

/** Up to `limit` live rows (all when undefined) under `prefix` after `startAfter`, as of rev. */
export function readRange(s: Statements, prefix: string, startAfter: string | undefined, rev: number, limit?: number): LogRow[] {
  return s.list.all({ prefix, startAfter: startAfter ?? "", end: upperBound(prefix), rev, limit: limit ?? -1 }).map(toLogRow);
}

export function countRange(s: Statements, prefix: string, startAfter: string | undefined, rev: number): number {
  return (s.count.get({ prefix, startAfter: startAfter ?? "", end: upperBound(prefix), rev }) as { n: number }).n;
}

export function readHistory(s: Statements, prefix: string, after: number, upTo: number, limit: number): StoreEvent[] {
  return s.history.all({ after, upTo, prefix, end: upperBound(prefix), limit }).map((r) => rowEvent(toLogRow(r), r.prev_lease ?? 0));
}
