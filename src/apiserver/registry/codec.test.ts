import { describe, it, expect } from "vitest";
import fc from "fast-check";
import type { KubeObject } from "../../api/types.js";
import type { KeyValue } from "../../store/types.js";
import { canonicalOrder, decodeObject, encodeObject, encodeStoredJson } from "./codec.js";

function stored(obj: KubeObject, modRevision = 42): KeyValue {
  return { key: "/registry/x", value: encodeObject(obj), createRevision: 1, modRevision, lease: 0 };
}

const slow = (kv: KeyValue) => JSON.stringify(decodeObject(kv));

describe("encodeStoredJson", () => {
  it("gives the bytes decodeObject + JSON.stringify give, for any canonical object", () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const text = fc.string({ unit: "grapheme-composite" });
    fc.assert(
      fc.property(
        fc.dictionary(text, json, { maxKeys: 6 }),
        fc.dictionary(fc.string(), json, { maxKeys: 6 }),
        fc.constantFrom("v1", "storage.k8s.io/v1", "apps/v1"),
        fc.constantFrom("PersistentVolume", "Pod", "ConfigMap"),
        fc.nat(),
        (metadata, rest, apiVersion, kind, rev) => {
          const { apiVersion: _a, kind: _k, metadata: _m, status: _s, ...body } = rest as Record<string, unknown>;
          const obj = canonicalOrder({ apiVersion, kind, metadata: metadata as KubeObject["metadata"], ...body } as KubeObject);
          const kv = stored(obj, rev);
          expect(encodeStoredJson(kv).toString("utf8")).toBe(slow(kv));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("handles empty metadata, nested braces and escaped quotes in metadata", () => {
    for (const metadata of [{}, { name: 'a"}{b', annotations: { "x\\": '{"y":[1,{"z":"}"}]}' } }, { managedFields: [{ fieldsV1: { "f:spec": { "f:a": {} } } }] }]) {
      const kv = stored(canonicalOrder({ apiVersion: "v1", kind: "ConfigMap", metadata, data: { k: "}" } } as unknown as KubeObject));
      expect(encodeStoredJson(kv).toString("utf8")).toBe(slow(kv));
    }
  });

  it("falls back to parsing for a non-canonical layout", () => {
    const value = new TextEncoder().encode(JSON.stringify({ kind: "ConfigMap", metadata: { name: "n" }, apiVersion: "v1" }));
    const kv: KeyValue = { key: "/k", value, createRevision: 1, modRevision: 7, lease: 0 };
    expect(encodeStoredJson(kv).toString("utf8")).toBe(slow(kv));
    expect(JSON.parse(encodeStoredJson(kv).toString("utf8")).metadata.resourceVersion).toBe("7");
  });

  it("works on a value that is a view into a larger buffer", () => {
    const bytes = encodeObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "n" } } as KubeObject);
    const big = new Uint8Array(bytes.length + 20);
    big.set(bytes, 10);
    const kv: KeyValue = { key: "/k", value: big.subarray(10, 10 + bytes.length), createRevision: 1, modRevision: 9, lease: 0 };
    expect(encodeStoredJson(kv).toString("utf8")).toBe('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n","resourceVersion":"9"}}');
  });
});
