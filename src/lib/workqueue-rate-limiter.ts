/**
 * Rate limiters for the work queue, shaped like client-go's: `when(item)` answers how long to wait
 * before the item may be processed again (and records a failure), `forget(item)` clears its
 * history once it succeeds, `numRequeues(item)` reports the failures recorded so far.
 */

export interface RateLimiter<T> {
  /** Milliseconds to wait before re-queueing `item`; each call counts one more failure. */
  when(item: T): number;
  /** The item succeeded (or was given up on): clear its failure history. Repeat calls are no-ops. */
  forget(item: T): void;
  /** Failures recorded for `item` since the last `forget`. */
  numRequeues(item: T): number;
}

/**
 * Per-item exponential backoff: base, 2×base, 4×base … capped at `maxMs`. Items are independent,
 * so one poison key backing off does not slow the others down.
 */
export class ExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {
    if (!(baseMs > 0) || !(maxMs >= baseMs)) throw new RangeError("need 0 < baseMs <= maxMs");
  }

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    // 2^n overflows to Infinity long before it matters; the cap handles that case too.
    const delay = this.baseMs * 2 ** n;
    return Number.isFinite(delay) ? Math.min(delay, this.maxMs) : this.maxMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * One token bucket shared by all items (`qps` refill, `burst` capacity): bounds the overall retry
 * rate when many keys fail at once. Each `when` reserves a token, possibly in the future.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private tokens: number;
  private last: number;

  constructor(
    private readonly qps = 10,
    private readonly burst = 100,
    private readonly now: () => number = Date.now,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new RangeError("need qps > 0 and burst >= 1");
    this.tokens = burst;
    this.last = now();
  }

  when(_item: T): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The strictest of several limiters: the longest delay wins; every limiter records the failure. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    if (limiters.length === 0) throw new RangeError("need at least one limiter");
    this.limiters = limiters;
  }

  when(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

/** client-go's controller default: per-item 5 ms doubling to 1000 s, overall 10 qps with burst 100. */
export function defaultControllerRateLimiter<T>(): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ExponentialFailureRateLimiter<T>(5, 1_000_000), new BucketRateLimiter<T>(10, 100));
}
