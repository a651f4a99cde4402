/**
 * The run's history, kept in memory for the checkers and appended to a JSON-lines file so a
 * failing run can be read afterwards. Four kinds of records:
 *   ack    a write the server answered 2xx, with the resourceVersion (and UID) it reported;
 *   attempt a delete that was sent (its outcome may never be known);
 *   watch  an event a watch stream delivered (or a "relist" marker when a stream had to start over);
 *   note   lifecycle: incarnation started / killed (how), restart revisions, sentinel files written.
 */
import { appendFileSync } from "node:fs";

export type Resource = "persistentvolumes" | "persistentvolumeclaims" | "pods" | "storageclasses" | "namespaces";

export interface AckRecord {
  type: "ack";
  verb: "create" | "update" | "delete";
  resource: Resource;
  /** "ns/name" or "name". */
  key: string;
  uid: string;
  rv: number;
  epoch: number;
  /** For updates: the annotation the update set (checked for durability). */
  annotation?: [string, string];
  /** A delete that the server answered with the object still present (finalizers pending). */
  pending?: boolean;
}

/** A delete the workload sent, whatever became of it: its reply may be lost in a crash, the delete done. */
export interface AttemptRecord {
  type: "attempt";
  verb: "delete";
  resource: Resource;
  key: string;
  epoch: number;
}

export interface WatchRecord {
  type: "watch";
  resource: Resource;
  event: "ADDED" | "MODIFIED" | "DELETED" | "RELIST";
  key: string;
  uid: string;
  rv: number;
  /** Which connection delivered it (streams are numbered in the order they were opened). */
  stream: number;
  epoch: number;
}

export interface NoteRecord {
  type: "note";
  what: string;
  epoch: number;
  [field: string]: unknown;
}

export type HistoryRecord = AckRecord | AttemptRecord | WatchRecord | NoteRecord;

export class History {
  readonly records: HistoryRecord[] = [];
  private buffer: string[] = [];

  constructor(private readonly file?: string) {}

  add(r: HistoryRecord): void {
    this.records.push(r);
    if (!this.file) return;
    this.buffer.push(JSON.stringify(r));
    if (this.buffer.length >= 500) this.flush();
  }

  flush(): void {
    if (!this.file || this.buffer.length === 0) return;
    appendFileSync(this.file, this.buffer.join("\n") + "\n");
    this.buffer = [];
  }

  acks(): AckRecord[] {
    return this.records.filter((r): r is AckRecord => r.type === "ack");
  }

  attempts(): AttemptRecord[] {
    return this.records.filter((r): r is AttemptRecord => r.type === "attempt");
  }

  watches(): WatchRecord[] {
    return this.records.filter((r): r is WatchRecord => r.type === "watch");
  }

  notes(what?: string): NoteRecord[] {
    return this.records.filter((r): r is NoteRecord => r.type === "note" && (what === undefined || r.what === what));
  }
}

export function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : String(obj.metadata.name);
}
