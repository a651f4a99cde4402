/**
 * Path elements, stored in their FieldsV1 spelling so sets serialise without translation:
 *   f:<field>          a struct field or map key
 *   k:{"name":"app"}   a list item by its key fields (canonical JSON, keys sorted)
 *   v:"value"          a set-list item by value (canonical JSON)
 *   i:3                a list item by position (only for lists we cannot key)
 * A path is an array of elements from the object root.
 */
import { canonicalJson, compareStrings, isObject } from "../json.js";

export type PathElement = string;
export type Path = readonly PathElement[];

export const fieldElement = (name: string): PathElement => `f:${name}`;
export const keyElement = (fields: Record<string, unknown>): PathElement => `k:${canonicalJson(fields)}`;
export const valueElement = (value: unknown): PathElement => `v:${canonicalJson(value)}`;
export const indexElement = (index: number): PathElement => `i:${index}`;

/** Normalise an element read from stored FieldsV1 (re-canonicalises JSON); throws if malformed. */
export function canonicalElement(raw: string): PathElement {
  const kind = raw.slice(0, 2);
  const body = raw.slice(2);
  switch (kind) {
    case "f:":
      return raw;
    case "k:": {
      const parsed: unknown = JSON.parse(body);
      if (!isObject(parsed)) throw new Error(`key element is not an object: ${raw}`);
      return keyElement(parsed);
    }
    case "v:":
      return valueElement(JSON.parse(body));
    case "i:":
      if (!/^(0|[1-9][0-9]*)$/.test(body)) throw new Error(`bad index element: ${raw}`);
      return raw;
    default:
      throw new Error(`unknown path element: ${raw}`);
  }
}

const KIND_RANK: Record<string, number> = { "f:": 0, "k:": 1, "v:": 2, "i:": 3 };

/** structured-merge-diff's element order: fields, then keys, then values, then indexes. */
export function compareElements(a: PathElement, b: PathElement): number {
  const ka = a.slice(0, 2);
  const kb = b.slice(0, 2);
  if (ka !== kb) return KIND_RANK[ka] - KIND_RANK[kb];
  switch (ka) {
    case "f:":
      return compareStrings(a, b);
    case "i:":
      return Number(a.slice(2)) - Number(b.slice(2));
    case "k:":
      return compareKeys(JSON.parse(a.slice(2)), JSON.parse(b.slice(2)));
    default:
      return compareValues(JSON.parse(a.slice(2)), JSON.parse(b.slice(2)));
  }
}

function compareKeys(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ea = Object.entries(a);
  const eb = Object.entries(b);
  for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
    const c = compareStrings(ea[i][0], eb[i][0]) || compareValues(ea[i][1], eb[i][1]);
    if (c !== 0) return c;
  }
  return ea.length - eb.length;
}

const VALUE_RANK = (v: unknown): number =>
  v === null ? 0 : typeof v === "number" ? 1 : typeof v === "string" ? 2 : typeof v === "boolean" ? 3 : Array.isArray(v) ? 4 : 5;

function compareValues(a: unknown, b: unknown): number {
  const ra = VALUE_RANK(a);
  const rb = VALUE_RANK(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (typeof a === "boolean") return Number(a) - Number(b);
  return compareStrings(canonicalJson(a), canonicalJson(b));
}

/** Go's %v of a key value as structured-merge-diff prints it (strings quoted). */
function renderValue(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : canonicalJson(v);
}

/** Upstream's Path.String(): .spec.containers[name="app"].image, .metadata.finalizers[="x"]. */
export function renderPath(path: Path): string {
  return path.map(renderElement).join("");
}

export function renderElement(pe: PathElement): string {
  const body = pe.slice(2);
  switch (pe.slice(0, 2)) {
    case "f:":
      return `.${body}`;
    case "k:": {
      const fields = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(fields).map(([k, v]) => `${k}=${renderValue(v)}`).join(",")}]`;
    }
    case "v:":
      return `[=${renderValue(JSON.parse(body))}]`;
    default:
      return `[${body}]`;
  }
}
