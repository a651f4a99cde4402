/**
 * Plain-JSON helpers shared by every patch flavour. Objects here come from JSON.parse, so the
 * only own keys are data; reads and writes go through getOwn/setOwn so a key such as
 * "__proto__" is stored as data instead of reaching the prototype.
 */

export type JsonObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

export function getOwn(obj: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function hasOwn(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** A shallow copy that keeps data keys as data (spread would too, but this is explicit). */
export function copyObject(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(obj)) setOwn(out, k, obj[k]);
  return out;
}

/** A shallow copy without `key`. */
export function omitKey(obj: JsonObject, key: string): JsonObject {
  const out = copyObject(obj);
  delete out[key];
  return out;
}

/** A deep copy of JSON data (a JSON round trip: faster than structuredClone for this shape). */
export function deepClone<T>(v: T): T {
  return typeof v !== "object" || v === null ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!hasOwn(b, k) || !deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** JSON with object keys sorted at every level, as Go's encoding/json writes maps. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort(compareStrings);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Byte-wise ordering, like Go's strings.Compare (JS `<` compares UTF-16 units, close enough for keys). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "string", "number", "boolean", "null", "array", "object" — for error messages. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/**
 * Go's %v rendering of decoded JSON (map[a:1 b:[x y]]), used where upstream's error messages
 * print a patch fragment, so our wording matches what users search for.
 */
export function goFormat(v: unknown, budget = 2000): string {
  const text = goFormatInner(v);
  return text.length > budget ? `${text.slice(0, budget)}...` : text;
}

function goFormatInner(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goFormatInner).join(" ")}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort(compareStrings);
    return `map[${keys.map((k) => `${k}:${goFormatInner(v[k])}`).join(" ")}]`;
  }
  return String(v);
}

/** Remove null-valued keys everywhere: typed Kubernetes objects cannot hold them once decoded. */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) {
      if (v[k] !== null) setOwn(out, k, dropNulls(v[k]));
    }
    return out;
  }
  return v;
}
