import fc from "fast-check";
import fjp from "fast-json-patch";
import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/status.js";
import { GENERIC_UNPROCESSABLE } from "./errors.js";
import type { JsonObject } from "./json.js";
import { jsonMergePatch } from "./json-merge-patch.js";
import { jsonPatch } from "./json-patch.js";

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("expected a StatusError");
}

const doc = (): JsonObject => ({ metadata: { name: "x", labels: { a: "1" } }, spec: { list: [1, 2, 3], s: "v" } });

describe("jsonMergePatch (RFC 7386)", () => {
  it("merges objects, deletes on null, replaces arrays and scalars", () => {
    const out = jsonMergePatch(doc(), { metadata: { labels: { a: null, b: "2" } }, spec: { list: [9], s: { nested: null, k: 1 } } });
    expect(out).toEqual({ metadata: { name: "x", labels: { b: "2" } }, spec: { list: [9], s: { k: 1 } } });
  });

  it("refuses a patch that is not an object with upstream's 400", () => {
    for (const p of [[1], "x", null, 3]) {
      const e = statusOf(() => jsonMergePatch(doc(), p));
      expect([e.code, e.message]).toEqual([400, "Invalid JSON Patch"]);
    }
  });

  it("stores a __proto__ key as data instead of touching the prototype", () => {
    const out = jsonMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(["__proto__"]);
  });
});

describe("jsonPatch (RFC 6902)", () => {
  it("applies add, remove, replace, move, copy and test in order", () => {
    const out = jsonPatch(doc(), [
      { op: "test", path: "/spec/s", value: "v" },
      { op: "add", path: "/spec/list/1", value: 7 },
      { op: "add", path: "/spec/list/-", value: 8 },
      { op: "remove", path: "/spec/list/0" },
      { op: "replace", path: "/metadata/name", value: "y" },
      { op: "copy", from: "/metadata/labels", path: "/spec/labels" },
      { op: "move", from: "/spec/s", path: "/spec/t" },
      { op: "add", path: "/metadata/labels/a~1b", value: "slash" },
    ]);
    expect(out).toEqual({
      metadata: { name: "y", labels: { a: "1", "a/b": "slash" } },
      spec: { list: [7, 2, 3, 8], labels: { a: "1" }, t: "v" },
    });
  });

  it("does not modify the original", () => {
    const d = doc();
    jsonPatch(d, [{ op: "remove", path: "/spec" }]);
    expect(d).toEqual(doc());
  });

  it("a failed test is 422 Invalid with upstream's generic message and the detail as a cause", () => {
    const e = statusOf(() => jsonPatch(doc(), [{ op: "test", path: "/spec/s", value: "other" }]));
    expect([e.code, e.reason, e.message]).toEqual([422, "Invalid", GENERIC_UNPROCESSABLE]);
    expect(e.details?.causes?.[0]).toMatchObject({ message: "testing value /spec/s failed: test failed", field: "/spec/s" });
  });

  it("operations that cannot apply are 422", () => {
    const bad = [
      { op: "remove", path: "/spec/missing" },
      { op: "replace", path: "/nope/x", value: 1 },
      { op: "add", path: "/a/b/c", value: 1 },
      { op: "add", path: "/spec/list/9", value: 1 },
      { op: "add", path: "/spec/list/01", value: 1 },
      { op: "replace", path: "/spec/list/-", value: 1 },
      { op: "move", from: "/spec", path: "/spec/inner" },
      { op: "copy", from: "/none", path: "/x" },
      { op: "_get", path: "/spec" },
      { op: "add", path: "spec", value: 1 },
      { op: "add", path: "/x" },
      { op: "remove", path: "" },
      { op: "replace", path: "", value: [1] },
    ];
    for (const op of bad) expect(statusOf(() => jsonPatch(doc(), [op])).code, JSON.stringify(op)).toBe(422);
  });

  it("a body that is not an array of operation objects is 400", () => {
    expect(statusOf(() => jsonPatch(doc(), { op: "add" })).code).toBe(400);
    expect(statusOf(() => jsonPatch(doc(), [1])).code).toBe(400);
  });

  it("bounds the number of operations (413) and the bytes copies may add (422)", () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: "test", path: "/spec/s", value: "v" }));
    const e = statusOf(() => jsonPatch(doc(), ops));
    expect([e.code, e.reason, e.message]).toEqual([413, "RequestEntityTooLarge", "The allowed maximum operations in a JSON patch is 10000, got 10001"]);
    expect(jsonPatch(doc(), ops.slice(1)).spec).toEqual(doc().spec);

    // Doubling a subtree 30 times would be 2^30 copies of it: stopped once copies pass the limit.
    const amplify = [{ op: "add", path: "/a", value: { v: "x".repeat(1000) } }];
    for (let i = 0; i < 30; i++) amplify.push({ op: "copy", from: "/a", path: "/a/n" } as never);
    const c = statusOf(() => jsonPatch({}, amplify, { maxOperations: 100, maxCopyBytes: 64 * 1024 }));
    expect(c.code).toBe(422);
    expect(c.details?.causes?.[0]?.message).toMatch(/^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 65536$/);
  });

  it("agrees with fast-json-patch on valid add/replace/remove/test sequences", () => {
    const key = fc.constantFrom("a", "b", "c");
    const op = fc.oneof(
      fc.record({ op: fc.constant("add"), path: key.map((k) => `/${k}`), value: fc.jsonValue({ maxDepth: 2 }) }),
      fc.record({ op: fc.constant("replace"), path: key.map((k) => `/${k}`), value: fc.jsonValue({ maxDepth: 2 }) }),
      fc.record({ op: fc.constant("remove"), path: key.map((k) => `/${k}`) }),
      fc.record({ op: fc.constant("add"), path: fc.constant("/l/-"), value: fc.integer() }),
      fc.record({ op: fc.constant("add"), path: fc.constant("/l/0"), value: fc.integer() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (generated) => {
        // As they arrive on the wire: JSON has no -0, which fc.jsonValue can produce.
        const ops = JSON.parse(JSON.stringify(generated)) as typeof generated;
        const start = { a: 1, l: [0] };
        let expected: unknown;
        try {
          expected = fjp.applyPatch(structuredClone(start), structuredClone(ops) as never, true, false).newDocument;
        } catch {
          expect(() => jsonPatch(start, ops)).toThrow(StatusError);
          return;
        }
        expect(jsonPatch(start, ops)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
