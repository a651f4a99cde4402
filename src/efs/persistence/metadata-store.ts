/**
 * The service's metadata database (`<dataDir>/meta.db`, better-sqlite3). One table holds every resource
 * as a JSON document keyed by (kind, id) with a creation sequence number for stable ordering.
 *
 * Durability: WAL with synchronous=FULL (checked after setting: better-sqlite3's build defaults WAL to
 * NORMAL), so a committed transaction survives power loss on a disk that honours fsync.
 *
 * Writes are group-committed: put/remove only queue; the queue is written in one transaction on the
 * next turn of the event loop, and `sync()` resolves once everything queued before the call is durable.
 * The HTTP layer awaits `sync()` before every response, so no 2xx (and no read reply) leaves the process
 * carrying state that is not yet on disk. If a commit fails, the waiters are rejected and `onCommitFailure`
 * lets the owner rebuild its in-memory state from the database.
 */
import Database from "better-sqlite3";
import { failpoint } from "../../lib/failpoints.js";

export type ResourceKind = "file-system" | "access-point" | "mount-target" | "policy" | "mount";

export interface StoredResource {
  id: string;
  seq: number;
  doc: unknown;
}

type Op = { put: true; kind: ResourceKind; id: string; seq: number; doc: string } | { put: false; kind: ResourceKind; id: string };

const SCHEMA_VERSION = "1";

export class MetadataStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly del: Database.Statement;
  private queue: Op[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;
  private closed = false;
  onCommitFailure: (err: unknown) => void = () => {};

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    if (this.db.pragma("synchronous", { simple: true }) !== 2) throw new Error("meta.db: PRAGMA synchronous=FULL did not stick");
    if (this.db.pragma("journal_mode", { simple: true }) !== "wal") throw new Error("meta.db: WAL mode is not available");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS resources (
        kind TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      ) WITHOUT ROWID;
    `);
    const version = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
    if (version === undefined) this.db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(SCHEMA_VERSION);
    else if (version !== SCHEMA_VERSION) throw new Error(`meta.db: schema version ${version} is not supported (expected ${SCHEMA_VERSION})`);
    this.insert = this.db.prepare("INSERT OR REPLACE INTO resources (kind, id, seq, doc) VALUES (?, ?, ?, ?)");
    this.del = this.db.prepare("DELETE FROM resources WHERE kind = ? AND id = ?");
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Every stored resource of a kind, oldest first. Reads committed state only. */
  load(kind: ResourceKind): StoredResource[] {
    const rows = this.db.prepare("SELECT id, seq, doc FROM resources WHERE kind = ? ORDER BY seq").all(kind) as Array<{ id: string; seq: number; doc: string }>;
    return rows.map((r) => ({ id: r.id, seq: r.seq, doc: JSON.parse(r.doc) }));
  }

  /** Queues an insert-or-replace. Durable once a later `sync()` resolves. */
  put(kind: ResourceKind, id: string, seq: number, doc: unknown): void {
    this.enqueue({ put: true, kind, id, seq, doc: JSON.stringify(doc) });
  }

  /** Queues a delete; deleting a missing row is not an error. */
  remove(kind: ResourceKind, id: string): void {
    this.enqueue({ put: false, kind, id });
  }

  /** Resolves when everything queued so far is committed; rejects if that commit failed. */
  sync(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private enqueue(op: Op): void {
    if (this.closed) throw new Error("metadata store is closed");
    this.queue.push(op);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes the queue in one transaction (one fsync for the whole batch). */
  flush(): void {
    this.scheduled = false;
    const ops = this.queue;
    const waiters = this.waiters;
    this.queue = [];
    this.waiters = [];
    if (ops.length === 0) {
      for (const w of waiters) w.resolve();
      return;
    }
    try {
      failpoint("efs.meta.before-commit");
      this.db.transaction(() => {
        for (const op of ops) {
          if (op.put) this.insert.run(op.kind, op.id, op.seq, op.doc);
          else this.del.run(op.kind, op.id);
        }
      })();
      failpoint("efs.meta.after-commit");
    } catch (err) {
      for (const w of waiters) w.reject(err);
      this.onCommitFailure(err);
      return;
    }
    for (const w of waiters) w.resolve();
  }

  /** Commits what is queued, then closes the database. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}
