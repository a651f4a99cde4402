/**
 * An informer: list + watch one resource into a local cache and tell handlers what changed.
 *
 * Loop (client-go's reflector, simplified):
 *   1. list (paginated, consistent read) → replace the cache, emitting add/update/delete for the
 *      difference; lastSyncResourceVersion = the list's resourceVersion; hasSynced() turns true.
 *   2. watch from lastSyncResourceVersion with bookmarks; apply each event, advancing
 *      lastSyncResourceVersion (bookmarks advance it without changing the cache).
 *   3. the server ends the stream (timeoutSeconds)      → watch again from lastSyncResourceVersion
 *      the stream drops / goes idle / watch can't open → after backoff, watch again from there
 *      410 Gone/Expired (ERROR event or HTTP), or any other server error → after backoff, re-list
 *
 * Invariants:
 *   - the cache never goes back in time: an event whose resourceVersion is not newer than the
 *     cached object's (or than the deletion already seen for that key, or than the point the watch
 *     started from) is ignored;
 *   - handlers see each change once, in server order, with deletes carrying the last known object
 *     (`finalStateUnknown` when the deletion was inferred from a re-list);
 *   - a handler added late first receives the current cache as adds.
 * Handlers should be cheap (enqueue a key); a handler that throws is logged and skipped.
 */
import type { KubeObject } from "../api/types.js";
import { createLogger, type Logger } from "../lib/log.js";
import { Backoff, type BackoffOptions } from "./backoff.js";
import { NetworkError, isGone, statusErrorFromObject } from "./errors.js";
import { ObjectCache, type IndexFunc } from "./informer-cache.js";
import { objectKey } from "./paths.js";
import type { ResourceClient } from "./resource-client.js";
import { isNotNewer, isOlder, laterResourceVersion } from "./resource-version.js";
import type { Watch, WatchEvent } from "./watch.js";

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** List page size (default 500). */
  pageSize?: number;
  backoff?: BackoffOptions;
  /** Server-side watch timeout, chosen per watch (default: random 300–600 s, as client-go). */
  watchTimeoutSeconds?: () => number;
  /** Abort a watch that delivers nothing (not even a bookmark) for this long. */
  watchIdleTimeoutMs?: number;
  /** Re-deliver every cached object to onUpdate this often (0 = never, the default). */
  resyncMs?: number;
  /**
   * Applied to every listed or watched object before it is cached or handed to handlers, as
   * client-go's SetTransform; e.g. `stripManagedFields`, which controllers that never read
   * managedFields use to keep their caches small (a PUT without managedFields keeps the stored ones).
   */
  transform?: <O extends KubeObject>(obj: O) => O;
  log?: Logger;
}

/** An informer transform dropping metadata.managedFields (the largest part of most small objects). */
export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}

export interface DeleteInfo {
  /** True when the deletion was inferred from a re-list: the object is the last one cached, the real final state is unknown. */
  finalStateUnknown: boolean;
}

export interface EventHandlers<T> {
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T, info: DeleteInfo): void;
}

const MAX_TOMBSTONES = 10_000;

class Stopped extends Error {}

export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new ObjectCache<T>();
  private readonly handlers = new Set<EventHandlers<T>>();
  /** resourceVersion at which recently deleted keys disappeared, to refuse stale resurrections. */
  private readonly tombstones = new Map<string, string>();
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private synced = false;
  private syncWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private started = false;
  private stopped = false;
  private running: Promise<void> | undefined;
  private currentWatch: Watch<T> | undefined;
  private readonly abort = new AbortController();
  private resyncTimer: ReturnType<typeof setInterval> | undefined;
  private lastSync = "";

  constructor(
    readonly client: ResourceClient<T>,
    private readonly options: InformerOptions = {},
  ) {
    this.backoff = new Backoff(options.backoff);
    this.log = options.log ?? createLogger(`informer/${client.ref.plural}`);
  }

  /** The resourceVersion the cache reflects: the last list, event or bookmark applied. */
  get lastSyncResourceVersion(): string {
    return this.lastSync;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves after the first complete list was applied; rejects if the informer stops first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error("informer stopped before it synced"));
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      this.syncWaiters.push(waiter);
      signal?.addEventListener("abort", () => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== waiter);
        reject(signal.reason);
      }, { once: true });
    });
  }

  /** Register handlers; the current cache is replayed to `onAdd` first. Returns an unsubscribe. */
  addEventHandler(handlers: EventHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (handlers.onAdd) for (const obj of this.cache.list()) this.call(() => handlers.onAdd?.(obj, true));
    return () => this.handlers.delete(handlers);
  }

  onAdd(fn: (obj: T, isInInitialList: boolean) => void): () => void {
    return this.addEventHandler({ onAdd: fn });
  }

  onUpdate(fn: (oldObj: T, newObj: T) => void): () => void {
    return this.addEventHandler({ onUpdate: fn });
  }

  onDelete(fn: (obj: T, info: DeleteInfo) => void): () => void {
    return this.addEventHandler({ onDelete: fn });
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndexer(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value);
  }

  /** The cached object for "ns/name" (or "name"), if any. Treat it as read-only. */
  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return this.cache.list();
  }

  keys(): string[] {
    return this.cache.keys();
  }

  /** Start list+watch in the background. Idempotent. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.running = this.run();
    if (this.options.resyncMs && this.options.resyncMs > 0) {
      this.resyncTimer = setInterval(() => this.resync(), this.options.resyncMs);
      this.resyncTimer.unref?.();
    }
  }

  /** Stop watching; the cache keeps its last state. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return this.running;
    this.stopped = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.abort.abort(new Stopped("informer stopped"));
    this.currentWatch?.cancel();
    for (const w of this.syncWaiters.splice(0)) w.reject(new Error("informer stopped before it synced"));
    await this.running;
  }

  private async run(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) {
          await this.listAndReplace();
          needList = false;
        }
        await this.watchOnce();
        // A clean end (server-side timeout): resume at once from lastSyncResourceVersion.
      } catch (err) {
        if (this.stopped) break;
        const gone = isGone(err);
        // Network trouble: resume the watch from where we were. Anything the server said: re-list.
        if (gone || !(err instanceof NetworkError)) needList = true;
        const delay = this.backoff.next();
        this.log[gone ? "info" : "warn"](gone ? "resourceVersion expired; re-listing" : "list/watch failed; retrying", {
          error: err,
          relist: needList,
          delayMs: delay,
          resourceVersion: this.lastSync,
        });
        await this.sleep(delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const done = () => {
        clearTimeout(t);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const t = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  private async listAndReplace(): Promise<void> {
    const { namespace, labelSelector, fieldSelector } = this.options;
    const list = await this.client.listAll(namespace, { labelSelector, fieldSelector, limit: this.options.pageSize ?? 500, signal: this.abort.signal });
    if (this.stopped) return;
    const listRv = list.metadata.resourceVersion ?? "";
    const initial = !this.synced;
    const seen = new Set<string>();
    const transform = this.options.transform;
    for (const listed of list.items) {
      const item = transform ? transform(listed) : listed;
      const key = objectKey(item);
      seen.add(key);
      const old = this.cache.get(key);
      if (old && isNotNewer(item.metadata.resourceVersion, old.metadata.resourceVersion)) continue;
      this.cache.set(key, item);
      this.tombstones.delete(key);
      if (old) this.emitUpdate(old, item);
      else this.emitAdd(item, initial);
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const old = this.cache.get(key) as T;
      // Cached state newer than the list snapshot: the list is behind us, keep what we have.
      if (isOlder(listRv, old.metadata.resourceVersion)) continue;
      this.cache.delete(key);
      this.emitDelete(old, { finalStateUnknown: true });
    }
    for (const [key, rv] of this.tombstones) if (isNotNewer(rv, listRv)) this.tombstones.delete(key);
    this.lastSync = listRv;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w.resolve();
    }
  }

  private async watchOnce(): Promise<void> {
    const { namespace, labelSelector, fieldSelector } = this.options;
    const from = this.lastSync;
    const timeoutSeconds = this.options.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
    const watch = await this.client.watch(namespace, {
      resourceVersion: from,
      allowWatchBookmarks: true,
      labelSelector,
      fieldSelector,
      timeoutSeconds,
      idleTimeoutMs: this.options.watchIdleTimeoutMs,
      signal: this.abort.signal,
    });
    this.currentWatch = watch;
    try {
      if (this.stopped) return;
      for await (const event of watch) {
        if (this.stopped) return;
        this.apply(event, from);
      }
    } finally {
      this.currentWatch = undefined;
      watch.cancel();
    }
  }

  private apply(event: WatchEvent<T>, watchFrom: string): void {
    if (event.type === "ERROR") throw statusErrorFromObject(event.object);
    const rv = event.object.metadata?.resourceVersion;
    if (event.type === "BOOKMARK") {
      this.lastSync = laterResourceVersion(this.lastSync, rv);
      return;
    }
    const obj = this.options.transform ? this.options.transform(event.object) : event.object;
    const key = objectKey(obj);
    const cached = this.cache.get(key);
    // Replays of what the list already showed, and anything older than what we hold for this key.
    if (isNotNewer(rv, watchFrom)) return;
    if (event.type === "DELETED") {
      if (!cached || isOlder(rv, cached.metadata.resourceVersion)) return;
      this.cache.delete(key);
      this.remember(key, rv);
      this.lastSync = laterResourceVersion(this.lastSync, rv);
      this.emitDelete(obj, { finalStateUnknown: false });
      return;
    }
    if (cached && isNotNewer(rv, cached.metadata.resourceVersion)) return;
    const tomb = this.tombstones.get(key);
    if (!cached && tomb && isNotNewer(rv, tomb)) return;
    this.cache.set(key, obj);
    this.tombstones.delete(key);
    this.lastSync = laterResourceVersion(this.lastSync, rv);
    if (cached) this.emitUpdate(cached, obj);
    else this.emitAdd(obj, false);
  }

  private remember(key: string, rv: string | undefined): void {
    if (!rv) return;
    this.tombstones.delete(key);
    this.tombstones.set(key, rv);
    if (this.tombstones.size > MAX_TOMBSTONES) this.tombstones.delete(this.tombstones.keys().next().value as string);
  }

  private resync(): void {
    if (!this.synced || this.stopped) return;
    for (const obj of this.cache.list()) this.emitUpdate(obj, obj);
  }

  private emitAdd(obj: T, initial: boolean): void {
    for (const h of this.handlers) if (h.onAdd) this.call(() => h.onAdd?.(obj, initial));
  }

  private emitUpdate(oldObj: T, newObj: T): void {
    for (const h of this.handlers) if (h.onUpdate) this.call(() => h.onUpdate?.(oldObj, newObj));
  }

  private emitDelete(obj: T, info: DeleteInfo): void {
    for (const h of this.handlers) if (h.onDelete) this.call(() => h.onDelete?.(obj, info));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error("event handler threw", { error: err });
    }
  }
}

/** An informer for `client`'s resource; call `start()` to begin. */
export function createInformer<T extends KubeObject>(client: ResourceClient<T>, options: InformerOptions = {}): Informer<T> {
  return new Informer(client, options);
}
