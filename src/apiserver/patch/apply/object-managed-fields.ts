/**
 * Reading managers from, and writing them into, an object's metadata.managedFields.
 */
import type { KubeObject, ManagedFieldsEntry } from "../../../api/types.js";
import { getOwn, hasOwn, isObject, omitKey, type JsonObject } from "../json.js";
import { decodeManagers, encodeManagers, type Managers } from "./managers.js";

/** What apply and update return: the object to store, and its managedFields (also set on it). */
export interface ManagedResult {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
}

/**
 * The object as merges and comparisons see it: without managedFields. It shares everything
 * else with `obj`, so it is read-only; results are copied before they are returned.
 */
export function withoutManagedFields(obj: KubeObject | JsonObject): JsonObject {
  const meta = getOwn(obj as JsonObject, "metadata");
  if (!isObject(meta) || !hasOwn(meta, "managedFields")) return obj as JsonObject;
  return { ...obj, metadata: omitKey(meta, "managedFields") };
}

/** The stored object's managers; unreadable entries count as none (upstream resets them too). */
export function liveManagers(obj: KubeObject | undefined): Managers {
  try {
    return decodeManagers(obj?.metadata?.managedFields);
  } catch {
    return new Map();
  }
}

/** Encode the managers into the object (absent when there are none). */
export function finishObject(object: JsonObject, managers: Managers): ManagedResult {
  const managedFields = encodeManagers(managers);
  if (!isObject(object.metadata)) object.metadata = {};
  const meta = object.metadata as JsonObject;
  if (managedFields.length > 0) meta.managedFields = managedFields;
  else delete meta.managedFields;
  return { object: object as KubeObject, managedFields };
}
