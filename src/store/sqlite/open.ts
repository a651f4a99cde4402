/**
 * Opening the database file: path checks, the durability pragmas (verified by reading them back),
 * and an exclusive lock that keeps any second process (or second connection) out.
 *
 * Locking: `locking_mode=EXCLUSIVE` set before WAL is first used makes SQLite keep the WAL index
 * in process memory and hold the file lock until close. The write at open takes that lock; another
 * opener then fails at once with SQLITE_BUSY, which we report as "in use". The OS drops the lock
 * when the holder dies, even by SIGKILL, so there is no stale lock file to clean up.
 */
import Database from "better-sqlite3";
import { closeSync, lstatSync, mkdirSync, openSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { ensureSchema } from "./schema.js";

export interface OpenSettings {
  /** How long a statement waits for a lock held elsewhere (ms). */
  busyTimeoutMs: number;
  /** SQLite page cache size in KiB. */
  cacheKiB: number;
}

export const DEFAULT_OPEN_SETTINGS: OpenSettings = { busyTimeoutMs: 5000, cacheKiB: 64 * 1024 };

/** Resolves and checks a database path: absolute, no NUL, not a directory, not a symlink. */
export function checkDatabasePath(path: string): string {
  if (typeof path !== "string" || path.length === 0) throw new TypeError("sqlite path must be a non-empty string");
  if (path.includes("\u0000")) throw new TypeError("sqlite path must not contain NUL");
  if (path.endsWith("/")) throw new TypeError(`sqlite path ${path} names a directory, not a file`);
  const abs = isAbsolute(path) ? resolve(path) : resolve(process.cwd(), path);
  // A symlinked database or journal would let writes land outside the directory the operator chose.
  for (const candidate of [abs, `${abs}-wal`, `${abs}-shm`, `${abs}-journal`]) {
    const st = lstatOrUndefined(candidate);
    if (st && !st.isFile()) throw new Error(`refusing to open ${candidate}: not a regular file (symlink or special file)`);
  }
  return abs;
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Creates the file owner-only if missing (SQLite gives its -wal file the same mode). */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? "";
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
}

/**
 * Opens (creating if needed) the database at `path`, takes the exclusive lock, creates the schema,
 * and verifies journal_mode=WAL, synchronous=FULL and locking_mode=EXCLUSIVE. Throws if the file is
 * in use by another process or connection, or if any setting did not take.
 */
export function openDatabase(path: string, settings: OpenSettings = DEFAULT_OPEN_SETTINGS): Database.Database {
  const abs = checkDatabasePath(path);
  createPrivately(abs);
  const db = new Database(abs);
  try {
    db.pragma("busy_timeout = 0"); // fail fast if someone else holds the file
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = WAL");
    // better-sqlite3's bundled SQLite defaults WAL databases to NORMAL, which may lose the last
    // commits on power loss; FULL syncs the WAL on every commit.
    db.pragma("synchronous = FULL");
    db.pragma(`cache_size = ${-Math.abs(Math.trunc(settings.cacheKiB))}`);
    db.pragma("temp_store = MEMORY");
    db.exec("BEGIN IMMEDIATE");
    try {
      ensureSchema(db);
      db.exec("COMMIT");
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
    verifySettings(db, abs);
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(settings.busyTimeoutMs))}`);
    return db;
  } catch (err) {
    db.close();
    if (isBusy(err)) throw new Error(`sqlite database ${abs} is in use by another process or connection`, { cause: err });
    throw err;
  }
}

/** Reads the durability settings back; refuses to run with anything weaker. */
export function verifySettings(db: Database.Database, path: string): void {
  const journal = String(db.pragma("journal_mode", { simple: true })).toLowerCase();
  const synchronous = Number(db.pragma("synchronous", { simple: true }));
  const locking = String(db.pragma("locking_mode", { simple: true })).toLowerCase();
  const problems: string[] = [];
  if (journal !== "wal") problems.push(`journal_mode=${journal} (want wal)`);
  if (synchronous !== 2) problems.push(`synchronous=${synchronous} (want 2 = FULL)`);
  if (locking !== "exclusive") problems.push(`locking_mode=${locking} (want exclusive)`);
  if (problems.length > 0) throw new Error(`sqlite database ${path} refused: ${problems.join(", ")}`);
}
