/**
 * The fake API server's state: objects keyed by resource/namespace/name, a global revision that
 * becomes each write's resourceVersion, and an event history that watches replay from. Compaction
 * drops history up to the current revision so older watches get 410. Test use only.
 */
import type { KubeObject } from "../../api/types.js";

export type StoredEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoredEvent {
  rv: number;
  type: StoredEventType;
  /** "<group>/<plural>" */
  resource: string;
  object: KubeObject;
}

export class FakeStore {
  rv = 1;
  compactedRv = 0;
  readonly objects = new Map<string, KubeObject>();
  readonly history: StoredEvent[] = [];
  readonly listeners = new Set<(e: StoredEvent) => void>();

  static key(resource: string, namespace: string | undefined, name: string): string {
    return `${resource}|${namespace ?? ""}|${name}`;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.objects.get(FakeStore.key(resource, namespace, name));
    return obj && structuredClone(obj);
  }

  list(resource: string, namespace?: string): KubeObject[] {
    const prefix = namespace === undefined ? `${resource}|` : `${resource}|${namespace}|`;
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, o]) => structuredClone(o));
  }

  /** Record a write: stamps a new resourceVersion, stores or removes the object, notifies watchers. */
  write(resource: string, type: StoredEventType, obj: KubeObject): KubeObject {
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    const key = FakeStore.key(resource, stored.metadata.namespace, stored.metadata.name as string);
    if (type === "DELETED") this.objects.delete(key);
    else this.objects.set(key, stored);
    const event: StoredEvent = { rv: this.rv, type, resource, object: stored };
    this.history.push(event);
    for (const l of this.listeners) l(event);
    return structuredClone(stored);
  }

  /** Forget history up to now: watches from an older resourceVersion now get 410 Expired. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }
}
