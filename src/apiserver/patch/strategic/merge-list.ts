/**
 * Strategic merge of one list field. Without the "merge" strategy the patch list replaces the
 * live one. With it: primitive lists become the union (live order kept for server-only values);
 * lists of maps merge element by element on the merge key, where patch elements may carry
 * `$patch: delete` (remove the live element with that key), `$patch: replace` (the other patch
 * elements become the whole list) or `$patch: merge` (the default, spelled out).
 */
import { badRequest, unprocessable } from "../errors.js";
import { canonicalJson, deepEqual, getOwn, hasOwn, isObject, omitKey, type JsonObject } from "../json.js";
import type { Shape } from "../schema.js";
import { DIRECTIVE, keyOfElement, noMergeKey, unknownPatchType, wrongType, type MergeEnv } from "./env.js";
import { materialize, mergeMap } from "./merge-map.js";
import { normalizeOrder } from "./order.js";

export function mergeList(env: MergeEnv, live: unknown[] | undefined, patch: unknown[], shape: Shape, path: string): unknown[] {
  // mergepatch.ErrNoListOfLists: upstream answers 422 with its generic message.
  if (patch.some(Array.isArray)) throw unprocessable("lists of lists are not supported", path);
  const itemShape = env.resolver.shape(shape.items);
  if (!shape.patchStrategies.includes("merge")) {
    return patch.map((el, i) => materialize(env, el, itemShape, `${path}[${i}]`));
  }
  const base = live ?? [];
  const hasMaps = patch.some(isObject) || base.some(isObject);
  if (!hasMaps) return mergePrimitives(env, base, patch, itemShape, path);
  if (shape.mergeKey === undefined) throw badRequest(`cannot merge lists without merge key for ${path}`);
  return mergeMaps(env, base, patch, shape.mergeKey, itemShape, path);
}

function mergePrimitives(env: MergeEnv, live: unknown[], patch: unknown[], itemShape: Shape, path: string): unknown[] {
  patch.forEach((el, i) => {
    if (isObject(el)) throw wrongType(env, `${path}[${i}]`, "list element types are not identical");
    materialize(env, el, itemShape, `${path}[${i}]`);
  });
  const seen = new Set<string>();
  const union: unknown[] = [];
  for (const v of [...live, ...patch]) {
    const k = canonicalJson(v);
    if (!seen.has(k)) {
      seen.add(k);
      union.push(v);
    }
  }
  return normalizeOrder(union, patch, live, keyOfElement(undefined));
}

function mergeMaps(env: MergeEnv, live: unknown[], patch: unknown[], key: string, itemShape: Shape, path: string): unknown[] {
  let merged = live.slice();
  const regular: JsonObject[] = [];
  let replaceAll = false;
  patch.forEach((el, i) => {
    if (!isObject(el)) throw wrongType(env, `${path}[${i}]`, "list element types are not identical");
    const directive = getOwn(el, DIRECTIVE);
    if (directive === undefined) return void regular.push(el);
    if (directive === "delete") {
      if (!hasOwn(el, key)) throw noMergeKey(el, key);
      merged = merged.filter((item) => !(isObject(item) && deepEqual(getOwn(item, key), el[key])));
    } else if (directive === "replace") {
      replaceAll = true;
    } else if (directive === "merge") {
      regular.push(omitKey(el, DIRECTIVE));
    } else {
      throw unknownPatchType(directive, el);
    }
  });
  if (replaceAll) return regular.map((el, i) => materialize(env, el, itemShape, `${path}[${i}]`));

  for (const el of regular) {
    if (!hasOwn(el, key)) throw noMergeKey(el, key);
    const at = merged.findIndex((item) => isObject(item) && deepEqual(getOwn(item, key), el[key]));
    const itemPath = `${path}[${key}=${canonicalJson(el[key])}]`;
    if (at >= 0) merged[at] = mergeMap(env, merged[at] as JsonObject, el, itemShape, itemPath);
    else merged.push(mergeMap(env, undefined, el, itemShape, itemPath));
  }
  return normalizeOrder(merged, regular, live, keyOfElement(key));
}
