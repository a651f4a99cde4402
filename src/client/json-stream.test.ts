import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { JsonStreamDecoder, JsonStreamError } from "./json-stream.js";

const enc = new TextEncoder();

describe("JsonStreamDecoder", () => {
  it("splits newline-delimited and back-to-back documents", () => {
    const d = new JsonStreamDecoder();
    expect(d.push(enc.encode('{"a":1}\n{"b":2}{"c":[3]}\n'))).toEqual([{ a: 1 }, { b: 2 }, { c: [3] }]);
    expect(d.idle).toBe(true);
  });

  it("ignores braces and quotes inside strings", () => {
    const d = new JsonStreamDecoder();
    expect(d.push(enc.encode('{"s":"}{\\"\\\\"}'))).toEqual([{ s: '}{"\\' }]);
  });

  it("reassembles documents split at every possible byte, including inside UTF-8 characters", () => {
    const docs = [{ type: "ADDED", object: { name: "é✓😀", s: "a}b{c\"" } }, { type: "DELETED", object: { n: [1, { x: null }] } }];
    const bytes = enc.encode(docs.map((x) => JSON.stringify(x)).join("\n") + "\n");
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = new JsonStreamDecoder();
      const out = [...d.push(bytes.slice(0, cut)), ...d.push(bytes.slice(cut))];
      expect(out).toEqual(docs);
    }
  });

  it("decodes any chunking of any sequence of objects (property)", () => {
    const objects = fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 5 });
    fc.assert(
      fc.property(objects, fc.array(fc.nat(), { maxLength: 8 }), (docs, cuts) => {
        const bytes = enc.encode(docs.map((x) => JSON.stringify(x)).join("\n"));
        const points = [...new Set(cuts.map((c) => (bytes.length ? c % bytes.length : 0)))].sort((a, b) => a - b);
        const d = new JsonStreamDecoder();
        const out: unknown[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          out.push(...d.push(bytes.slice(prev, p)));
          prev = p;
        }
        expect(out).toEqual(JSON.parse(JSON.stringify(docs)));
        expect(d.idle).toBe(true);
      }),
    );
  });

  it("reports a partial document as not idle", () => {
    const d = new JsonStreamDecoder();
    expect(d.push(enc.encode('{"a":'))).toEqual([]);
    expect(d.idle).toBe(false);
  });

  it("rejects garbage between documents and oversized documents", () => {
    expect(() => new JsonStreamDecoder().push(enc.encode('{"a":1} x'))).toThrow(JsonStreamError);
    expect(() => new JsonStreamDecoder(10).push(enc.encode('{"aaaaaaaaaaaaaaa'))).toThrow(/exceeds/);
  });
});
