/**
 * Records core/v1 Events about objects, as client-go's recorder does, so `kubectl describe` shows
 * them: involvedObject (kind, namespace, name, uid, apiVersion, resourceVersion), source.component
 * and host, reportingComponent/Instance, type Normal|Warning, reason, message, first/last
 * timestamp and count. The Event is named "<object name>.<unix nanoseconds in hex>" and lives in
 * the object's namespace ("default" for cluster-scoped objects).
 *
 * `event()` never blocks and never throws: it correlates at once (count / combine / throttle, see
 * EventCorrelator) and queues the write; one background loop writes in order, so a count patch
 * always follows the create it refers to. A patch answered by 404 (the Event expired) recreates
 * it; network failures retry a few times; anything else is logged and dropped — events are
 * best-effort, as upstream. The queue is bounded; overflow drops the newest event.
 */
import type { KubeObject } from "../../api/types.js";
import { NetworkError, isNotFound, type KubeClient, type ResourceClient } from "../../client/index.js";
import { createLogger, type Logger } from "../../lib/log.js";
import { EventCorrelator, type CoreEvent, type CorrelatorOptions, type CountPatch } from "./event-correlator.js";

export type EventType = "Normal" | "Warning";

export interface EventRecorderOptions {
  /** source.component and reportingComponent, e.g. "persistentvolume-controller". */
  component: string;
  /** source.host and reportingInstance, e.g. the node or pod name. */
  host?: string;
  correlator?: Partial<CorrelatorOptions>;
  /** Pending writes kept before new events are dropped (default 1000). */
  maxQueued?: number;
  /** Attempts per write on network failure, and the pause between them (default 3 × 1 s). */
  attempts?: number;
  retryDelayMs?: number;
  now?: () => Date;
  log?: Logger;
}

export const eventsResource = { group: "", version: "v1", kind: "Event", plural: "events", namespaced: true } as const;

interface PendingWrite {
  event: CoreEvent;
  patch?: CountPatch;
}

/** metav1.Time serialises to whole seconds in RFC 3339. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class EventRecorder {
  private readonly events: ResourceClient<CoreEvent & KubeObject>;
  private readonly correlator: EventCorrelator;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly pending: PendingWrite[] = [];
  private draining: Promise<void> | undefined;
  private lastNanos = 0n;
  /** Counts for tests and metrics: events written (created or patched), dropped, throttled. */
  readonly stats = { created: 0, patched: 0, dropped: 0, throttled: 0 };

  constructor(
    client: KubeClient,
    private readonly options: EventRecorderOptions,
  ) {
    this.events = client.resource<CoreEvent & KubeObject>(eventsResource);
    this.log = options.log ?? createLogger(`events/${options.component}`);
    this.now = options.now ?? (() => new Date());
    this.correlator = new EventCorrelator(options.correlator, (name) => this.eventName(name));
  }

  /** Record that `reason` happened to `obj`. Fire-and-forget; see `flush()`. */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    if (type !== "Normal" && type !== "Warning") {
      this.log.error("unsupported event type; dropping", { type, reason });
      return;
    }
    if (!obj.metadata?.name || !obj.kind || !obj.apiVersion) {
      this.log.error("event for an object without apiVersion/kind/name; dropping", { reason });
      return;
    }
    const now = this.now();
    const ts = rfc3339(now);
    const involvedObject = {
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
    };
    for (const k of Object.keys(involvedObject) as (keyof typeof involvedObject)[]) if (involvedObject[k] === undefined) delete involvedObject[k];
    const event: CoreEvent = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: this.eventName(obj.metadata.name), namespace: obj.metadata.namespace || "default" },
      involvedObject,
      reason,
      message: message.length > 1024 ? `${message.slice(0, 1021)}...` : message,
      source: this.options.host ? { component: this.options.component, host: this.options.host } : { component: this.options.component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      reportingComponent: this.options.component,
      reportingInstance: this.options.host ?? "",
    };
    const c = this.correlator.correlate(event, now.getTime());
    if (c.skip) {
      this.stats.throttled++;
      return;
    }
    if (this.pending.length >= (this.options.maxQueued ?? 1000)) {
      this.stats.dropped++;
      this.log.warn("event queue full; dropping event", { reason, object: involvedObject.name });
      return;
    }
    this.pending.push({ event: c.event, patch: c.patch });
    this.draining ??= this.drain();
  }

  /** Resolves once every event recorded so far has been written (or given up on). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      for (let w = this.pending.shift(); w; w = this.pending.shift()) await this.write(w);
    } finally {
      this.draining = undefined;
    }
  }

  private async write(w: PendingWrite): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        if (w.patch) {
          try {
            await this.events.patch(w.event.metadata.namespace, w.event.metadata.name, "strategic", w.patch);
            this.stats.patched++;
            return;
          } catch (err) {
            if (!isNotFound(err)) throw err;
            // The Event expired or was deleted: recreate it, keeping the count.
          }
        }
        const { resourceVersion: _rv, ...metadata } = w.event.metadata;
        await this.events.create({ ...w.event, metadata } as CoreEvent & KubeObject);
        this.stats.created++;
        return;
      } catch (err) {
        if (err instanceof NetworkError && err.retryable && attempt < attempts) {
          await new Promise((r) => setTimeout(r, this.options.retryDelayMs ?? 1000));
          continue;
        }
        this.stats.dropped++;
        this.log.warn("could not write event; dropping", { name: w.event.metadata.name, reason: w.event.reason, error: err });
        return;
      }
    }
  }

  /** "<name>.<hex unix nanoseconds>", strictly increasing within this recorder so names never collide. */
  private eventName(objectName: string): string {
    let nanos = BigInt(this.now().getTime()) * 1_000_000n;
    if (nanos <= this.lastNanos) nanos = this.lastNanos + 1n;
    this.lastNanos = nanos;
    return `${objectName}.${nanos.toString(16)}`;
  }
}

export function createEventRecorder(client: KubeClient, options: EventRecorderOptions): EventRecorder {
  return new EventRecorder(client, options);
}
