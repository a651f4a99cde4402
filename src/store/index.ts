/**
 * The store: an etcd-shaped key/value log that the API server keeps every object in.
 *
 * Model. One global revision counts every successful write; each create, update or delete appends
 * one row whose id is that revision, and the row is never changed afterwards. A key's state as of
 * revision R is its latest row with id <= R, so any read can be served "as of" a past revision.
 * Updates and deletes are compare-and-swap on the key's modRevision. Watches replay the rows above
 * a revision, then follow new commits. Compaction drops rows that are superseded or deleted at or
 * below a floor; reads and watches below the floor fail with Compacted.
 *
 * Invariants every backend keeps (checked by the conformance suite):
 * - revisions strictly increase and are never reused, across compaction and restart;
 * - a write is acknowledged only once it is durable (SQLite: WAL + synchronous=FULL, fsynced);
 * - a watch delivers each revision above its start exactly once, in order, or ends with an error;
 * - keys order by their UTF-8 bytes; a prefix matches exactly the keys that start with it.
 *
 * Backends: `sqlite://` (default; one process owns the file), `memory://` (tests), `etcd://` (an etcd
 * v3 cluster shared by several API servers; revisions are etcd's, strictly increasing but not
 * contiguous). See docs/store.md.
 */
export * from "./types.js";
export { openBackend, sqlitePathFromUrl, type OpenBackendOptions } from "./open-backend.js";
export {
  startCompactor,
  isCheckpointable,
  type Checkpointable,
  type Compactor,
  type CompactorOptions,
  type CompactorStatus,
} from "./compactor.js";
export { backendConformance, type BackendFactory, type TestApi } from "./conformance.js";
export { MemoryBackend, type MemoryBackendOptions } from "./memory/memory-backend.js";
export { SqliteBackend, type SqliteBackendOptions } from "./sqlite/sqlite-backend.js";
export type { WriterStats } from "./sqlite/write.js";
export { EtcdBackend, type EtcdBackendOptions } from "./etcd/etcd-backend.js";
export { startEtcdCompactor, type EtcdCompactorOptions } from "./etcd/etcd-compactor.js";
export type { EtcdTls } from "./etcd/client.js";
export { parseEtcdUrl, type EtcdUrl } from "./etcd/url.js";
