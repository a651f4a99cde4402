/**
 * Deletes keys whose TTL has run out, as ordinary conditional deletes (so watchers see a normal
 * delete event). As in kine, the row stores the TTL, not a deadline: a key's clock starts when this
 * process sees the write, so after a restart a key may live up to one extra TTL.
 *
 * The delete is conditional on the modRevision that was written with the TTL, so a key rewritten
 * in the meantime is left alone (its newer write re-tracks or forgets it).
 */
import { createLogger } from "../../lib/log.js";
import { StoreError } from "../types.js";

const log = createLogger("store/ttl");

/** Deletes `key` if still at `modRevision`; must swallow NotFound/Conflict itself. */
export type ExpireFn = (key: string, modRevision: number) => Promise<void>;

/** An ExpireFn from a conditional delete: a key that changed, vanished or a closed store is not an error. */
export function expireByDelete(del: (key: string, modRevision: number) => Promise<unknown>): ExpireFn {
  return async (key, modRevision) => {
    try {
      await del(key, modRevision);
    } catch (err) {
      if (!(err instanceof StoreError) || !["NotFound", "Conflict", "Unavailable"].includes(err.code)) throw err;
    }
  };
}

interface Due {
  at: number;
  key: string;
  modRevision: number;
}

// setTimeout cannot wait longer than 2^31-1 ms; longer deadlines are reached in several hops.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class TtlSweeper {
  private readonly tracked = new Map<string, number>();
  private readonly heap: Due[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private stopped = false;

  constructor(
    private readonly expire: ExpireFn,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the latest write of `key`; a TTL of 0 forgets the key. */
  track(key: string, modRevision: number, ttlSeconds: number): void {
    if (this.stopped) return;
    if (ttlSeconds <= 0) {
      this.tracked.delete(key);
      return;
    }
    this.tracked.set(key, modRevision);
    push(this.heap, { at: this.now() + ttlSeconds * 1000, key, modRevision });
    this.arm();
  }

  /** The key was deleted: nothing to expire. (Its heap entry becomes stale and is skipped.) */
  forget(key: string): void {
    this.tracked.delete(key);
  }

  /** Keys currently waiting to expire (tests, metrics). */
  get pending(): number {
    return this.tracked.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.tracked.clear();
    this.heap.length = 0;
  }

  private arm(): void {
    const next = this.heap[0];
    if (!next || next.at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next.at;
    const delay = Math.min(Math.max(0, next.at - this.now()), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.now();
    while (this.heap.length > 0 && this.heap[0].at <= now) {
      const due = pop(this.heap) as Due;
      if (this.tracked.get(due.key) !== due.modRevision) continue; // rewritten or deleted since
      this.tracked.delete(due.key);
      this.expire(due.key, due.modRevision).catch((err) => log.warn("ttl delete failed", { key: due.key, err }));
    }
    if (!this.stopped) this.arm();
  }
}

// A binary min-heap on `at`.
function push(heap: Due[], item: Due): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent].at <= heap[i].at) break;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
}

function pop(heap: Due[]): Due | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l].at < heap[m].at) m = l;
      if (r < heap.length && heap[r].at < heap[m].at) m = r;
      if (m === i) break;
      [heap[m], heap[i]] = [heap[i], heap[m]];
      i = m;
    }
  }
  return top;
}
