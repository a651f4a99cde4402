import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertValidKey, assertValidPrefix, compareKeys, prefixEnd } from "./keys.js";

const byteCompare = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));

// Strings over a small alphabet that includes the characters where UTF-16 and UTF-8 order differ.
const tricky = fc.constantFrom("a", "b", "/", "\u00e9", "\uFFFD", "\uE000", "\u{1F600}", "\u{10FFFF}", "\u{10000}", "\uD7FF");
const key = fc.array(tricky, { maxLength: 6 }).map((parts) => parts.join(""));

describe("compareKeys", () => {
  it("agrees with UTF-8 byte order", () => {
    fc.assert(fc.property(key, key, (a, b) => Math.sign(compareKeys(a, b)) === byteCompare(a, b)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => Math.sign(compareKeys(a, b)) === byteCompare(a, b)));
  });

  it("differs from JavaScript's < where UTF-16 and UTF-8 disagree", () => {
    expect("\u{1F600}" < "\uFFFD").toBe(true);
    expect(compareKeys("\u{1F600}", "\uFFFD")).toBeGreaterThan(0);
  });
});

describe("prefixEnd", () => {
  it("bounds exactly the keys that start with the prefix", () => {
    fc.assert(
      fc.property(key, key, (prefix, k) => {
        const end = prefixEnd(prefix);
        const inRange = byteCompare(k, prefix) >= 0 && (end === undefined || byteCompare(k, end) < 0);
        return inRange === k.startsWith(prefix);
      }),
      { numRuns: 5000 },
    );
  });

  it("increments the last code point, skipping surrogates and carrying past U+10FFFF", () => {
    expect(prefixEnd("/a/b/")).toBe("/a/b0");
    expect(prefixEnd("/x\uD7FF")).toBe("/x\uE000");
    expect(prefixEnd("/x\u{10FFFF}")).toBe("/y");
    expect(prefixEnd("\u{10FFFF}\u{10FFFF}")).toBeUndefined();
    expect(prefixEnd("")).toBeUndefined();
  });
});

describe("key validation", () => {
  it("accepts ordinary keys and refuses empty, NUL and lone surrogates", () => {
    expect(() => assertValidKey("/registry/pods/ns/name")).not.toThrow();
    expect(() => assertValidKey("/\u{1F600}")).not.toThrow();
    expect(() => assertValidKey("")).toThrow(TypeError);
    expect(() => assertValidKey("/a\u0000")).toThrow(TypeError);
    expect(() => assertValidKey("/a\uDC00")).toThrow(TypeError);
    expect(() => assertValidKey("/a\uD800b")).toThrow(TypeError);
    expect(() => assertValidKey(42)).toThrow(TypeError);
    expect(() => assertValidPrefix("")).not.toThrow();
    expect(() => assertValidPrefix("\uD800")).toThrow(TypeError);
  });
});
