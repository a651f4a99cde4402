/**
 * Reading managers from, and writing them into, an object's metadata.managedFields.
 */
import type { KubeObject, ManagedFieldsEntry } from "../../../api/types.js";
import { deepClone, getOwn, isObject, type JsonObject } from "../json.js";
import { decodeManagers, encodeManagers, type Managers } from "./managers.js";

/** What apply and update return: the object to store, and its managedFields (also set on it). */
export interface ManagedResult {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
}

/** A copy without managedFields, which never take part in merges or comparisons. */
export function withoutManagedFields(obj: KubeObject | JsonObject): JsonObject {
  const copy = deepClone(obj) as JsonObject;
  const meta = getOwn(copy, "metadata");
  if (isObject(meta)) delete meta.managedFields;
  return copy;
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
