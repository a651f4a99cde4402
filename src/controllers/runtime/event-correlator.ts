/**
 * Decides, for each event a controller records, whether to create a new Event object, bump the
 * count of an existing one, or drop it — client-go's EventCorrelator, with the same defaults:
 *
 *   aggregate  events that differ only in message: once 10 distinct messages for the same
 *              source/object/type/reason are seen within 10 minutes, further ones are folded into
 *              one "(combined from similar events): <message>" Event.
 *   count      an identical event (same source, object, type, reason, message) seen again within
 *              10 minutes becomes a patch of the earlier Event: count+1, lastTimestamp, message.
 *   throttle   per source+object token bucket (burst 25, then 1 every 5 minutes), applied last so
 *              counts stay true even when writes are dropped.
 * Caches are LRU-bounded (4096 entries).
 */
import { LruMap } from "./lru.js";

export interface ObjectReference {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface CoreEvent {
  apiVersion: "v1";
  kind: "Event";
  metadata: { name: string; namespace: string; resourceVersion?: string; [k: string]: unknown };
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  source: { component: string; host?: string };
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: "Normal" | "Warning";
  reportingComponent: string;
  reportingInstance: string;
  [extra: string]: unknown;
}

export interface CorrelatorOptions {
  /** Token bucket per source+object. */
  burst: number;
  qps: number;
  /** Window for counting identical events and aggregating similar ones. */
  windowMs: number;
  /** Distinct messages within the window before similar events are combined. */
  maxSimilar: number;
  cacheSize: number;
}

export const defaultCorrelatorOptions: CorrelatorOptions = { burst: 25, qps: 1 / 300, windowMs: 600_000, maxSimilar: 10, cacheSize: 4096 };

export interface CountPatch {
  count: number;
  lastTimestamp: string;
  message: string;
}

export type Correlation = { skip: true } | { skip: false; event: CoreEvent; patch?: CountPatch };

interface Observation {
  name: string;
  firstTimestamp: string;
  count: number;
  lastSeen: number;
}

interface Bucket {
  tokens: number;
  last: number;
}

function ref(e: CoreEvent): string {
  const o = e.involvedObject;
  return [e.source.component, e.source.host ?? "", o.kind, o.namespace ?? "", o.name, o.uid ?? "", o.apiVersion].join("\u0000");
}

export class EventCorrelator {
  private readonly opts: CorrelatorOptions;
  private readonly similar: LruMap<string, { messages: Set<string>; last: number }>;
  private readonly observed: LruMap<string, Observation>;
  private readonly buckets: LruMap<string, Bucket>;

  constructor(
    options: Partial<CorrelatorOptions> = {},
    /** Builds a fresh Event name for a combined event. */
    private readonly newName: (objectName: string) => string,
  ) {
    this.opts = { ...defaultCorrelatorOptions, ...options };
    this.similar = new LruMap(this.opts.cacheSize);
    this.observed = new LruMap(this.opts.cacheSize);
    this.buckets = new LruMap(this.opts.cacheSize);
  }

  correlate(incoming: CoreEvent, now: number): Correlation {
    const { event, cacheKey } = this.aggregate(incoming, now);
    const observed = this.observe(event, cacheKey, now);
    if (!this.allow(ref(event), now)) return { skip: true };
    return { skip: false, ...observed };
  }

  private aggregate(e: CoreEvent, now: number): { event: CoreEvent; cacheKey: string } {
    const fullKey = [ref(e), e.involvedObject.fieldPath ?? "", e.type, e.reason, e.message].join("\u0000");
    const aggKey = [ref(e), e.type, e.reason, e.reportingComponent, e.reportingInstance].join("\u0000");
    let record = this.similar.get(aggKey);
    if (!record || now - record.last > this.opts.windowMs) record = { messages: new Set(), last: now };
    record.messages.add(e.message);
    record.last = now;
    this.similar.set(aggKey, record);
    if (record.messages.size < this.opts.maxSimilar) return { event: e, cacheKey: fullKey };
    // Keep the set from growing past the threshold.
    record.messages.delete(record.messages.values().next().value as string);
    const combined: CoreEvent = {
      ...e,
      metadata: { name: this.newName(e.involvedObject.name), namespace: e.metadata.namespace },
      message: `(combined from similar events): ${e.message}`,
      count: 1,
      firstTimestamp: e.lastTimestamp,
    };
    return { event: combined, cacheKey: aggKey };
  }

  private observe(e: CoreEvent, cacheKey: string, now: number): { event: CoreEvent; patch?: CountPatch } {
    const last = this.observed.get(cacheKey);
    if (last && now - last.lastSeen <= this.opts.windowMs) {
      const event: CoreEvent = { ...e, metadata: { ...e.metadata, name: last.name }, firstTimestamp: last.firstTimestamp, count: last.count + 1 };
      this.observed.set(cacheKey, { name: last.name, firstTimestamp: last.firstTimestamp, count: event.count, lastSeen: now });
      return { event, patch: { count: event.count, lastTimestamp: event.lastTimestamp, message: event.message } };
    }
    this.observed.set(cacheKey, { name: e.metadata.name, firstTimestamp: e.firstTimestamp, count: e.count, lastSeen: now });
    return { event: e };
  }

  private allow(key: string, now: number): boolean {
    let b = this.buckets.get(key);
    if (!b) b = { tokens: this.opts.burst, last: now };
    b.tokens = Math.min(this.opts.burst, b.tokens + ((now - b.last) / 1000) * this.opts.qps);
    b.last = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(key, b);
    return ok;
  }
}
