/**
 * What one strategic merge needs while it walks: the schema resolver and the patch (for error
 * messages, which upstream prints whole in Go's %v form).
 */
import { badRequest, invalidPatch } from "../errors.js";
import { canonicalJson, getOwn, goFormat, isObject, type JsonObject } from "../json.js";
import type { SchemaResolver } from "../schema.js";
import type { ElementKey } from "./order.js";

export interface MergeEnv {
  resolver: SchemaResolver;
  patch: JsonObject;
}

export const DIRECTIVE = "$patch";
export const RETAIN_KEYS = "$retainKeys";
export const SET_ORDER_PREFIX = "$setElementOrder/";
export const DELETE_PRIMITIVE_PREFIX = "$deleteFromPrimitiveList/";

/** 422 on field "patch", as upstream when the patched map no longer decodes into the type. */
export function wrongType(env: MergeEnv, path: string, detail: string): Error {
  return invalidPatch(goFormat(env.patch), `${path || "."}: ${detail}`);
}

/** mergepatch.ErrNoMergeKey */
export function noMergeKey(element: unknown, key: string): Error {
  return badRequest(`map: ${goFormat(element)} does not contain declared merge key: ${key}`);
}

/** mergepatch.ErrBadPatchType */
export function unknownPatchType(directive: unknown, where: unknown): Error {
  return badRequest(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(where)}`);
}

/** Element identity by merge key (maps) or by value (primitives). */
export function keyOfElement(mergeKey: string | undefined): ElementKey {
  if (mergeKey === undefined) return (item) => (isObject(item) ? undefined : canonicalJson(item));
  return (item) => {
    if (!isObject(item)) return undefined;
    const v = getOwn(item, mergeKey);
    return v === undefined ? undefined : canonicalJson(v);
  };
}
