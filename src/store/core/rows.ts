/**
 * The log row, the one record both backends store, and how rows become KeyValues and events.
 *
 * A row is one write: a create (`created`), an update, or a tombstone (`deleted`). Its id is the
 * global revision. `prevRevision` names the key's previous row (0 for a key's first row ever) and
 * `oldValue` copies that row's value, so a delete event can carry the last value on its own.
 */
import type { KeyValue, StoreEvent } from "../types.js";

export interface LogRow {
  /** The revision of this write. */
  id: number;
  name: string;
  created: boolean;
  deleted: boolean;
  /** Revision that created this incarnation of the key (equals id on a create row). */
  createRevision: number;
  /** The key's previous row, 0 if none. */
  prevRevision: number;
  /** TTL in seconds given with this write, 0 if none (0 on tombstones). */
  lease: number;
  /** The written value (empty on tombstones). */
  value: Uint8Array;
  /** The previous row's value; absent on create rows. */
  oldValue?: Uint8Array;
}

/** A row planned inside a write, before the store assigns its revision. */
export type PlannedRow = Omit<LogRow, "id">;

const EMPTY = new Uint8Array(0);

export function emptyValue(): Uint8Array {
  return EMPTY;
}

/** The planned row with its revision assigned; a create row's createRevision is its own id. */
export function assignRevision(planned: PlannedRow, id: number): LogRow {
  return { ...planned, id, createRevision: planned.created ? id : planned.createRevision };
}

/** The KeyValue of a live (non-tombstone) row. */
export function rowKv(row: LogRow): KeyValue {
  return {
    key: row.name,
    value: row.value,
    createRevision: row.createRevision,
    modRevision: row.id,
    lease: row.lease,
  };
}

/**
 * The watch event for a row. `prevLease` is the lease of the previous row (0 when unknown);
 * it is only needed because KeyValue carries a lease and the row does not copy it.
 */
export function rowEvent(row: LogRow, prevLease: number): StoreEvent {
  const prevKv: KeyValue | undefined = row.created
    ? undefined
    : {
        key: row.name,
        value: row.oldValue ?? EMPTY,
        createRevision: row.createRevision,
        modRevision: row.prevRevision,
        lease: prevLease,
      };
  if (row.deleted) {
    const last = prevKv as KeyValue;
    return { type: "delete", revision: row.id, kv: { ...last, modRevision: row.id }, prevKv: last, created: false };
  }
  return { type: "put", revision: row.id, kv: rowKv(row), prevKv, created: row.created };
}
