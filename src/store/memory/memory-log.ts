/**
 * The memory backend's storage: the same append-only log of rows the SQLite table holds, with
 * two indexes kept beside it (rows per key, and the key names in byte order). Reads "as of" a
 * revision pick each key's latest row at or below it, exactly like the SQL queries.
 * Everything here is synchronous; the backend wraps it.
 */
import { compareKeys } from "../core/keys.js";
import { assignRevision, rowEvent, type LogRow, type PlannedRow } from "../core/rows.js";
import type { HistorySource } from "../core/watch-hub.js";
import type { StoreEvent } from "../types.js";

/** Index of the first element for which `before` is false (elements are partitioned). */
function lowerBound<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(items[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class MemoryLog implements HistorySource {
  private rows: LogRow[] = [];
  private readonly byKey = new Map<string, LogRow[]>();
  private keys: string[] = [];
  private current = 0;
  private floor = 0;

  currentRevision(): number {
    return this.current;
  }

  compactRevision(): number {
    return this.floor;
  }

  get rowCount(): number {
    return this.rows.length;
  }

  /** A rough size: values and old values plus a fixed overhead per row. */
  byteEstimate(): number {
    let bytes = 0;
    for (const r of this.rows) bytes += 64 + r.name.length * 2 + r.value.byteLength + (r.oldValue?.byteLength ?? 0);
    return bytes;
  }

  /** The key's latest row, tombstones included. */
  latest(key: string): LogRow | undefined {
    const history = this.byKey.get(key);
    return history?.[history.length - 1];
  }

  /** The key's latest row with id <= rev, tombstones included. */
  at(key: string, rev: number): LogRow | undefined {
    const history = this.byKey.get(key);
    if (!history) return undefined;
    const i = lowerBound(history, (r) => r.id <= rev);
    return i > 0 ? history[i - 1] : undefined;
  }

  append(planned: PlannedRow): LogRow {
    const row = assignRevision(planned, ++this.current);
    this.rows.push(row);
    const history = this.byKey.get(row.name);
    if (history) {
      history.push(row);
    } else {
      this.byKey.set(row.name, [row]);
      const i = lowerBound(this.keys, (k) => compareKeys(k, row.name) < 0);
      this.keys.splice(i, 0, row.name);
    }
    return row;
  }

  /**
   * Visits the live row as of `rev` of each key in [prefix…, end) strictly after `after`, in byte
   * order, until `visit` returns false.
   */
  scan(prefix: string, after: string | undefined, rev: number, visit: (row: LogRow) => boolean): void {
    const start = lowerBound(this.keys, (k) => compareKeys(k, prefix) < 0 || (after !== undefined && compareKeys(k, after) <= 0));
    for (let i = start; i < this.keys.length; i++) {
      const key = this.keys[i];
      if (!key.startsWith(prefix)) return;
      const row = this.at(key, rev);
      if (row && !row.deleted && !visit(row)) return;
    }
  }

  readHistory(prefix: string, after: number, upTo: number, limit: number): StoreEvent[] {
    const events: StoreEvent[] = [];
    for (let i = lowerBound(this.rows, (r) => r.id <= after); i < this.rows.length; i++) {
      const row = this.rows[i];
      if (row.id > upTo || events.length >= limit) break;
      if (row.name.startsWith(prefix)) events.push(rowEvent(row, this.leaseOf(row.name, row.prevRevision)));
    }
    return events;
  }

  /** The lease of the key's row at exactly `id`, 0 if that row is gone. */
  leaseOf(key: string, id: number): number {
    const row = id > 0 ? this.at(key, id) : undefined;
    return row?.id === id ? row.lease : 0;
  }

  /**
   * Drops rows at or below `target` that a row at or below `target` supersedes, and tombstones at
   * or below `target` (kine's rule). Returns the number of rows removed.
   */
  compact(target: number): number {
    if (target <= this.floor) return 0;
    const doomed = new Set<number>();
    for (let i = lowerBound(this.rows, (r) => r.id <= this.floor); i < this.rows.length; i++) {
      const row = this.rows[i];
      if (row.id > target) break;
      if (row.prevRevision > 0) doomed.add(row.prevRevision);
      if (row.deleted) doomed.add(row.id);
    }
    this.floor = target;
    if (doomed.size === 0) return 0;
    const touched = new Set<string>();
    this.rows = this.rows.filter((r) => {
      if (!doomed.has(r.id)) return true;
      touched.add(r.name);
      return false;
    });
    for (const key of touched) {
      const kept = (this.byKey.get(key) ?? []).filter((r) => !doomed.has(r.id));
      if (kept.length > 0) this.byKey.set(key, kept);
      else this.byKey.delete(key);
    }
    if ([...touched].some((k) => !this.byKey.has(k))) this.keys = this.keys.filter((k) => this.byKey.has(k));
    return doomed.size;
  }
}
