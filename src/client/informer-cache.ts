/**
 * The informer's local cache: objects by key ("ns/name" or "name") plus named secondary indexes.
 * An index function maps an object to zero or more values (e.g. a PVC to its spec.volumeName,
 * a pod to the claim names it mounts); `byIndex(name, value)` answers the objects with that value.
 * Indexes are kept exact on every set/delete, so a lookup never returns an object that no longer
 * carries the value.
 */
import type { KubeObject } from "../api/types.js";

export type IndexFunc<T> = (obj: T) => string | string[] | undefined;

function values<T>(fn: IndexFunc<T>, obj: T): string[] {
  const v = fn(obj);
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export class ObjectCache<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  /** The values each key was indexed under, so removal does not depend on the object staying unmodified. */
  private readonly indexedAs = new Map<string, Map<string, string[]>>();

  /** Add an index; existing objects are indexed at once. A name can be registered only once. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
    this.indexers.set(name, fn);
    this.indices.set(name, new Map());
    for (const [key, obj] of this.items) this.index(name, fn, key, obj);
  }

  hasIndexer(name: string): boolean {
    return this.indexers.has(name);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  set(key: string, obj: T): void {
    const old = this.items.get(key);
    if (old) this.unindex(key);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) this.index(name, fn, key, obj);
  }

  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key);
    this.items.delete(key);
    return old;
  }

  /** Objects whose index `name` yields `value`. Unknown index → throws (a programming error). */
  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`indexer "${name}" does not exist`);
    const keys = index.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.items.get(k) as T);
  }

  private index(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const index = this.indices.get(name) as Map<string, Set<string>>;
    const vals = values(fn, obj);
    let perKey = this.indexedAs.get(key);
    if (!perKey) this.indexedAs.set(key, (perKey = new Map()));
    perKey.set(name, vals);
    for (const v of vals) {
      let set = index.get(v);
      if (!set) index.set(v, (set = new Set()));
      set.add(key);
    }
  }

  private unindex(key: string): void {
    const perKey = this.indexedAs.get(key);
    if (!perKey) return;
    for (const [name, vals] of perKey) {
      const index = this.indices.get(name) as Map<string, Set<string>>;
      for (const v of vals) {
        const set = index.get(v);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) index.delete(v);
      }
    }
    this.indexedAs.delete(key);
  }
}
