/**
 * A de-duplicating work queue with client-go's semantics. Three sets describe every item:
 *   queued      waiting for a worker (FIFO, each item at most once)
 *   dirty       needs processing (queued, or re-added while being processed)
 *   processing  handed to a worker and not yet `done`
 * Invariants: an item is never handed to two workers at once; adding an item that is already
 * queued is a no-op; adding an item that is being processed marks it dirty, and `done` re-queues
 * it, so the change that caused the add is seen by a later pass. Domain-free: items are compared
 * with SameValueZero (strings are the usual keys).
 */
import { DelayedItems } from "./workqueue-delay.js";
import { defaultControllerRateLimiter, type RateLimiter } from "./workqueue-rate-limiter.js";

export { ExponentialFailureRateLimiter, BucketRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from "./workqueue-rate-limiter.js";
export type { RateLimiter } from "./workqueue-rate-limiter.js";
export { runWorkers } from "./workqueue-workers.js";

export interface WorkQueueOptions<T> {
  /** Used by `addRateLimited`; defaults to client-go's controller limiter (5 ms doubling, 10 qps). */
  rateLimiter?: RateLimiter<T>;
}

export class WorkQueue<T = string> {
  private queued: T[] = [];
  private head = 0;
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly getters: ((item: T | undefined) => void)[] = [];
  private readonly drainers: (() => void)[] = [];
  private readonly delayed: DelayedItems<T>;
  private readonly limiter: RateLimiter<T>;
  private shuttingDown = false;

  constructor(options: WorkQueueOptions<T> = {}) {
    this.limiter = options.rateLimiter ?? defaultControllerRateLimiter<T>();
    this.delayed = new DelayedItems<T>((item) => this.add(item));
  }

  /** Mark `item` as needing processing. No-op if already queued or after shutdown. */
  add(item: T): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return; // `done` will re-queue it
    this.queued.push(item);
    this.dispatch();
  }

  /** Add `item` after `ms`; an earlier pending schedule for the same item wins. */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) this.add(item);
    else this.delayed.schedule(item, ms);
  }

  /** Add `item` after the rate limiter's delay for it (one more recorded failure). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.limiter.when(item));
  }

  /** Clear `item`'s failure history (call after it was processed successfully). */
  forget(item: T): void {
    this.limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }

  /**
   * Wait for the next item and mark it processing; the caller must call `done(item)` afterwards.
   * Resolves `undefined` once the queue is shut down and (for the draining variant) empty.
   */
  get(): Promise<T | undefined> {
    if (this.size() > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Finish processing `item`; if it was re-added meanwhile it goes back in the queue. */
  done(item: T): void {
    if (!this.processing.delete(item)) return;
    if (this.dirty.has(item)) {
      this.queued.push(item);
      this.dispatch();
    }
    if (this.processing.size === 0) for (const d of this.drainers.splice(0)) d();
  }

  /** Items waiting for a worker (not counting those being processed or delayed). */
  len(): number {
    return this.size();
  }

  /** Items scheduled by `addAfter`/`addRateLimited` that are not yet due. */
  delayedLen(): number {
    return this.delayed.size;
  }

  isProcessing(item: T): boolean {
    return this.processing.has(item);
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Stop accepting items and release every waiting `get` with `undefined`. Items already queued
   * are dropped; delayed items are discarded. Idempotent.
   */
  shutDown(): void {
    if (!this.shuttingDown) {
      this.shuttingDown = true;
      this.delayed.close();
      this.queued = [];
      this.head = 0;
      this.dirty.clear();
    }
    for (const g of this.getters.splice(0)) g(undefined);
  }

  /** Shut down, then resolve once every item being processed has been marked `done`. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  private size(): number {
    return this.queued.length - this.head;
  }

  private take(): T {
    const item = this.queued[this.head++];
    // Reclaim the consumed prefix now and then instead of shifting on every take.
    if (this.head > 1024 && this.head * 2 > this.queued.length) {
      this.queued = this.queued.slice(this.head);
      this.head = 0;
    }
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }

  private dispatch(): void {
    while (this.getters.length > 0 && this.size() > 0) {
      const getter = this.getters.shift() as (item: T | undefined) => void;
      getter(this.take());
    }
  }
}
