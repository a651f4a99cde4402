/**
 * One holder per key at a time (volume name, access point ID, target path): a retried RPC waits for
 * the one in progress instead of racing it. Different keys never wait for each other. Entries are
 * dropped when the last waiter leaves, so the map only holds keys in use.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys currently held or waited for. */
  size(): number {
    return this.tails.size;
  }
}
