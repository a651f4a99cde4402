/**
 * One store watch per resource, fanned out in-process to every HTTP watcher of that resource
 * (as kube-apiserver's watch cache): a ring buffer of recent events lets a watcher that starts
 * from a recent resourceVersion replay without touching the store; an older start opens a
 * dedicated store watch that replays history. Each subscriber has a bounded queue; a subscriber
 * that falls too far behind is closed and re-watches (upstream does the same).
 */
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import type { Backend, StoreError, StoreEvent, WatchHandle } from "../../store/types.js";
import { decodeObject } from "../registry/codec.js";
import { resourcePrefix } from "../registry/keys.js";
import { createLogger } from "../../lib/log.js";

const log = createLogger("watch-hub");

export interface HubEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  revision: number;
  object: KubeObject;
  /** The previous version (for MODIFIED/DELETED), to turn selector transitions into ADDED/DELETED. */
  prev?: KubeObject;
}

export interface Subscriber {
  /** Deliver events in order; return false when the subscriber cannot keep up (it is then closed). */
  push(events: HubEvent[]): boolean;
  /** The watch cannot continue (compacted history, store gone); the client should re-list. */
  fail(err: StoreError | Error): void;
}

const RING_SIZE = 20_000;
const RING_TRIM_SLICE = 1_000;

/**
 * A store event decoded for watchers. `prev` is decoded only when asked for (selector transitions
 * need it; most watchers never look), and once.
 */
class DecodedEvent implements HubEvent {
  readonly type: HubEvent["type"];
  readonly revision: number;
  readonly object: KubeObject;
  private decodedPrev?: KubeObject | null;

  constructor(private readonly raw: StoreEvent) {
    this.revision = raw.revision;
    this.object = decodeObject(raw.kv);
    if (raw.type === "delete") {
      this.type = "DELETED";
      this.object.metadata.resourceVersion = String(raw.revision);
    } else {
      this.type = raw.created ? "ADDED" : "MODIFIED";
    }
  }

  get prev(): KubeObject | undefined {
    if (this.decodedPrev === undefined) this.decodedPrev = this.raw.prevKv ? decodeObject(this.raw.prevKv) : null;
    return this.decodedPrev ?? undefined;
  }
}

export function toHubEvent(e: StoreEvent): HubEvent {
  return new DecodedEvent(e);
}

class ResourceHub {
  /**
   * Recent events as the store gave them (the stored bytes, about a fifth of the memory of decoded
   * objects): replay decodes them for the subscriber that asks.
   */
  private ring: StoreEvent[] = [];
  private subs = new Set<Subscriber>();
  private handle?: WatchHandle;
  /** Events with revision > floor are all in the ring. */
  private floor = 0;
  /** Highest revision seen by this hub (for bookmarks). */
  lastRevision = 0;
  private starting?: Promise<void>;

  constructor(private backend: Backend, private prefix: string) {}

  async start(): Promise<void> {
    if (this.handle) return;
    if (this.starting) return this.starting;
    this.starting = (async () => {
      const rev = await this.backend.currentRevision();
      this.floor = rev;
      this.lastRevision = rev;
      this.handle = this.backend.watch({
        prefix: this.prefix,
        afterRevision: rev,
        onEvents: (events) => this.onEvents(events),
        onError: (err) => this.onError(err),
      });
    })();
    try {
      await this.starting;
    } finally {
      this.starting = undefined;
    }
  }

  private onEvents(raw: StoreEvent[]): void {
    for (const e of raw) {
      this.ring.push(e);
      this.lastRevision = Math.max(this.lastRevision, e.revision);
    }
    // Decoded once, shared by every subscriber (and not at all while nobody watches).
    const events = this.subs.size > 0 ? raw.map(toHubEvent) : [];
    // Trimmed in slices, not per event: a splice moves the whole array.
    if (this.ring.length > RING_SIZE + RING_TRIM_SLICE) {
      const drop = this.ring.length - RING_SIZE;
      this.floor = this.ring[drop - 1].revision;
      this.ring.splice(0, drop);
    }
    for (const s of this.subs) {
      if (!s.push(events)) {
        this.subs.delete(s);
        s.fail(new Error("watcher fell too far behind"));
      }
    }
  }

  private onError(err: StoreError): void {
    log.warn("store watch ended; restarting", { prefix: this.prefix, err: err.message });
    this.handle = undefined;
    this.ring = [];
    const subs = [...this.subs];
    this.subs.clear();
    for (const s of subs) s.fail(err);
  }

  /** Subscribe for events after `afterRevision`; returns an unsubscribe function. */
  async subscribe(afterRevision: number, sub: Subscriber): Promise<() => void> {
    await this.start();
    if (afterRevision >= this.floor) {
      const replay = this.ring.filter((e) => e.revision > afterRevision).map(toHubEvent);
      if (replay.length > 0 && !sub.push(replay)) {
        sub.fail(new Error("watcher fell too far behind"));
        return () => {};
      }
      this.subs.add(sub);
      return () => this.subs.delete(sub);
    }
    // Older than the ring: a dedicated store watch replays history (or reports Compacted).
    const h = this.backend.watch({
      prefix: this.prefix,
      afterRevision,
      onEvents: (events) => {
        if (!sub.push(events.map(toHubEvent))) {
          h.cancel();
          sub.fail(new Error("watcher fell too far behind"));
        }
      },
      onError: (err) => sub.fail(err),
    });
    return () => h.cancel();
  }

  close(): void {
    this.handle?.cancel();
    this.handle = undefined;
    this.subs.clear();
  }
}

export class WatchHub {
  private hubs = new Map<string, ResourceHub>();

  constructor(private backend: Backend) {}

  private hub(t: ResourceTraits): ResourceHub {
    const prefix = resourcePrefix(t);
    let h = this.hubs.get(prefix);
    if (!h) {
      h = new ResourceHub(this.backend, prefix);
      this.hubs.set(prefix, h);
    }
    return h;
  }

  subscribe(t: ResourceTraits, afterRevision: number, sub: Subscriber): Promise<() => void> {
    return this.hub(t).subscribe(afterRevision, sub);
  }

  lastRevision(t: ResourceTraits): number {
    return this.hub(t).lastRevision;
  }

  close(): void {
    for (const h of this.hubs.values()) h.close();
    this.hubs.clear();
  }
}
