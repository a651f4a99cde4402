/**
 * `application/strategic-merge-patch+json`: the patch kubectl apply, edit and patch send for
 * built-in kinds. The schema decides, field by field, how maps and lists merge (see
 * merge-map.ts and merge-list.ts); the original is never modified.
 */
import { assertMaxDepth, badRequest } from "../errors.js";
import { mergePatchValue } from "../json-merge-patch.js";
import { deepClone, isObject, jsonTypeName, type JsonObject } from "../json.js";
import { resolverFor, type SchemaContext } from "../schema.js";
import { mergeMap } from "./merge-map.js";

export function strategicMergePatch(original: JsonObject, patch: unknown, ctx: SchemaContext): JsonObject {
  if (!isObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonTypeName(patch)} into Go value of type map[string]interface {}`);
  }
  assertMaxDepth(patch);
  const resolver = resolverFor(ctx.schemas);
  const shape = resolver.root(ctx.rootSchema);
  // The result may share untouched subtrees with what it was built from; clone so callers can
  // mutate it (strategies prepare objects in place) without touching the stored original.
  const base = deepClone(original);
  if (shape.kind === "untyped") return mergePatchValue(base, patch) as JsonObject;
  return mergeMap({ resolver, patch }, base, patch, shape, "");
}
