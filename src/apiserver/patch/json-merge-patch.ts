/**
 * JSON merge patch (RFC 7386): objects merge key by key, null deletes, anything else replaces.
 * The result is a new value; neither input is modified.
 */
import { assertMaxDepth, badRequest } from "./errors.js";
import { copyObject, deepClone, getOwn, isObject, setOwn, type JsonObject } from "./json.js";

/** RFC 7386 MergePatch(target, patch) for any JSON values. */
export function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return deepClone(patch);
  const out = isObject(target) ? copyObject(target) : {};
  for (const key of Object.keys(patch)) {
    const pv = patch[key];
    if (pv === null) {
      delete out[key];
    } else {
      setOwn(out, key, mergePatchValue(getOwn(out, key), pv));
    }
  }
  return out;
}

/**
 * `application/merge-patch+json` on an object. A patch that is not a JSON object cannot yield
 * an object; upstream answers those with 400 "Invalid JSON Patch" (json-patch's ErrBadJSONPatch).
 */
export function jsonMergePatch(original: JsonObject, patch: unknown): JsonObject {
  if (!isObject(patch)) throw badRequest("Invalid JSON Patch");
  assertMaxDepth(patch);
  // Untouched subtrees would otherwise be shared with the stored original.
  return mergePatchValue(deepClone(original), patch) as JsonObject;
}
