/**
 * A watch response as an async iterable of events. The stream is the server's: events arrive in
 * the order it sends them, ERROR events (e.g. 410 Expired) are delivered as events rather than
 * thrown, so callers can see the Status. Ending:
 *   - the server closes the stream cleanly      → iteration ends
 *   - `cancel()`                                → iteration ends (no error)
 *   - the connection drops / stream truncated   → iteration throws NetworkError (retryable)
 *   - nothing arrives for `idleMs`              → iteration throws NetworkError EWATCHIDLE
 * A Watch can be iterated once.
 */
import type { StatusObject } from "../api/status.js";
import type { KubeObject } from "../api/types.js";
import { NetworkError } from "./errors.js";
import type { OpenStream } from "./http.js";
import { JsonStreamDecoder, JsonStreamError } from "./json-stream.js";

export interface BookmarkObject {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; annotations?: Record<string, string> };
}

export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: T }
  | { type: "BOOKMARK"; object: BookmarkObject }
  | { type: "ERROR"; object: StatusObject };

export interface Watch<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  /** Stop the watch and release its connection. Idempotent; safe before or during iteration. */
  cancel(): void;
}

const types = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);
const CANCELLED = Symbol("watch cancelled");

function checkEvent(doc: unknown): WatchEvent {
  const d = doc as { type?: unknown; object?: unknown };
  if (!d || typeof d.type !== "string" || !types.has(d.type) || !d.object || typeof d.object !== "object") {
    throw new NetworkError(`malformed watch event: ${JSON.stringify(doc).slice(0, 200)}`, "EPROTO");
  }
  return d as WatchEvent;
}

export class WatchStream<T extends KubeObject> implements Watch<T> {
  private iterated = false;
  private cancelled = false;

  constructor(
    private readonly stream: OpenStream,
    private readonly idleMs: number,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.stream.abort(CANCELLED);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent<T>> {
    if (this.iterated) throw new Error("a watch can be iterated only once");
    this.iterated = true;
    if (this.cancelled) return;
    const decoder = new JsonStreamDecoder();
    let idle: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => this.stream.abort(new NetworkError(`watch idle for ${this.idleMs} ms`, "EWATCHIDLE")), this.idleMs);
    };
    arm();
    try {
      for await (const chunk of this.stream.body) {
        arm();
        let docs: unknown[];
        try {
          docs = decoder.push(chunk);
        } catch (err) {
          if (err instanceof JsonStreamError) throw new NetworkError(err.message, "EPROTO", true, { cause: err });
          throw err;
        }
        for (const doc of docs) {
          if (this.cancelled) return;
          yield checkEvent(doc) as WatchEvent<T>;
        }
      }
      if (!decoder.idle) throw new NetworkError("watch stream ended in the middle of an event", "EPROTO");
    } catch (err) {
      if (err === CANCELLED || this.cancelled) return;
      throw err;
    } finally {
      if (idle) clearTimeout(idle);
      // Breaking out of the loop early must still release the connection.
      if (!this.cancelled) this.stream.abort(CANCELLED);
    }
  }
}
