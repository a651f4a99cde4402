/**
 * The dashboard's picture of the cluster: one map per watched resource, rebuilt from a list and
 * kept current by watch events. Pure and immutable — every change returns a new state and leaves
 * the old one untouched, so the UI can compare by reference; a change that changes nothing
 * (bookmark, error, stale or repeated event) returns the very same state object.
 *
 * Invariants: a map holds at most one object per key; an object never goes back to an older
 * resourceVersion (a late MODIFIED from before a re-list is dropped); events are bounded to the
 * newest `EVENT_LIMIT`.
 */
import type { KubeEvent, KubeNode, PersistentVolume, PersistentVolumeClaim, Pod } from "./kube-types.js";
import { objectKey } from "./kube-types.js";
import { eventTime } from "./events.js";

export interface ClusterState {
  persistentvolumes: ReadonlyMap<string, PersistentVolume>;
  persistentvolumeclaims: ReadonlyMap<string, PersistentVolumeClaim>;
  pods: ReadonlyMap<string, Pod>;
  events: ReadonlyMap<string, KubeEvent>;
  nodes: ReadonlyMap<string, KubeNode>;
}

export type WatchedResource = keyof ClusterState;

export const WATCHED_RESOURCES: readonly WatchedResource[] = ["persistentvolumes", "persistentvolumeclaims", "pods", "events", "nodes"];

/** Events kept; older ones are dropped first (the API server itself keeps them for an hour). */
export const EVENT_LIMIT = 1000;

/** A watch event as the API server streams it (object untyped until checked). */
export interface WatchEventLike {
  type: string;
  object: unknown;
}

export function emptyClusterState(): ClusterState {
  return { persistentvolumes: new Map(), persistentvolumeclaims: new Map(), pods: new Map(), events: new Map(), nodes: new Map() };
}

interface Meta {
  metadata: { name?: string; namespace?: string; resourceVersion?: string };
}

function isObject(o: unknown): o is Meta {
  if (!o || typeof o !== "object") return false;
  const meta = (o as { metadata?: unknown }).metadata;
  return !!meta && typeof meta === "object" && typeof (meta as { name?: unknown }).name === "string";
}

/** Revisions are decimal integers here (the store revision); compare as numbers, longest first. */
function isOlder(candidate: string | undefined, current: string | undefined): boolean {
  if (!candidate || !current || !/^\d+$/.test(candidate) || !/^\d+$/.test(current)) return false;
  if (candidate.length !== current.length) return candidate.length < current.length;
  return candidate < current;
}

function trimEvents(events: Map<string, KubeEvent>): void {
  if (events.size <= EVENT_LIMIT) return;
  const oldest = [...events.entries()].sort((a, b) => eventTime(a[1]) - eventTime(b[1]));
  for (const [key] of oldest.slice(0, events.size - EVENT_LIMIT)) events.delete(key);
}

/** Replaces one resource's map with a fresh list (after the initial list or a re-list on 410 Gone). */
export function replaceResource(state: ClusterState, resource: WatchedResource, items: readonly unknown[]): ClusterState {
  const next = new Map<string, Meta>();
  for (const item of items) if (isObject(item)) next.set(objectKey(item), item);
  if (resource === "events") trimEvents(next as Map<string, KubeEvent>);
  return { ...state, [resource]: next };
}

/**
 * Applies a batch of watch events to one resource. ADDED/MODIFIED upsert (unless older than what
 * is held), DELETED removes; BOOKMARK, ERROR and malformed events change nothing.
 */
export function applyWatchEvents(state: ClusterState, resource: WatchedResource, events: readonly WatchEventLike[]): ClusterState {
  let next: Map<string, Meta> | undefined;
  const current = state[resource] as ReadonlyMap<string, Meta>;
  for (const ev of events) {
    if (!isObject(ev.object)) continue;
    const key = objectKey(ev.object);
    const held = (next ?? current).get(key);
    if (ev.type === "ADDED" || ev.type === "MODIFIED") {
      if (held && (held === ev.object || isOlder(ev.object.metadata.resourceVersion, held.metadata.resourceVersion))) continue;
      if (held && held.metadata.resourceVersion !== undefined && held.metadata.resourceVersion === ev.object.metadata.resourceVersion) continue;
      next ??= new Map(current);
      next.set(key, ev.object);
    } else if (ev.type === "DELETED") {
      if (!held) continue;
      next ??= new Map(current);
      next.delete(key);
    }
  }
  if (!next) return state;
  if (resource === "events") trimEvents(next as Map<string, KubeEvent>);
  return { ...state, [resource]: next };
}

export function applyWatchEvent(state: ClusterState, resource: WatchedResource, event: WatchEventLike): ClusterState {
  return applyWatchEvents(state, resource, [event]);
}
