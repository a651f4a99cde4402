/**
 * The etcd-shaped store contract. A backend knows keys and bytes, never Kubernetes types.
 *
 * Model: one global, strictly increasing revision. Every successful write (create, update,
 * delete) produces exactly one new revision, and that revision is the key's modRevision.
 * Reads can be served "as of" any revision at or above the compaction floor.
 * resourceVersion in the API server is this revision, as a decimal string.
 */

export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision of the write that created this incarnation of the key. */
  createRevision: number;
  /** Revision of the last write to this key (the key's version for compare-and-swap). */
  modRevision: number;
  /** Time-to-live in seconds given at the last write, 0 if none. */
  lease: number;
}

export type StoreEventType = "put" | "delete";

export interface StoreEvent {
  type: StoreEventType;
  /** The revision of this event. For delete, kv.modRevision is the tombstone's revision. */
  revision: number;
  /** For put: the new value. For delete: the key and the last live value, modRevision = tombstone revision. */
  kv: KeyValue;
  /** The previous live value (absent for a create). */
  prevKv?: KeyValue;
  /** True when this put created the key (first write, or first after a delete). */
  created: boolean;
}

export interface ListOptions {
  /** Keys starting with this prefix (byte-wise comparison, as etcd). */
  prefix: string;
  /** Return keys strictly greater than this one (pagination continue point). */
  startAfter?: string;
  /** At most this many items; 0 or absent = no limit. */
  limit?: number;
  /** Read as of this revision; absent = current. Below the compaction floor: StoreError "Compacted". */
  revision?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at (the header revision). */
  revision: number;
  /** More keys exist after the last item, under the same prefix, at the same revision. */
  more: boolean;
  /** When more: how many keys remain after the last returned one. */
  remaining: number;
}

export interface GetResult {
  kv?: KeyValue;
  /** The revision the read was served at. */
  revision: number;
}

export interface WriteOptions {
  /** Time-to-live in seconds (0 = none). The key is deleted by the backend once it expires. */
  ttlSeconds?: number;
}

export interface WatchOptions {
  /** Keys with this prefix. */
  prefix: string;
  /**
   * Deliver every event with revision > afterRevision, in revision order, then live events.
   * afterRevision below the compaction floor: onError(StoreError "Compacted") and the watch ends.
   */
  afterRevision: number;
  /**
   * Called with one or more events, in revision order, never twice for one revision.
   * Must not throw; must return quickly (queue the work).
   */
  onEvents(events: StoreEvent[]): void;
  /**
   * Called once when the watch ends for a reason other than cancel(): "Compacted", or
   * "Unavailable" (the backend closed, or the watcher fell too far behind and was dropped).
   * The caller re-lists and watches again.
   */
  onError(err: StoreError): void;
}

export interface WatchHandle {
  cancel(): void;
}

export type StoreErrorCode =
  | "KeyExists" // create of a live key
  | "NotFound" // update/delete of a missing key
  | "Conflict" // expected modRevision does not match; `current` holds the current value
  | "Compacted" // requested revision is below the compaction floor
  | "FutureRevision" // requested revision is above the current revision
  | "Unavailable" // backend closed or unreachable; retry later
  | "TooLarge"; // value above the backend's size limit

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** For Conflict/KeyExists: the current value, when known. */
    readonly current?: KeyValue,
    /** For Compacted: the compaction floor. */
    readonly compactRevision?: number,
  ) {
    super(message);
    this.name = "StoreError";
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

export interface Backend {
  /** Human-readable name, e.g. "sqlite:///var/lib/cistern/state.db". */
  readonly name: string;

  get(key: string, revision?: number): Promise<GetResult>;
  list(opts: ListOptions): Promise<ListResult>;
  count(prefix: string, revision?: number): Promise<{ count: number; revision: number }>;

  /** Create a key that is not live. Throws StoreError KeyExists (with current) otherwise. */
  create(key: string, value: Uint8Array, opts?: WriteOptions): Promise<KeyValue>;
  /**
   * Replace the value iff the key's modRevision equals expectedModRevision.
   * Throws NotFound when the key is not live, Conflict (with current) on a mismatch.
   */
  update(key: string, value: Uint8Array, expectedModRevision: number, opts?: WriteOptions): Promise<KeyValue>;
  /**
   * Delete the key; when expectedModRevision is given, only if it matches (else Conflict with current).
   * Throws NotFound when the key is not live. Returns the deleted value, modRevision = tombstone revision.
   */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;

  watch(opts: WatchOptions): WatchHandle;

  /** The newest revision (0 for an empty store). */
  currentRevision(): Promise<number>;
  /** The compaction floor: reads/watches below it fail with Compacted. */
  compactRevision(): Promise<number>;
  /**
   * Drop history at or below `revision` (superseded versions and tombstones); the latest live
   * version of every key is kept. Idempotent; a revision at or below the floor is a no-op.
   */
  compact(revision: number): Promise<void>;

  /** Size figures for metrics and the bench (bytes on disk, or an estimate). */
  stats(): Promise<{ dbBytes: number; walBytes: number; rows: number }>;

  close(): Promise<void>;
}
