/**
 * Type-check an applied configuration against the schema, as upstream's conversion to a typed
 * value does before any merge: wrong JSON types, fields a struct does not declare, list items
 * without their keys and duplicate keys are all refused. Errors carry upstream's path spelling.
 */
import { fieldElement, renderPath, type PathElement } from "../fieldpath/element.js";
import { isObject } from "../json.js";
import type { SchemaResolver, Shape } from "../schema.js";
import { typeMismatch } from "../type-check.js";
import { childOf, indexItems } from "./typed.js";

export function validateApplied(r: SchemaResolver, shape: Shape, value: unknown): string[] {
  const errors: string[] = [];
  walk(r, shape, value, [], errors);
  return errors;
}

function walk(r: SchemaResolver, shape: Shape, v: unknown, path: PathElement[], errors: string[]): void {
  const at = (msg: string) => errors.push(path.length ? `${renderPath(path)}: ${msg}` : msg);
  if (v === null || shape.kind === "untyped") return;
  const mismatch = typeMismatch(shape, v);
  if (mismatch) return void at(mismatch);
  if (isObject(v)) {
    for (const key of Object.keys(v)) {
      const child = childOf(r, shape, key);
      const childPath = [...path, fieldElement(key)];
      if (!child.allowed) errors.push(`${renderPath(childPath)}: field not declared in schema`);
      else walk(r, child.shape, v[key], childPath, errors);
    }
  } else if (Array.isArray(v)) {
    const itemShape = r.shape(shape.items);
    if (shape.listType === "atomic") {
      v.forEach((item, i) => walk(r, itemShape, item, [...path, `i:${i}`], errors));
      return;
    }
    const indexed = indexItems(r, shape, v, true);
    for (const e of indexed.errors) at(e);
    for (const pe of indexed.order) walk(r, itemShape, indexed.items.get(pe), [...path, pe], errors);
  }
}
