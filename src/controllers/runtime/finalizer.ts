/**
 * The finalizer pattern, level-based (as controller-runtime's finalizer helper): while an object
 * is live, make sure it carries our finalizer, so the API server cannot remove it before we clean
 * up; once it has a deletionTimestamp, run the cleanup and then remove the finalizer, which lets
 * the server complete the deletion.
 *
 * Writes are full updates carrying metadata.resourceVersion (optimistic concurrency). On 409
 * Conflict the object is re-read and the change re-decided from the fresh copy, so a concurrent
 * writer's changes are never overwritten. The cleanup must be idempotent: it may run again if
 * the finalizer removal fails or the process dies between the two.
 */
import type { KubeObject } from "../../api/types.js";
import { isNotFound, type ResourceClient } from "../../client/index.js";
import { retryOnConflict, type RetryOptions } from "./retry-on-conflict.js";

export type FinalizerResult<T> =
  /** The object is live and carries the finalizer (added now or already there). */
  | { state: "live"; object: T }
  /** The object was being deleted; cleanup ran and the finalizer is gone. `object` is absent if the server finished the deletion. */
  | { state: "finalized"; object?: T }
  /** The object is being deleted but does not carry our finalizer: nothing to do. */
  | { state: "deleting"; object: T }
  /** The object no longer exists. */
  | { state: "gone" };

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(finalizer);
}

/** Read the current object, or undefined if it is gone. */
async function fresh<T extends KubeObject>(client: ResourceClient<T>, obj: T): Promise<T | undefined> {
  try {
    return await client.get(obj.metadata.namespace, obj.metadata.name as string);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Add `finalizer` to a live object. Returns the object as stored (unchanged if it already had
 * the finalizer), the object itself if it is being deleted (a finalizer may not be added then),
 * or undefined if it no longer exists. Repeat calls are no-ops.
 */
export async function ensureFinalizer<T extends KubeObject>(client: ResourceClient<T>, obj: T, finalizer: string, retry?: RetryOptions): Promise<T | undefined> {
  return retryOnConflict(async (attempt) => {
    const cur = attempt === 0 ? obj : await fresh(client, obj);
    if (!cur || cur.metadata.deletionTimestamp || hasFinalizer(cur, finalizer)) return cur;
    const finalizers = [...(cur.metadata.finalizers ?? []), finalizer];
    try {
      return await client.update({ ...cur, metadata: { ...cur.metadata, finalizers } });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }, retry);
}

/**
 * Remove `finalizer`. Returns the object as stored afterwards, or undefined if it is gone (the
 * removal let the server delete it, or someone else did). Repeat calls are no-ops.
 */
export async function removeFinalizer<T extends KubeObject>(client: ResourceClient<T>, obj: T, finalizer: string, retry?: RetryOptions): Promise<T | undefined> {
  return retryOnConflict(async (attempt) => {
    const cur = attempt === 0 ? obj : await fresh(client, obj);
    if (!cur || !hasFinalizer(cur, finalizer)) return cur;
    const finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      return await client.update({ ...cur, metadata: { ...cur.metadata, finalizers } });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }, retry);
}

/**
 * One level-based step of the finalizer pattern for `obj` (typically read from an informer cache):
 * live → ensure the finalizer; deleting with our finalizer → `cleanup(obj)` then remove it.
 * If `cleanup` throws, the finalizer stays and the error propagates (the controller retries).
 */
export async function reconcileFinalizer<T extends KubeObject>(
  client: ResourceClient<T>,
  obj: T,
  finalizer: string,
  cleanup: (obj: T) => Promise<void>,
  retry?: RetryOptions,
): Promise<FinalizerResult<T>> {
  if (!obj.metadata.deletionTimestamp) {
    const live = await ensureFinalizer(client, obj, finalizer, retry);
    if (!live) return { state: "gone" };
    // A conflict retry may have found the object already being deleted: handle that now.
    if (!live.metadata.deletionTimestamp) return { state: "live", object: live };
    obj = live;
  }
  if (!hasFinalizer(obj, finalizer)) return { state: "deleting", object: obj };
  await cleanup(obj);
  const after = await removeFinalizer(client, obj, finalizer, retry);
  // Removing the last finalizer of a deleting object lets the server delete it: the answer is its final state.
  const deleted = !after || (after.metadata.deletionTimestamp !== undefined && (after.metadata.finalizers ?? []).length === 0);
  return deleted ? { state: "finalized" } : { state: "finalized", object: after };
}
