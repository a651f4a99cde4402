/**
 * Per-key mutual exclusion for async work: `withLock(keys, fn)` runs fn once it holds every key.
 * Keys are taken in sorted order, so two callers wanting overlapping sets cannot deadlock.
 * Used for "never two binds (or a bind and a volume sync) of one volume at once".
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async withLock<R>(keys: Iterable<string>, fn: () => Promise<R>): Promise<R> {
    const sorted = [...new Set(keys)].sort();
    const releases: (() => void)[] = [];
    try {
      for (const k of sorted) releases.push(await this.acquire(k));
      return await fn();
    } finally {
      for (const r of releases.reverse()) r();
    }
  }

  /** Keys currently held or waited for (tests, metrics). */
  get size(): number {
    return this.tails.size;
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
