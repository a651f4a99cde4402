/**
 * The in-process broadcaster behind `Backend.watch`, shared by every local backend.
 *
 * A watcher subscribes first (so no live event can fall between history and live), then reads
 * history above its start revision from the backend in pages, then drains the live events that
 * arrived meanwhile. Every delivery drops revisions at or below the last one delivered, so nothing
 * arrives twice and order is kept. Live events that commit while a watcher is still reading
 * history wait in a bounded per-watcher buffer; a watcher whose buffer overflows is dropped with
 * Unavailable and must re-list (kine's backpressure). Once caught up, a watcher receives each
 * commit's events in the next microtask, so it cannot fall behind.
 */
import { createLogger } from "../../lib/log.js";
import { StoreError, type StoreEvent, type WatchHandle, type WatchOptions } from "../types.js";
import { assertValidPrefix } from "./keys.js";
import { assertRevisionArg, compactedError } from "./revisions.js";

const log = createLogger("store/watch");

/** What the hub needs from a backend: synchronous reads of its revisions and history. */
export interface HistorySource {
  currentRevision(): number;
  compactRevision(): number;
  /** Events with after < revision <= upTo whose key starts with prefix, ascending, at most limit. */
  readHistory(prefix: string, after: number, upTo: number, limit: number): StoreEvent[];
}

export interface WatchHubOptions {
  /** Backend name, for messages. */
  name: string;
  /** Live events a watcher still reading history may have waiting before it is dropped. */
  bufferEvents: number;
  /** History rows read per step while a watcher catches up. */
  historyPage: number;
}

export const DEFAULT_WATCH_BUFFER_EVENTS = 4096;
export const DEFAULT_HISTORY_PAGE = 1000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

class Watcher implements WatchHandle {
  private state: "history" | "live" | "done" = "history";
  private buffer: StoreEvent[] = [];
  private lastDelivered: number;
  private drainScheduled = false;

  constructor(
    private readonly hub: WatchHub,
    private readonly opts: WatchOptions,
  ) {
    this.lastDelivered = opts.afterRevision;
  }

  cancel(): void {
    this.end();
  }

  /** Called by the hub for every committed event, in revision order. */
  offer(event: StoreEvent): void {
    if (this.state === "done" || event.revision <= this.lastDelivered) return;
    if (!event.kv.key.startsWith(this.opts.prefix)) return;
    this.buffer.push(event);
    // A live watcher drains its buffer in the next microtask, so only a watcher still reading
    // history can fall behind; a burst from one large group commit must not drop a live one.
    if (this.state === "history" && this.buffer.length > this.hub.options.bufferEvents) {
      const { name, bufferEvents } = this.hub.options;
      this.end(new StoreError("Unavailable", `${name}: watcher on ${JSON.stringify(this.opts.prefix)} fell more than ${bufferEvents} events behind and was dropped`));
      return;
    }
    if (this.state === "live" && !this.drainScheduled) {
      this.drainScheduled = true;
      queueMicrotask(() => this.drain());
    }
  }

  /** Reads history in (afterRevision, revision at subscription], then goes live. */
  async catchUp(source: HistorySource, upTo: number): Promise<void> {
    const page = this.hub.options.historyPage;
    let cursor = this.opts.afterRevision;
    for (;;) {
      if (this.state === "done") return;
      // Compaction only removes rows at or below the floor, so (cursor, upTo] is intact iff cursor >= floor.
      const floor = source.compactRevision();
      if (cursor < floor) return this.end(compactedError(cursor, floor));
      if (cursor >= upTo) break;
      let events: StoreEvent[];
      try {
        events = source.readHistory(this.opts.prefix, cursor, upTo, page);
      } catch (err) {
        return this.end(new StoreError("Unavailable", `watch history read failed: ${(err as Error).message}`));
      }
      cursor = events.length < page ? upTo : events[events.length - 1].revision;
      this.deliver(events);
      await nextTurn();
    }
    if (this.state !== "history") return;
    this.state = "live";
    this.drain();
  }

  private drain(): void {
    this.drainScheduled = false;
    if (this.state !== "live" || this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.deliver(batch);
  }

  private deliver(events: StoreEvent[]): void {
    const fresh = events.filter((e) => e.revision > this.lastDelivered);
    if (fresh.length === 0 || this.state === "done") return;
    this.lastDelivered = fresh[fresh.length - 1].revision;
    try {
      this.opts.onEvents(fresh);
    } catch (err) {
      // A throwing consumer may have lost events; ending the watch makes it re-list instead.
      log.warn("watch consumer threw; ending the watch", { prefix: this.opts.prefix, err });
      this.end(new StoreError("Unavailable", `watch consumer threw: ${(err as Error).message}`));
    }
  }

  /** Ends the watch; with an error, reports it once (asynchronously, never from inside a write). */
  end(err?: StoreError): void {
    if (this.state === "done") return;
    this.state = "done";
    this.buffer = [];
    this.hub.forget(this);
    if (err) queueMicrotask(() => this.opts.onError(err));
  }
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  constructor(
    private readonly source: HistorySource,
    readonly options: WatchHubOptions,
  ) {}

  /** Subscribes, then catches up from history asynchronously. Callbacks never run before this returns. */
  watch(opts: WatchOptions): WatchHandle {
    assertValidPrefix(opts.prefix);
    assertRevisionArg(opts.afterRevision, "afterRevision");
    if (opts.afterRevision === undefined) throw new TypeError("watch afterRevision is required");
    const watcher = new Watcher(this, opts);
    this.watchers.add(watcher);
    const upTo = this.source.currentRevision();
    queueMicrotask(() => void watcher.catchUp(this.source, upTo));
    return watcher;
  }

  /** Fans committed events (in revision order) out to every watcher. */
  publish(events: StoreEvent[]): void {
    if (this.watchers.size === 0) return;
    for (const event of events) for (const w of this.watchers) w.offer(event);
  }

  /** Ends every watch with `err` (the backend is closing). */
  endAll(err: StoreError): void {
    for (const w of [...this.watchers]) w.end(err);
  }

  /** Number of active watchers (metrics, tests). */
  get size(): number {
    return this.watchers.size;
  }

  /** @internal called by a watcher that ended. */
  forget(w: Watcher): void {
    this.watchers.delete(w);
  }
}
