/**
 * The write path: conditional appends with group commit.
 *
 * Writes are queued and flushed on the next event-loop turn: every queued write runs inside one
 * BEGIN IMMEDIATE transaction (read latest row, check, insert), then one COMMIT, whose WAL fsync
 * (synchronous=FULL) makes them all durable together. Only then are callers acknowledged and
 * events published. A write that fails its check fails alone; the others in the batch still commit.
 * Under load many requests arrive while a commit blocks the loop, so batches form by themselves;
 * an idle store commits each write on its own.
 */
import { failpoint } from "../../lib/failpoints.js";
import { createLogger } from "../../lib/log.js";
import { planWrite, type WriteOp } from "../core/plan-write.js";
import { assignRevision, rowEvent, rowKv, type LogRow, type PlannedRow } from "../core/rows.js";
import { StoreError, isStoreError, type KeyValue, type StoreEvent } from "../types.js";
import { readLatest } from "./read.js";
import type { Statements } from "./statements.js";

const log = createLogger("store/sqlite");

/** A committed row and its watch event. */
export interface CommittedRow {
  row: LogRow;
  event: StoreEvent;
}

interface Pending {
  op: WriteOp;
  resolve(kv: KeyValue): void;
  reject(err: unknown): void;
}

type Outcome = CommittedRow | StoreError;

/**
 * Inserts a planned row. If the UNIQUE(name, prev_revision) guard fires, some other writer got
 * there first: report what a fresh check would have reported.
 */
export function insertPlanned(s: Statements, op: WriteOp, planned: PlannedRow): LogRow {
  try {
    const info = s.insert.run(
      planned.name,
      planned.created ? 1 : 0,
      planned.deleted ? 1 : 0,
      planned.created ? 0 : planned.createRevision,
      planned.prevRevision,
      planned.lease,
      planned.value,
      planned.oldValue ?? null,
    );
    return assignRevision(planned, Number(info.lastInsertRowid));
  } catch (err) {
    if ((err as { code?: string }).code !== "SQLITE_CONSTRAINT_UNIQUE") throw err;
    const current = readLatest(s, op.key);
    const live = current && !current.deleted ? rowKv(current) : undefined;
    if (op.kind === "create") throw new StoreError("KeyExists", `key ${op.key} already exists`, live);
    throw new StoreError("Conflict", `key ${op.key} was changed by a concurrent write`, live);
  }
}

/** Counters for metrics and the bench. */
export interface WriterStats {
  /** Transactions committed. */
  commits: number;
  /** Writes acknowledged as committed (rows appended). */
  rows: number;
  /** Transactions rolled back because they could not commit. */
  failedCommits: number;
}

export class GroupCommitWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  readonly stats: WriterStats = { commits: 0, rows: 0, failedCommits: 0 };

  constructor(
    private readonly s: Statements,
    /** Called after a durable commit, before callers are acknowledged. Must not throw. */
    private readonly onCommitted: (rows: CommittedRow[]) => void,
    private readonly maxBatch: number,
  ) {}

  submit(op: WriteOp): Promise<KeyValue> {
    return new Promise<KeyValue>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flushAll());
      }
    });
  }

  /** Commits everything queued now (also used by close). */
  flushAll(): void {
    this.scheduled = false;
    while (this.queue.length > 0) this.flushBatch(this.queue.splice(0, this.maxBatch));
  }

  private flushBatch(batch: Pending[]): void {
    let outcomes: Outcome[];
    try {
      outcomes = this.commit(batch);
    } catch (err) {
      this.stats.failedCommits++;
      const failure = new StoreError("Unavailable", `write not committed: ${(err as Error).message}`);
      log.error("write batch failed; rolled back", { writes: batch.length, err });
      for (const p of batch) p.reject(failure);
      return;
    }
    let ackFailure: StoreError | undefined;
    try {
      failpoint("store.sqlite.afterCommit");
    } catch (err) {
      // Models a lost acknowledgement: the writes are durable and published, the callers hear an error.
      ackFailure = new StoreError("Unavailable", `write outcome unknown: ${(err as Error).message}`);
    }
    const committed = outcomes.filter((o): o is CommittedRow => !(o instanceof StoreError));
    this.stats.commits++;
    this.stats.rows += committed.length;
    if (committed.length > 0) this.onCommitted(committed);
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o instanceof StoreError) p.reject(o);
      else if (ackFailure) p.reject(ackFailure);
      else p.resolve(o.event.kv);
    });
  }

  /** One immediate transaction for the whole batch; throws (after rollback) if it cannot commit. */
  private commit(batch: Pending[]): Outcome[] {
    const s = this.s;
    s.begin.run();
    try {
      const outcomes = batch.map((p): Outcome => {
        try {
          const latest = readLatest(s, p.op.key);
          const row = insertPlanned(s, p.op, planWrite(p.op, latest));
          return { row, event: rowEvent(row, latest?.lease ?? 0) };
        } catch (err) {
          if (isStoreError(err)) return err;
          throw err;
        }
      });
      failpoint("store.sqlite.beforeCommit");
      s.commit.run();
      return outcomes;
    } catch (err) {
      if (s.begin.database.inTransaction) s.rollback.run();
      throw err;
    }
  }
}
