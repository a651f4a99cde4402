/**
 * A store watch on etcd that survives disconnects and leader changes without a gap or a duplicate.
 *
 * Each watch owns one gRPC watch stream. `last` is the newest revision whose events have all been
 * delivered; it starts at afterRevision. When the stream breaks (member stopped, member lost its
 * leader, connection dropped) the watch opens a new stream, on whichever member answers, from
 * `last` again. etcd sends all events of one revision in one response, so dropping every event
 * at or below `last` removes exactly the replayed ones: no duplicate, and nothing above `last` is
 * skipped, so no gap. A member that lags behind simply holds the new watch until it catches up.
 *
 * The stream starts at `last` rather than `last + 1` on purpose: etcd refuses a start revision
 * below its compaction floor, and the contract refuses afterRevision below the floor. Asking for
 * `last` makes etcd's check the contract's check (a history at exactly the floor may have lost a
 * tombstone, so `last + 1 == floor` must fail too). Progress notifications (etcd sends them to
 * caught-up watchers) move `last` forward on quiet prefixes, so a resume rarely lands below the floor.
 */
import type { IDuplexStream, IWatchRequest, IWatchResponse } from "etcd3";
import { createLogger } from "../../lib/log.js";
import { StoreError, type WatchHandle, type WatchOptions } from "../types.js";
import type { EtcdRpc } from "./client.js";
import type { KeyCodec } from "./keys.js";
import { toStoreEvent } from "./kv-codec.js";

const log = createLogger("store/etcd/watch");

export interface EtcdWatchContext {
  rpc: EtcdRpc;
  keys: KeyCodec;
  /** The compaction floor, for afterRevision 0 (etcd has no "watch from 0" check). */
  compactRevision(): Promise<number>;
  /** Give up and report Unavailable after this long without a working stream. */
  giveUpAfterMs: number;
  /** Called once when the watch ends for any reason. */
  onEnd(w: EtcdWatch): void;
}

export class EtcdWatch implements WatchHandle {
  private last: number;
  private done = false;
  private stream?: IDuplexStream<IWatchRequest, IWatchResponse>;
  private timer?: NodeJS.Timeout;
  private failures = 0;
  private failingSince?: number;

  constructor(
    private readonly ctx: EtcdWatchContext,
    private readonly opts: WatchOptions,
  ) {
    this.last = opts.afterRevision;
    void this.start();
  }

  cancel(): void {
    this.finish();
  }

  /** Ends the watch with an error (used by close: Unavailable). */
  fail(err: StoreError): void {
    if (this.done) return;
    this.finish();
    this.opts.onError(err);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.dropStream();
    this.ctx.onEnd(this);
  }

  private async start(): Promise<void> {
    if (this.last === 0) {
      try {
        const floor = await this.ctx.compactRevision();
        if (floor > 0) {
          this.fail(new StoreError("Compacted", `watch from revision 0: history is compacted up to ${floor}`, undefined, floor));
          return;
        }
      } catch (err) {
        this.retryLater(err);
        return;
      }
    }
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.done) return;
    let stream: IDuplexStream<IWatchRequest, IWatchResponse>;
    try {
      if (this.ctx.rpc.isClosed) throw this.ctx.rpc.unavailable("store closed");
      stream = await this.ctx.rpc.etcd.watchClient.watch();
    } catch (err) {
      this.retryLater(err);
      return;
    }
    if (this.done) {
      stream.cancel();
      return;
    }
    this.stream = stream;
    stream.on("data", (res) => this.onResponse(stream, res));
    stream.on("error", (err) => this.onBroken(stream, err));
    stream.on("end", () => this.onBroken(stream, new Error("watch stream ended by the server")));
    const range = this.ctx.keys.prefixRange(this.opts.prefix);
    stream.write({
      create_request: {
        key: range.key,
        range_end: range.rangeEnd,
        start_revision: Math.max(this.last, 1),
        prev_kv: true,
        progress_notify: true,
      },
    });
  }

  private onResponse(stream: IDuplexStream<IWatchRequest, IWatchResponse>, res: IWatchResponse): void {
    if (this.done || stream !== this.stream) return;
    if (res.canceled) {
      const floor = Number(res.compact_revision);
      if (floor > 0) {
        this.fail(new StoreError("Compacted", `watch from revision ${this.last}: history is compacted up to ${floor}`, undefined, floor));
      } else {
        // e.g. "etcdserver: no leader" from a member cut off from the quorum: resume elsewhere.
        this.onBroken(stream, new Error(`watch cancelled by etcd: ${res.cancel_reason || "no reason given"}`));
      }
      return;
    }
    this.failures = 0;
    this.failingSince = undefined;
    const fresh = res.events.filter((ev) => Number(ev.kv.mod_revision) > this.last);
    if (fresh.length > 0) {
      const events = fresh.map((ev) => toStoreEvent(this.ctx.keys, ev));
      this.last = events[events.length - 1].revision;
      try {
        this.opts.onEvents(events);
      } catch (err) {
        this.fail(new StoreError("Unavailable", `watch consumer threw: ${(err as Error).message}`));
      }
    } else if (res.events.length === 0 && !res.created && Number(res.header?.revision) > this.last) {
      // A progress notification: every event up to this revision has been sent.
      this.last = Number(res.header.revision);
    }
  }

  private onBroken(stream: IDuplexStream<IWatchRequest, IWatchResponse>, err: unknown): void {
    if (this.done || stream !== this.stream) return;
    this.dropStream();
    this.retryLater(err);
  }

  private retryLater(err: unknown): void {
    if (this.done) return;
    if (this.ctx.rpc.isClosed) {
      this.fail(this.ctx.rpc.unavailable("store closed"));
      return;
    }
    const now = Date.now();
    this.failingSince ??= now;
    if (now - this.failingSince > this.ctx.giveUpAfterMs) {
      this.fail(this.ctx.rpc.unavailable(`watch could not be resumed for ${this.ctx.giveUpAfterMs} ms: ${(err as Error)?.message ?? err}`));
      return;
    }
    const delay = Math.min(50 * 2 ** this.failures, 2000);
    this.failures++;
    log.debug("watch stream broken; resuming", { prefix: this.opts.prefix, from: this.last, delayMs: delay, err });
    // start(), not connect(): a watch from 0 whose floor check failed must check again.
    this.timer = setTimeout(() => void this.start(), delay);
  }

  private dropStream(): void {
    const s = this.stream;
    this.stream = undefined;
    if (s) {
      try {
        s.cancel();
      } catch {
        // already closed
      }
    }
  }
}
