/**
 * A readable diff of two JSON values, appended to "is immutable" messages the way upstream
 * appends a go-cmp diff. The format is ours (one "- path: old" / "+ path: new" pair per changed
 * leaf), not go-cmp's; it names exactly what changed, which is what a user needs.
 */

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Upstream's semantic equality treats nil and empty slices/maps alike; so do we. */
function isEmptyCollection(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function collect(path: string, a: unknown, b: unknown, out: string[]): void {
  if (isEmptyCollection(a) && isEmptyCollection(b) && (a === undefined || b === undefined || typeof a === typeof b)) return;
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) collect(path ? `${path}.${k}` : k, a[k], b[k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => collect(`${path}[${i}]`, v, b[i], out));
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const where = path || "(root)";
  if (a !== undefined) out.push(`- ${where}: ${JSON.stringify(a)}`);
  if (b !== undefined) out.push(`+ ${where}: ${JSON.stringify(b)}`);
}

/** Lines describing how `after` differs from `before`; empty when they are equal as JSON. */
export function jsonDiff(before: unknown, after: unknown, root = ""): string {
  const out: string[] = [];
  collect(root, before, after, out);
  return out.join("\n");
}

/** Deep equality of JSON-shaped values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return jsonDiff(a, b) === "";
}
