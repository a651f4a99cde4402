import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesPrefixEnd, KeyCodec } from "./keys.js";

describe("KeyCodec", () => {
  const keys = new KeyCodec("/cistern");

  it("stores keys under the namespace and decodes them back", () => {
    expect(keys.encode("/registry/core/pods/a").toString()).toBe("/cistern/registry/core/pods/a");
    expect(keys.decode(Buffer.from("/cistern/x/\u00e9"))).toBe("/x/\u00e9");
    expect(new KeyCodec("").encode("/a").toString()).toBe("/a");
  });

  it("refuses keys that do not start with '/' and malformed namespaces", () => {
    expect(() => keys.encode("abc")).toThrow(TypeError);
    expect(() => keys.encode("")).toThrow(TypeError);
    for (const ns of ["cistern", "/cistern/", "//a", "/a//b", "/nul\u0000"]) expect(() => new KeyCodec(ns)).toThrow(TypeError);
  });

  it("ranges a prefix so that a sibling namespace never falls inside", () => {
    const all = keys.prefixRange("");
    const inRange = (k: string) => {
      const b = Buffer.from(k);
      return Buffer.compare(b, all.key) >= 0 && Buffer.compare(b, all.rangeEnd) < 0;
    };
    expect(inRange("/cistern/a")).toBe(true);
    expect(inRange("/cistern2/a")).toBe(false);
    expect(inRange("/cistern")).toBe(false);
    // A prefix without "/" matches nothing of ours, nor of "/cisternabc".
    const odd = keys.prefixRange("abc");
    expect(Buffer.compare(Buffer.from("/cisternabc/x"), odd.key) < 0 || Buffer.compare(Buffer.from("/cisternabc/x"), odd.rangeEnd) >= 0).toBe(true);
  });

  it("narrows a range to keys strictly after startAfter", () => {
    const r = keys.after(keys.prefixRange("/p/"), "/p/03");
    expect(r.key.toString()).toBe("/cistern/p/03\u0000");
    expect(keys.after(keys.prefixRange("/b/"), "/a/9").key.toString()).toBe("/cistern/b/");
  });

  it("bytesPrefixEnd bounds exactly the strings with the prefix (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 6 }), fc.uint8Array({ maxLength: 4 }), (prefix, tail) => {
        const p = Buffer.from(prefix);
        const end = bytesPrefixEnd(p);
        const withPrefix = Buffer.concat([p, Buffer.from(tail)]);
        const allFf = p.every((b) => b === 0xff);
        if (!allFf) expect(Buffer.compare(withPrefix, end)).toBeLessThan(0);
        else expect(end).toEqual(Buffer.from([0]));
      }),
    );
    expect(bytesPrefixEnd(Buffer.from([0x61, 0xff]))).toEqual(Buffer.from([0x62]));
  });
});
