/**
 * A controller: informers feed keys into a de-duplicating work queue; N workers take keys and
 * call the reconciler, which reads current state (usually from the informer caches) and converges
 * it. Handlers never act on an event's payload — they only enqueue (level-based), so a burst of
 * changes to one object collapses into one reconcile, and a missed event is repaired by the next.
 *
 * Outcome of one reconcile:
 *   returns { requeueAfter: ms }  → forget the failure history, reconcile again after ms
 *   returns { requeue: true }     → reconcile again after the rate limiter's delay
 *   returns nothing               → done; forget the failure history
 *   throws TerminalError          → log, forget, do not retry (a later change re-enqueues)
 *   throws anything else          → retry with per-key exponential backoff (5 ms doubling)
 * A key is never reconciled by two workers at once (the queue's processing set).
 */
import { objectKey, type Informer } from "../../client/index.js";
import type { KubeObject } from "../../api/types.js";
import { createLogger, type Logger } from "../../lib/log.js";
import { WorkQueue, runWorkers, type RateLimiter } from "../../lib/workqueue.js";
import { isTerminal } from "./terminal-error.js";

export interface ReconcileResult {
  requeueAfter?: number;
  requeue?: boolean;
}

export interface ReconcileContext {
  /** Aborted when the controller stops; pass it to long calls. */
  signal: AbortSignal;
  /** Failures recorded for this key since its last success (0 on a first try). */
  retries: number;
  log: Logger;
}

export type Reconciler = (key: string, ctx: ReconcileContext) => Promise<ReconcileResult | void>;

export interface ControllerOptions {
  name: string;
  reconcile: Reconciler;
  /** Workers started by `start()` unless it is given a count (default 1). */
  workers?: number;
  rateLimiter?: RateLimiter<string>;
  log?: Logger;
}

export interface ControllerStats {
  reconciles: number;
  errors: number;
  terminalErrors: number;
  requeues: number;
}

/** Maps an object to the keys to reconcile (default: its own "ns/name" key). */
export type KeyMapper<T> = (obj: T) => string | string[] | undefined;

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  readonly stats: ControllerStats = { reconciles: 0, errors: 0, terminalErrors: 0, requeues: 0 };
  private readonly log: Logger;
  private readonly informers: Informer<KubeObject>[] = [];
  private readonly abort = new AbortController();
  private workers: Promise<void> | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.name = options.name;
    this.queue = new WorkQueue<string>({ rateLimiter: options.rateLimiter });
    this.log = options.log ?? createLogger(`controller/${options.name}`);
  }

  /**
   * Enqueue keys for every add, update and delete the informer reports. `map` turns an object
   * into the keys of the objects to reconcile (e.g. a pod → the claims it mounts).
   */
  watch<T extends KubeObject>(informer: Informer<T>, map?: KeyMapper<T>): this {
    const enqueue = (obj: T) => {
      const keys = map ? map(obj) : objectKey(obj);
      if (keys === undefined) return;
      for (const k of Array.isArray(keys) ? keys : [keys]) this.queue.add(k);
    };
    informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, obj) => enqueue(obj), onDelete: enqueue });
    this.informers.push(informer as unknown as Informer<KubeObject>);
    return this;
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /**
   * Start the watched informers (idempotent for shared ones), wait until they have synced so the
   * first reconciles see a complete cache, then start the workers. Resolves once workers run.
   */
  async start(workers = this.options.workers ?? 1): Promise<void> {
    if (this.workers) throw new Error(`controller ${this.name} already started`);
    for (const i of this.informers) i.start();
    await Promise.all(this.informers.map((i) => i.waitForSync(this.abort.signal)));
    this.log.info("starting workers", { workers });
    this.workers = runWorkers(this.queue, workers, (key) => this.process(key));
  }

  /** Stop taking keys, abort reconciles in flight (via ctx.signal) and wait for them to return. */
  async stop(): Promise<void> {
    this.abort.abort(new Error(`controller ${this.name} stopped`));
    await this.queue.shutDownWithDrain();
    await this.workers;
  }

  private async process(key: string): Promise<void> {
    const retries = this.queue.numRequeues(key);
    this.stats.reconciles++;
    let result: ReconcileResult | void;
    try {
      result = await this.options.reconcile(key, { signal: this.abort.signal, retries, log: this.log });
    } catch (err) {
      if (this.abort.signal.aborted) return;
      if (isTerminal(err)) {
        this.stats.terminalErrors++;
        this.queue.forget(key);
        this.log.error("reconcile failed permanently; not retrying", { key, error: err });
        return;
      }
      this.stats.errors++;
      this.queue.addRateLimited(key);
      this.log.warn("reconcile failed; will retry", { key, retries: retries + 1, error: err });
      return;
    }
    if (result?.requeueAfter && result.requeueAfter > 0) {
      this.stats.requeues++;
      this.queue.forget(key);
      this.queue.addAfter(key, result.requeueAfter);
    } else if (result?.requeue) {
      this.stats.requeues++;
      this.queue.addRateLimited(key);
    } else {
      this.queue.forget(key);
    }
  }
}

export function createController(options: ControllerOptions): Controller {
  return new Controller(options);
}
