/**
 * The SQLite schema: kine's single append-only table, plus a small key/value table for the
 * compaction floor.
 *
 * `id` is the revision. AUTOINCREMENT (not a plain rowid) keeps revisions from ever being reused,
 * even when compaction deletes the newest rows; the current revision is therefore read from
 * `sqlite_sequence`, not from MAX(id). The floor lives in `kine_meta` rather than in a special
 * `compact_rev_key` row as in kine, so no query has to exclude a bookkeeping row from key ranges.
 */
import type { Database } from "better-sqlite3";

export const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS kine (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  lease INTEGER NOT NULL,
  value BLOB NOT NULL,
  old_value BLOB
);
-- Latest row per key (at a revision); covering for MAX(id) lookups and for COUNT.
CREATE INDEX IF NOT EXISTS kine_name_id_deleted_index ON kine (name, id, deleted);
-- The concurrency guard: two writes that both saw the same latest row cannot both land.
CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision_uindex ON kine (name, prev_revision);
-- Rows that carry a TTL, scanned once at open to re-arm expiry.
CREATE INDEX IF NOT EXISTS kine_lease_index ON kine (name) WHERE lease > 0;
CREATE TABLE IF NOT EXISTS kine_meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO kine_meta (name, value) VALUES ('compact_rev', 0);
`;

/** Creates the tables on a new database, refuses a database written by a newer schema. Run inside a write transaction. */
export function ensureSchema(db: Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`store schema version ${version} is newer than this build understands (${SCHEMA_VERSION})`);
  }
  db.exec(DDL);
  if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
}
