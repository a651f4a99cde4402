/**
 * etcd does not report its compaction floor through the API; the only signal is that a read at a
 * revision below it fails with "compacted" (a read at the floor itself succeeds). The floor only
 * rises, so we keep the highest floor seen and test it with one read: still readable one below?
 * If not, nothing moved. Otherwise (someone compacted further: another API server, etcdctl),
 * gallop upwards from the known floor and bisect, a logarithmic number of reads.
 * The hint from kube-apiserver's `compact_rev_key` (the last revision it compacted) is tried first.
 */
import { isStoreError } from "../types.js";

export interface FloorProbe {
  /** True when a read at `revision` succeeds, false when it fails as compacted. */
  readable(revision: number): Promise<boolean>;
  /** The newest revision. */
  current(): Promise<number>;
  /** A likely floor (kube-apiserver's compact_rev_key), if any. */
  hint(): Promise<number | undefined>;
}

export class CompactionFloor {
  private known = 0;

  constructor(private readonly probe: FloorProbe) {}

  /** Records a floor learned elsewhere (our own compaction, a watch cancelled as compacted). */
  raise(floor: number): void {
    if (floor > this.known) this.known = floor;
  }

  async get(): Promise<number> {
    // Invariant: reads below `known` fail. The floor is the smallest readable revision >= known
    // (a floor of 1 looks like no floor at all: there is nothing below revision 1 to refuse).
    const base = Math.max(this.known, 1);
    if (await this.probe.readable(base)) return this.known;
    const hint = await this.probe.hint();
    if (hint !== undefined && hint > this.known && (await this.probe.readable(hint)) && !(await this.probe.readable(hint - 1))) {
      this.known = hint;
      return hint;
    }
    const current = await this.probe.current();
    let lo = base; // not readable
    let step = 1;
    let hi = Math.min(lo + step, current);
    while (hi < current && !(await this.probe.readable(hi))) {
      lo = hi;
      step *= 2;
      hi = Math.min(lo + step, current);
    }
    // lo not readable, hi readable (the current revision always is).
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (await this.probe.readable(mid)) hi = mid;
      else lo = mid;
    }
    this.known = hi;
    return hi;
  }
}

/** Runs a read and answers whether it failed as compacted. */
export async function readableAt(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (err) {
    if (isStoreError(err, "Compacted")) return false;
    throw err;
  }
}
