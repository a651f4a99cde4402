/**
 * The service's metadata database (`<dataDir>/meta.db`, better-sqlite3). One table holds every resource
 * as a JSON document keyed by (kind, id) with a creation sequence number for stable ordering.
 *
 * Durability: WAL with synchronous=FULL (checked after setting: better-sqlite3's build defaults WAL to
 * NORMAL), so a committed transaction survives power loss on a disk that honours fsync.
 *
 * Writes are group-committed off the event loop: put/remove only queue; on the next turn of the loop the
 * queue is handed as one batch to a commit worker thread (own connection, same file, also WAL+FULL), which
 * writes it in one transaction. One batch is in flight at a time; ops queued meanwhile form the next batch,
 * so batches grow with load. Order is kept within and across batches. `sync()` resolves once everything
 * queued before the call is durable. The HTTP layer awaits `sync()` before every response, so no 2xx (and
 * no read reply) leaves the process carrying state that is not yet on disk. `load()` reads through the
 * main-thread connection, which sees committed state only.
 *
 * Failure: if a batch fails (or the worker dies), its waiters are rejected, everything queued behind it is
 * dropped and its waiters rejected too (those ops were computed from state that is being rolled back), and
 * `onCommitFailure` lets the owner rebuild its in-memory state from the database. A dead worker is replaced
 * on the next batch.
 *
 * Failpoints (main thread): `efs.meta.before-commit` before a batch is posted (throw: the batch fails,
 * nothing committed; exit: dies before the commit); `efs.meta.after-commit` when the worker reports the
 * commit, before waiters resolve (exit: committed, never acknowledged); `efs.meta.worker-crash` (throw) makes
 * the worker thread die instead of committing the batch.
 *
 * `close()` is synchronous: it waits (Atomics.wait) for the batch in flight, commits what is still queued on
 * the main connection, then stops the worker and closes both connections.
 */
import Database from "better-sqlite3";
import { createRequire } from "node:module";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { failpoint } from "../../lib/failpoints.js";
import { COMMIT_WORKER_SOURCE } from "./commit-worker-source.js";

export type ResourceKind = "file-system" | "access-point" | "mount-target" | "policy" | "mount";

export interface StoredResource {
  id: string;
  seq: number;
  doc: unknown;
}

type Op = { put: true; kind: ResourceKind; id: string; seq: number; doc: string } | { put: false; kind: ResourceKind; id: string };
type Reply = { type: "ready" } | { type: "committed" } | { type: "failed"; message: string };
interface Waiter { resolve: () => void; reject: (e: unknown) => void }
interface Batch { ops: Op[]; waiters: Waiter[] }
interface CommitWorker { thread: Worker; port: MessagePort; signal: Int32Array }

const SCHEMA_VERSION = "1";
/** How long a synchronous wait for the worker (start-up, close) may take before it is declared dead. */
const WORKER_WAIT_MS = 30_000;
const sqlitePath = createRequire(import.meta.url).resolve("better-sqlite3");

export class MetadataStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly del: Database.Statement;
  private worker: CommitWorker | undefined;
  private queue: Op[] = [];
  private waiters: Waiter[] = [];
  private inFlight: Batch | undefined;
  private scheduled = false;
  private closed = false;
  onCommitFailure: (err: unknown) => void = () => {};

  constructor(private readonly file: string) {
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
    try {
      this.worker = this.startWorker(); // refuse to open unless the worker's connection is WAL + FULL too
    } catch (err) {
      this.db.close();
      throw err;
    }
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
    const target = this.queue.length > 0 ? this.waiters : this.inFlight?.waiters;
    if (!target) return Promise.resolve();
    return new Promise((resolve, reject) => target.push({ resolve, reject }));
  }

  private enqueue(op: Op): void {
    if (this.closed) throw new Error("metadata store is closed");
    this.queue.push(op);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return; // the in-flight batch's completion schedules the next one
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Hands the queue to the worker as one batch (one transaction, one fsync), unless a batch is in flight. */
  private flush(): void {
    this.scheduled = false;
    if (this.closed || this.inFlight) return;
    const batch: Batch = { ops: this.queue, waiters: this.waiters };
    this.queue = [];
    this.waiters = [];
    if (batch.ops.length === 0) {
      for (const w of batch.waiters) w.resolve();
      return;
    }
    let crash = false;
    let worker: CommitWorker;
    try {
      failpoint("efs.meta.before-commit");
      try {
        failpoint("efs.meta.worker-crash");
      } catch {
        crash = true;
      }
      worker = this.worker ??= this.startWorker();
    } catch (err) {
      this.fail(batch, err);
      return;
    }
    this.inFlight = batch;
    worker.port.ref(); // a pending commit keeps the process alive; an idle store does not
    worker.thread.postMessage({ ops: batch.ops, crash });
  }

  private onReply(worker: CommitWorker, reply: Reply): void {
    const batch = this.inFlight;
    if (worker !== this.worker || !batch) return;
    this.inFlight = undefined;
    worker.port.unref();
    if (reply.type !== "committed") {
      this.fail(batch, new Error(`meta.db commit failed: ${reply.type === "failed" ? reply.message : "unexpected worker reply"}`));
      return;
    }
    try {
      failpoint("efs.meta.after-commit");
    } catch (err) {
      this.fail(batch, err);
      return;
    }
    for (const w of batch.waiters) w.resolve();
    if (this.queue.length > 0 && !this.closed) this.flush(); // everything queued meanwhile is the next batch
  }

  private onWorkerExit(worker: CommitWorker, code: number): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    worker.port.close();
    const batch = this.inFlight;
    this.inFlight = undefined;
    if (batch) this.fail(batch, new Error(`meta.db commit worker exited (code ${code}) before committing`));
    else if (this.queue.length > 0) this.schedule();
  }

  /** Rejects the failed batch and everything queued behind it, then lets the owner reload committed state. */
  private fail(batch: Batch, err: unknown): void {
    const behind = this.waiters;
    this.queue = [];
    this.waiters = [];
    for (const w of batch.waiters) w.reject(err);
    for (const w of behind) w.reject(err);
    this.onCommitFailure(err);
  }

  private startWorker(): CommitWorker {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const thread = new Worker(COMMIT_WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, signal, file: this.file, sqlitePath },
      transferList: [port2],
    });
    const worker: CommitWorker = { thread, port: port1, signal };
    const ready = waitForReply(worker);
    if (ready?.type !== "ready") {
      void thread.terminate();
      port1.close();
      throw new Error(`meta.db commit worker did not start: ${ready?.type === "failed" ? ready.message : "no answer"}`);
    }
    thread.unref();
    port1.unref();
    port1.on("message", (reply: Reply) => this.onReply(worker, reply));
    thread.on("error", () => {}); // the exit event that follows reports it
    thread.on("exit", (code) => this.onWorkerExit(worker, code));
    return worker;
  }

  /** Commits what is queued, then closes the database. Synchronous; loses and reorders nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (worker && this.inFlight) {
      const reply = waitForReply(worker);
      if (reply) this.onReply(worker, reply);
      else {
        // No answer: the batch may or may not be in. Ops are idempotent in sequence (set/delete by key), so
        // replaying it ahead of the queue on this connection gives the same state either way.
        const batch = this.inFlight;
        this.inFlight = undefined;
        this.queue = [...batch.ops, ...this.queue];
        this.waiters = [...batch.waiters, ...this.waiters];
      }
    }
    this.worker = undefined;
    if (worker) {
      worker.port.close();
      void worker.thread.terminate();
    }
    this.commitQueueHere();
    this.db.close();
  }

  /** The last batch, at close: on the main connection, so close() need not round-trip to the worker. */
  private commitQueueHere(): void {
    const batch: Batch = { ops: this.queue, waiters: this.waiters };
    this.queue = [];
    this.waiters = [];
    if (batch.ops.length === 0) {
      for (const w of batch.waiters) w.resolve();
      return;
    }
    try {
      failpoint("efs.meta.before-commit");
      this.db.transaction(() => {
        for (const op of batch.ops) {
          if (op.put) this.insert.run(op.kind, op.id, op.seq, op.doc);
          else this.del.run(op.kind, op.id);
        }
      })();
      failpoint("efs.meta.after-commit");
    } catch (err) {
      this.fail(batch, err);
      return;
    }
    for (const w of batch.waiters) w.resolve();
  }
}

/** Blocks until the worker's next reply (or WORKER_WAIT_MS without one: undefined). */
function waitForReply(worker: CommitWorker): Reply | undefined {
  const deadline = Date.now() + WORKER_WAIT_MS;
  for (;;) {
    const seen = Atomics.load(worker.signal, 0);
    const received = receiveMessageOnPort(worker.port);
    if (received) return received.message as Reply;
    if (worker.thread.threadId === -1) return undefined; // the thread is gone; no reply will come
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    Atomics.wait(worker.signal, 0, seen, Math.min(left, 100));
  }
}
