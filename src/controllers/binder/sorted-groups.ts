/**
 * Members grouped by a bigint key, with the keys kept in ascending order, so "every member whose
 * key is at least K, smallest key first" costs a binary search plus the members visited. Keys are
 * few in practice (volume sizes repeat), so a new key is appended and the array re-sorted lazily.
 */
export class SortedGroups {
  private readonly groups = new Map<bigint, Set<string>>();
  private keys: bigint[] = [];
  private sorted = true;

  add(key: bigint, member: string): void {
    let g = this.groups.get(key);
    if (!g) {
      g = new Set();
      this.groups.set(key, g);
      if (this.keys.length > 0 && this.keys[this.keys.length - 1] > key) this.sorted = false;
      this.keys.push(key);
    }
    g.add(member);
  }

  remove(key: bigint, member: string): void {
    const g = this.groups.get(key);
    if (!g || !g.delete(member) || g.size > 0) return;
    this.groups.delete(key);
    this.ensureSorted();
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /**
   * Members with key ≥ `min`, ascending by key, insertion order within a key. Safe against
   * additions and removals made while iterating (it re-finds its place by key, not by index).
   */
  *atLeast(min: bigint): Generator<[bigint, string]> {
    let from = min;
    while (true) {
      this.ensureSorted();
      const i = this.lowerBound(from);
      if (i >= this.keys.length) return;
      const k = this.keys[i];
      const g = this.groups.get(k);
      if (g) for (const m of g) yield [k, m];
      from = k + 1n;
    }
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    this.keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.sorted = true;
  }

  private lowerBound(key: bigint): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
