/**
 * Every SQL statement the backend runs, prepared once per connection.
 *
 * Key ranges are `name >= prefix AND name > startAfter AND name < end`. With no upper end we bind
 * an empty BLOB: SQLite orders every TEXT value before every BLOB, so `name < x''` holds for all
 * keys and the index range stays open-ended without a second statement.
 */
import type { Database, Statement } from "better-sqlite3";

export const NO_UPPER_BOUND = Buffer.alloc(0);

const ROW = "id, name, created, deleted, create_revision, prev_revision, lease, value";

export interface SqlRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  lease: number;
  value: Buffer;
  old_value?: Buffer | null;
  prev_lease?: number;
}

/** A key range as of a revision: name >= prefix AND name > startAfter AND name < end, id <= rev. */
export interface RangeParams {
  prefix: string;
  startAfter: string;
  end: string | Buffer;
  rev: number;
}

export interface Statements {
  begin: Statement;
  commit: Statement;
  rollback: Statement;
  /** (name) → the key's latest row, tombstones included. */
  latest: Statement<[string], SqlRow>;
  /** (name, rev) → the key's latest row at or below rev. */
  getAt: Statement<[string, number], SqlRow>;
  /** Live rows in the range as of rev, by name, at most limit (-1 = all). */
  list: Statement<[RangeParams & { limit: number }], SqlRow>;
  /** Number of live keys in the range as of rev. */
  count: Statement<[RangeParams], { n: number }>;
  /** Rows in (after, upTo] under the prefix, by id, with the previous row's lease. */
  history: Statement<[{ after: number; upTo: number; prefix: string; end: string | Buffer; limit: number }], SqlRow>;
  insert: Statement<[string, number, number, number, number, number, Uint8Array, Uint8Array | null]>;
  currentRevision: Statement<[], { seq: number }>;
  floor: Statement<[], { value: number }>;
  setFloor: Statement<[number]>;
  /** Delete rows superseded by a row in (lo, hi]. */
  compactSuperseded: Statement<[{ lo: number; hi: number }]>;
  /** Delete tombstones in (lo, hi]. */
  compactTombstones: Statement<[{ lo: number; hi: number }]>;
  /** Latest live row of every key that carries a TTL. */
  leased: Statement<[], { name: string; id: number; lease: number }>;
  rowCount: Statement<[], { n: number }>;
}

export function prepareStatements(db: Database): Statements {
  return {
    begin: db.prepare("BEGIN IMMEDIATE"),
    commit: db.prepare("COMMIT"),
    rollback: db.prepare("ROLLBACK"),
    latest: db.prepare(`SELECT ${ROW} FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1`),
    getAt: db.prepare(`SELECT ${ROW} FROM kine WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`),
    list: db.prepare(
      `SELECT kv.id, kv.name, kv.created, kv.deleted, kv.create_revision, kv.prev_revision, kv.lease, kv.value
         FROM kine AS kv
        WHERE kv.name >= @prefix AND kv.name > @startAfter AND kv.name < @end
          AND kv.id = (SELECT MAX(m.id) FROM kine AS m WHERE m.name = kv.name AND m.id <= @rev)
          AND kv.deleted = 0
        ORDER BY kv.name
        LIMIT @limit`,
    ),
    count: db.prepare(
      `SELECT COUNT(*) AS n FROM (
         SELECT MAX(id) AS id, deleted FROM kine
          WHERE name >= @prefix AND name > @startAfter AND name < @end AND id <= @rev
          GROUP BY name)
        WHERE deleted = 0`,
    ),
    history: db.prepare(
      `SELECT k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.lease, k.value,
              k.old_value, COALESCE(p.lease, 0) AS prev_lease
         FROM kine AS k LEFT JOIN kine AS p ON p.id = k.prev_revision
        WHERE k.id > @after AND k.id <= @upTo AND k.name >= @prefix AND k.name < @end
        ORDER BY k.id
        LIMIT @limit`,
    ),
    insert: db.prepare(
      `INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value, old_value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    currentRevision: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'kine'"),
    floor: db.prepare("SELECT value FROM kine_meta WHERE name = 'compact_rev'"),
    setFloor: db.prepare("UPDATE kine_meta SET value = ? WHERE name = 'compact_rev'"),
    compactSuperseded: db.prepare(
      "DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE id > @lo AND id <= @hi AND prev_revision > 0)",
    ),
    compactTombstones: db.prepare("DELETE FROM kine WHERE id > @lo AND id <= @hi AND deleted = 1"),
    leased: db.prepare(
      `SELECT k.name, k.id, k.lease FROM kine AS k
        WHERE k.lease > 0 AND k.deleted = 0
          AND k.id = (SELECT MAX(m.id) FROM kine AS m WHERE m.name = k.name)`,
    ),
    rowCount: db.prepare("SELECT COUNT(*) AS n FROM kine"),
  };
}
