/**
 * FieldsV1, the wire form of a field set in metadata.managedFields: a JSON trie whose keys are
 * path elements and whose "." key marks an element that is a member and also has children,
 * e.g. {"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{}}}}}.
 * Keys are written in structured-merge-diff order, "." first.
 */
import { isObject, type JsonObject } from "../json.js";
import { canonicalElement, compareElements } from "./element.js";
import { FieldSet } from "./set.js";

export function encodeFieldsV1(set: FieldSet): JsonObject {
  const out: JsonObject = {};
  const elements = [...new Set([...set.members, ...set.children.keys()])].sort(compareElements);
  for (const pe of elements) {
    const child = set.children.get(pe);
    if (!child) {
      out[pe] = {};
      continue;
    }
    const inner = encodeFieldsV1(child);
    out[pe] = set.members.has(pe) ? { ".": {}, ...inner } : inner;
  }
  return out;
}

/** Parse stored FieldsV1; throws on anything malformed (callers fall back as upstream does). */
export function decodeFieldsV1(v: unknown): FieldSet {
  if (!isObject(v)) throw new Error("fieldsV1 is not an object");
  const set = new FieldSet();
  for (const raw of Object.keys(v)) {
    if (raw === ".") continue;
    const pe = canonicalElement(raw);
    const body = v[raw];
    if (!isObject(body)) throw new Error(`fieldsV1 entry ${raw} is not an object`);
    const keys = Object.keys(body);
    if (keys.length === 0 || keys.includes(".")) set.members.add(pe);
    const child = decodeFieldsV1(body);
    if (!child.isEmpty()) set.children.set(pe, child);
  }
  return set;
}
