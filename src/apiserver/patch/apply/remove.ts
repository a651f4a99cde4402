/**
 * Remove the members of a field set from a value (structured-merge-diff's RemoveItems): a
 * member field or list item goes with everything under it; children of the set descend. A map
 * or list emptied by removal disappears (upstream turns it into null); a struct stays as {}.
 */
import { FieldSet } from "../fieldpath/set.js";
import { type PathElement } from "../fieldpath/element.js";
import { setOwn, type JsonObject } from "../json.js";
import type { SchemaResolver, Shape } from "../schema.js";
import { childOf, indexItems, nodeKind, shapeBelow } from "./typed.js";

export function removeItems(r: SchemaResolver, shape: Shape, value: unknown, set: FieldSet): unknown {
  const kind = nodeKind(shape, value);
  if (kind === "leaf" || set.isEmpty()) return value;
  if (kind === "fields") {
    const obj = value as JsonObject;
    const out: JsonObject = {};
    for (const key of Object.keys(obj)) {
      const pe = `f:${key}`;
      if (set.members.has(pe)) continue;
      const sub = set.children.get(pe);
      const v = sub ? removeItems(r, childOf(r, shape, key).shape, obj[key], sub) : obj[key];
      if (v !== undefined) setOwn(out, key, v);
    }
    // Emptied by removal: upstream leaves null, which a typed object reads as "absent" for maps
    // but as an empty value for a struct; keep structs (they may be owned as `{}`).
    const emptied = Object.keys(out).length === 0 && Object.keys(obj).length > 0;
    return emptied && shape.kind !== "struct" ? undefined : out;
  }
  const list = value as unknown[];
  const itemShape = r.shape(shape.items);
  const indexed = indexItems(r, shape, list, false);
  const out: unknown[] = [];
  for (const pe of indexed.order) {
    if (set.members.has(pe)) continue;
    const sub = set.children.get(pe);
    const item = indexed.items.get(pe);
    const v = sub ? removeItems(r, itemShape, item, sub) : item;
    if (v !== undefined) out.push(v);
  }
  return out.length === 0 && list.length > 0 ? undefined : out;
}

/**
 * Make every struct field on the set's paths a member, so removing the set removes those
 * fields whole (a set holding .spec.x also owns .spec; map keys are not promoted).
 */
export function ensureNamedFieldsAreMembers(r: SchemaResolver, shape: Shape, set: FieldSet): FieldSet {
  const out = new FieldSet();
  for (const m of set.members) out.members.add(m);
  for (const [pe, child] of set.children) {
    if (isNamedField(shape, pe)) out.members.add(pe);
    out.children.set(pe, ensureNamedFieldsAreMembers(r, shapeBelow(r, shape, pe), child));
  }
  return out;
}

function isNamedField(shape: Shape, pe: PathElement): boolean {
  return pe.startsWith("f:") && shape.kind === "struct" && shape.fields.has(pe.slice(2));
}

