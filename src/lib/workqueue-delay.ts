/**
 * Items waiting to be added to the work queue later. One timer is armed for the earliest item;
 * an item scheduled twice keeps its earlier ready time (as client-go's delaying queue), so a
 * burst of `addAfter` calls for one key collapses into one wake-up.
 */

interface Waiting<T> {
  item: T;
  readyAt: number;
}

export class DelayedItems<T> {
  /** Binary min-heap on readyAt; entries whose time was moved earlier are left stale and skipped. */
  private readonly heap: Waiting<T>[] = [];
  private readonly readyAt = new Map<T, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private closed = false;

  constructor(private readonly onReady: (item: T) => void) {}

  /** Schedule `item` for `ms` from now; an earlier pending schedule for the same item wins. */
  schedule(item: T, ms: number): void {
    if (this.closed) return;
    const at = Date.now() + Math.max(0, ms);
    const existing = this.readyAt.get(item);
    if (existing !== undefined && existing <= at) return;
    this.readyAt.set(item, at);
    this.push({ item, readyAt: at });
    this.arm();
  }

  /** How many distinct items are waiting. */
  get size(): number {
    return this.readyAt.size;
  }

  /** Drop every waiting item and disarm the timer; later `schedule` calls are ignored. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.heap.length = 0;
    this.readyAt.clear();
  }

  private arm(): void {
    const top = this.heap[0];
    if (!top || top.readyAt >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = top.readyAt;
    this.timer = setTimeout(() => this.fire(), Math.max(0, top.readyAt - Date.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    while (this.heap.length > 0 && this.heap[0].readyAt <= now) {
      const w = this.pop();
      // A stale heap entry: the item was rescheduled earlier and already released.
      if (this.readyAt.get(w.item) !== w.readyAt) continue;
      this.readyAt.delete(w.item);
      this.onReady(w.item);
      if (this.closed) return;
    }
    this.arm();
  }

  private push(w: Waiting<T>): void {
    const h = this.heap;
    h.push(w);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].readyAt <= h[i].readyAt) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private pop(): Waiting<T> {
    const h = this.heap;
    const top = h[0];
    const last = h.pop() as Waiting<T>;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].readyAt < h[m].readyAt) m = l;
        if (r < h.length && h[r].readyAt < h[m].readyAt) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}
