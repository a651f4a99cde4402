/**
 * A test-only view of an etcd backend whose revisions count from the moment it was opened.
 *
 * Why: the conformance suite asserts absolute revisions ("a fresh store is at revision 0, its first
 * write is revision 1, then 2, …"). etcd's revision is global to the cluster: a fresh namespace in
 * a used etcd starts wherever the cluster is. The contract only promises strictly increasing
 * revisions, so the etcd backend reports etcd's revisions unchanged; this adapter subtracts the
 * revision at open (one constant) from every revision going out and adds it to every revision
 * going in. Tests using it run one at a time against a cluster nothing else writes to, so within a
 * test etcd's revisions are contiguous, exactly as the suite expects. Nothing else is changed.
 */
import { StoreError, type Backend, type KeyValue, type StoreEvent, type WatchOptions } from "../../src/store/index.js";

const isRev = (r: unknown): r is number => typeof r === "number" && Number.isSafeInteger(r) && r > 0;

export class RebasedBackend implements Backend {
  readonly name: string;

  constructor(
    readonly inner: Backend,
    readonly base: number,
  ) {
    this.name = inner.name;
  }

  static async wrap(inner: Backend): Promise<RebasedBackend> {
    return new RebasedBackend(inner, await inner.currentRevision());
  }

  private in(r: number | undefined): number | undefined {
    return isRev(r) ? r + this.base : r;
  }
  private out(r: number): number {
    return r > 0 ? Math.max(0, r - this.base) : r;
  }
  private kv(kv: KeyValue): KeyValue;
  private kv(kv: KeyValue | undefined): KeyValue | undefined;
  private kv(kv: KeyValue | undefined): KeyValue | undefined {
    return kv && { ...kv, createRevision: this.out(kv.createRevision), modRevision: this.out(kv.modRevision) };
  }
  private event(e: StoreEvent): StoreEvent {
    return { ...e, revision: this.out(e.revision), kv: this.kv(e.kv), prevKv: this.kv(e.prevKv) };
  }
  private err(e: unknown): unknown {
    if (!(e instanceof StoreError)) return e;
    const floor = e.compactRevision === undefined ? undefined : this.out(e.compactRevision);
    return new StoreError(e.code, e.message, this.kv(e.current), floor);
  }
  private async guard<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (e) {
      throw this.err(e);
    }
  }

  async get(key: string, revision?: number) {
    const r = await this.guard(this.inner.get(key, this.in(revision)));
    return { kv: this.kv(r.kv), revision: this.out(r.revision) };
  }
  async list(opts: Parameters<Backend["list"]>[0]) {
    const r = await this.guard(this.inner.list({ ...opts, revision: this.in(opts.revision) }));
    return { ...r, items: r.items.map((kv) => this.kv(kv)), revision: this.out(r.revision) };
  }
  async count(prefix: string, revision?: number) {
    const r = await this.guard(this.inner.count(prefix, this.in(revision)));
    return { count: r.count, revision: this.out(r.revision) };
  }
  async create(key: string, value: Uint8Array, opts?: Parameters<Backend["create"]>[2]) {
    return this.kv(await this.guard(this.inner.create(key, value, opts)));
  }
  async update(key: string, value: Uint8Array, expected: number, opts?: Parameters<Backend["update"]>[3]) {
    return this.kv(await this.guard(this.inner.update(key, value, this.in(expected) as number, opts)));
  }
  async delete(key: string, expected?: number) {
    return this.kv(await this.guard(this.inner.delete(key, this.in(expected))));
  }
  watch(opts: WatchOptions) {
    const after = typeof opts.afterRevision === "number" && Number.isSafeInteger(opts.afterRevision) && opts.afterRevision >= 0 ? opts.afterRevision + this.base : opts.afterRevision;
    return this.inner.watch({
      prefix: opts.prefix,
      afterRevision: after,
      onEvents: (events) => opts.onEvents(events.map((e) => this.event(e))),
      onError: (err) => opts.onError(this.err(err) as StoreError),
    });
  }
  async currentRevision() {
    return this.out(await this.guard(this.inner.currentRevision()));
  }
  async compactRevision() {
    return this.out(await this.guard(this.inner.compactRevision()));
  }
  compact(revision: number) {
    return this.guard(this.inner.compact(this.in(revision) as number));
  }
  stats() {
    return this.inner.stats();
  }
  close() {
    return this.inner.close();
  }
}
