/**
 * The map-level strategic directives kubectl's three-way patches carry. Malformed directives
 * are 400 BadRequest with upstream's mergepatch error texts.
 */
import { badRequest } from "../errors.js";
import { getOwn, goFormat, isObject, isScalar, setOwn, type JsonObject } from "../json.js";
import type { Shape } from "../schema.js";
import { DIRECTIVE, keyOfElement, noMergeKey, type MergeEnv } from "./env.js";
import { mergeList } from "./merge-list.js";
import { normalizeOrder } from "./order.js";

/**
 * `$retainKeys: [..]`: drop every live key not listed. Every non-null, non-directive key of the
 * patch must be listed (mergepatch.ErrBadPatchFormatForRetainKeys otherwise).
 */
export function applyRetainKeys(out: JsonObject, patch: JsonObject): void {
  const list = patch.$retainKeys;
  if (!Array.isArray(list) || !list.every((k) => typeof k === "string")) throw badRequest("invalid patch format of retainKeys");
  const keep = new Set(list as string[]);
  for (const k of Object.keys(patch)) {
    if (!k.startsWith("$") && patch[k] !== null && !keep.has(k)) throw badRequest("invalid patch format of retainKeys");
  }
  for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
}

/**
 * `$deleteFromPrimitiveList/<field>: [values]`: remove those values from a primitive list.
 * A live value of another type is left alone, as upstream skips mismatched types.
 */
export function applyDeleteFromPrimitiveList(out: JsonObject, values: unknown, field: string): void {
  if (!Array.isArray(values) || !values.every(isScalar)) throw badRequest("invalid patch format of primitive list");
  const current = getOwn(out, field);
  if (!Array.isArray(current)) return;
  if (current.some((v) => !isScalar(v))) throw badRequest("invalid patch format of primitive list");
  setOwn(out, field, current.filter((v) => !values.includes(v)));
}

/**
 * `$setElementOrder/<field>: [...]`: merge the field's patch list (if any) into the live list,
 * then order the result by this list. Returns true when the field is fully handled here.
 */
export function applySetElementOrder(env: MergeEnv, out: JsonObject, patch: JsonObject, field: string, shape: Shape, path: string): boolean {
  const order = patch[`$setElementOrder/${field}`];
  if (!Array.isArray(order)) throw badRequest("invalid patch format of setElementOrder list");
  const member = env.resolver.member(shape, field);
  const listShape = env.resolver.shape(member.schema);
  if (!member.declared || listShape.kind !== "list") {
    throw badRequest(`unable to find api field in struct for the json field "${field}" named by $setElementOrder`);
  }
  const patchList = getOwn(patch, field);
  // A null deletes the list and a non-list is a type error: the ordinary field merge says so.
  if (patchList === null || (patchList !== undefined && !Array.isArray(patchList))) return false;
  // Only merge lists are ordered; upstream would otherwise replace the list with the (maybe
  // absent) patch list, which no client means.
  if (!listShape.patchStrategies.includes("merge")) return false;

  const live = getOwn(out, field);
  const liveList = Array.isArray(live) ? live : [];
  const items = (patchList ?? []) as unknown[];
  const isMapList = order.some(isObject) || items.some(isObject) || liveList.some(isObject);
  const mergeKey = isMapList ? listShape.mergeKey : undefined;
  if (isMapList) {
    if (mergeKey === undefined) throw badRequest(`cannot merge lists without merge key for ${path}`);
    for (const el of order) if (!isObject(el) || getOwn(el, mergeKey) === undefined) throw noMergeKey(el, mergeKey);
    for (const el of items) {
      if (isObject(el) && getOwn(el, DIRECTIVE) === undefined && getOwn(el, mergeKey) === undefined) throw noMergeKey(el, mergeKey);
    }
  }
  checkPatchFollowsOrder(items, order, mergeKey);
  const merged = mergeList(env, Array.isArray(live) ? live : undefined, items, listShape, path);
  setOwn(out, field, normalizeOrder(merged, order, liveList, keyOfElement(mergeKey)));
  return true;
}

/**
 * The patch list (ignoring `$patch` elements) must name its items in the same relative order as
 * the setElementOrder list; otherwise the client built an inconsistent patch.
 */
function checkPatchFollowsOrder(items: unknown[], order: unknown[], mergeKey: string | undefined): void {
  const keyOf = keyOfElement(mergeKey);
  const wanted = items.filter((el) => !(isObject(el) && getOwn(el, DIRECTIVE) !== undefined));
  let p = 0;
  for (let o = 0; o < order.length && p < wanted.length; o++) {
    const k = keyOf(wanted[p]);
    if (k !== undefined && k === keyOf(order[o])) p++;
  }
  if (p < wanted.length) {
    throw badRequest(`The order in patch list:\n${goFormat(items)}\n doesn't match $setElementOrder list:\n${goFormat(order)}\n`);
  }
}
