/**
 * Strategic merge of one map (struct or string-keyed map). Keys merge recursively by their
 * schema; null deletes; `$patch: replace` makes the patch map the whole value, `$patch: delete`
 * empties it (upstream returns an empty map, not an absent one), `$patch: merge` is the
 * default. Map-level directives run first, in upstream's order: `$retainKeys`, then
 * `$setElementOrder/<list>` (which merges and orders that list), then
 * `$deleteFromPrimitiveList/<list>`; every other `$` key is refused. Fields the schema does
 * not know (or declares untyped) merge as RFC 7386 JSON merge patch.
 */
import { badRequest } from "../errors.js";
import { mergePatchValue } from "../json-merge-patch.js";
import { copyObject, getOwn, hasOwn, isObject, omitKey, setOwn, type JsonObject } from "../json.js";
import type { Shape } from "../schema.js";
import { typeMismatch } from "../type-check.js";
import { applyDeleteFromPrimitiveList, applyRetainKeys, applySetElementOrder } from "./directives.js";
import { DELETE_PRIMITIVE_PREFIX, DIRECTIVE, RETAIN_KEYS, SET_ORDER_PREFIX, unknownPatchType, wrongType, type MergeEnv } from "./env.js";
import { mergeList } from "./merge-list.js";

export function mergeMap(env: MergeEnv, live: JsonObject | undefined, patch: JsonObject, shape: Shape, path: string): JsonObject {
  if (shape.kind === "untyped") return mergePatchValue(live, patch) as JsonObject;
  const directive = getOwn(patch, DIRECTIVE);
  if (directive === "replace") return mergeMap(env, undefined, omitKey(patch, DIRECTIVE), shape, path);
  if (directive === "delete") return {};
  if (directive !== undefined && directive !== "merge") throw unknownPatchType(directive, patch);

  const out = live ? copyObject(live) : {};
  const done = new Set<string>([DIRECTIVE]);
  if (hasOwn(patch, RETAIN_KEYS)) {
    applyRetainKeys(out, patch);
    done.add(RETAIN_KEYS);
  }
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER_PREFIX)) continue;
    done.add(key);
    const field = key.slice(SET_ORDER_PREFIX.length);
    if (applySetElementOrder(env, out, patch, field, shape, `${path}.${field}`)) done.add(field);
  }
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(DELETE_PRIMITIVE_PREFIX)) continue;
    done.add(key);
    applyDeleteFromPrimitiveList(out, patch[key], key.slice(DELETE_PRIMITIVE_PREFIX.length));
  }
  for (const key of Object.keys(patch)) {
    if (done.has(key)) continue;
    if (key.startsWith("$") && !(shape.kind === "struct" && shape.fields.has(key))) {
      throw badRequest(`unknown strategic merge patch directive "${key}" in map at ${path || "."}`);
    }
    mergeField(env, out, key, patch[key], shape, `${path}.${key}`);
  }
  return out;
}

function mergeField(env: MergeEnv, out: JsonObject, key: string, value: unknown, shape: Shape, path: string): void {
  if (value === null) {
    delete out[key];
    return;
  }
  const member = env.resolver.member(shape, key);
  const fieldShape = env.resolver.shape(member.schema);
  if (!member.allowed || fieldShape.kind === "untyped") {
    setOwn(out, key, mergePatchValue(getOwn(out, key), value));
    return;
  }
  const mismatch = typeMismatch(fieldShape, value);
  if (mismatch) throw wrongType(env, path, mismatch);
  const current = getOwn(out, key);
  if (isObject(value)) {
    const replace = fieldShape.patchStrategies.includes("replace");
    setOwn(out, key, mergeMap(env, !replace && isObject(current) ? current : undefined, value, fieldShape, path));
  } else if (Array.isArray(value)) {
    setOwn(out, key, mergeList(env, Array.isArray(current) ? current : undefined, value, fieldShape, path));
  } else {
    setOwn(out, key, value);
  }
}

/** A patch value placed where nothing was: merged into emptiness so directives and nulls go. */
export function materialize(env: MergeEnv, value: unknown, shape: Shape, path: string): unknown {
  if (shape.kind === "untyped") return mergePatchValue(undefined, value);
  const mismatch = typeMismatch(shape, value);
  if (mismatch) throw wrongType(env, path, mismatch);
  if (isObject(value)) return mergeMap(env, undefined, value, shape, path);
  if (Array.isArray(value)) return mergeList(env, undefined, value, shape, path);
  return value;
}
