/**
 * A controller's own view of objects: filled from informer events and from its own successful
 * writes, keeping whichever copy is newer by resourceVersion (upstream's storeObjectUpdate).
 * Without the write-through, a controller would act on its pre-write copy until the watch caught
 * up and fail its next write with a conflict; without the version check, a late watch event would
 * roll the cache back.
 */
import type { KubeObject } from "../../api/types.js";
import { compareResourceVersions } from "../../client/index.js";

/** True when `next` should replace `current` (newer, or versions that cannot be compared). */
export function isNewer(current: KubeObject | undefined, next: KubeObject): boolean {
  if (!current) return true;
  const c = compareResourceVersions(next.metadata.resourceVersion, current.metadata.resourceVersion);
  return c === undefined || c >= 0;
}

export class VersionedCache<T extends KubeObject> {
  private readonly items = new Map<string, T>();

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  /** Store `obj` under `key` unless the cached copy is newer. Returns whether it was stored. */
  store(key: string, obj: T): boolean {
    if (!isNewer(this.items.get(key), obj)) return false;
    this.items.set(key, obj);
    return true;
  }

  delete(key: string): T | undefined {
    const old = this.items.get(key);
    this.items.delete(key);
    return old;
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }

  get size(): number {
    return this.items.size;
  }
}
