/**
 * Records kept in creation order (ascending `seq`), with O(log n) lookup of "everything after seq X" for
 * keyset pagination. Sequence numbers only grow, so appends stay sorted.
 */
export class SeqList<T extends { seq: number }> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  add(item: T): void {
    const last = this.items[this.items.length - 1];
    if (!last || last.seq < item.seq) this.items.push(item);
    else this.items.splice(this.firstAfter(item.seq - 1), 0, item);
  }

  remove(item: T): void {
    const i = this.firstAfter(item.seq - 1);
    if (this.items[i]?.seq === item.seq) this.items.splice(i, 1);
  }

  /** Up to `limit` items with seq > afterSeq, and whether more follow. */
  page(afterSeq: number, limit: number): { items: T[]; more: boolean } {
    const start = this.firstAfter(afterSeq);
    return { items: this.items.slice(start, start + limit), more: start + limit < this.items.length };
  }

  all(): readonly T[] {
    return this.items;
  }

  /** Index of the first item whose seq is greater than `seq`. */
  private firstAfter(seq: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid].seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
