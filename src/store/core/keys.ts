/**
 * Key rules shared by every backend: what a valid key or prefix is, and how keys order.
 *
 * Keys order as their UTF-8 bytes do (etcd's order, and SQLite's BINARY collation on TEXT).
 * For well-formed strings that is Unicode code-point order, which differs from JavaScript's
 * UTF-16 `<` only when a surrogate pair meets a code unit in U+E000..U+FFFF.
 */

// A lone surrogate has no UTF-8 encoding; SQLite would silently replace it and two keys would collide.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws a TypeError unless `key` is a non-empty, well-formed string without NUL. */
export function assertValidKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || key.length === 0) throw new TypeError("store key must be a non-empty string");
  assertWellFormed(key, "key");
}

/** Throws a TypeError unless `prefix` is a well-formed string without NUL (empty = every key). */
export function assertValidPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== "string") throw new TypeError("store prefix must be a string");
  assertWellFormed(prefix, "prefix");
}

function assertWellFormed(s: string, what: string): void {
  if (s.includes("\u0000")) throw new TypeError(`store ${what} must not contain NUL`);
  if (LONE_SURROGATE.test(s)) throw new TypeError(`store ${what} must be well-formed UTF-16 (lone surrogate)`);
}

/** Moves surrogates above U+E000..U+FFFF so that code-unit comparison gives code-point order. */
function rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Byte-wise (UTF-8) comparison of two well-formed keys: negative, zero or positive. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/**
 * The smallest string greater than every key that starts with `prefix`, or undefined when there is
 * none (empty prefix, or a prefix made only of U+10FFFF). Incrementing the last code point works
 * because code-point order equals byte order.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0) as number);
  while (points.length > 0) {
    const last = points.pop() as number;
    if (last === 0x10ffff) continue;
    const next = last === 0xd7ff ? 0xe000 : last + 1;
    return String.fromCodePoint(...points, next);
  }
  return undefined;
}
