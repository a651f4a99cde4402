import { describe, expect, it } from "vitest";
import type { SchemaRegistry } from "../../api/types.js";
import { SchemaResolver } from "./schema.js";

const registry: SchemaRegistry = {
  A: { type: "object", properties: { l: { type: "array", items: { type: "string" }, "x-kubernetes-patch-strategy": "merge" } }, "x-kubernetes-map-type": "atomic" },
  Loop: { $ref: "#/components/schemas/Loop" },
};

describe("SchemaResolver", () => {
  const r = new SchemaResolver(registry);

  it("follows $ref and allOf, the referencing node's extensions winning", () => {
    const s = r.shape({ allOf: [{ $ref: "#/components/schemas/A" }], "x-kubernetes-map-type": "granular" });
    expect([s.kind, s.atomic, [...s.fields.keys()]]).toEqual(["struct", false, ["l"]]);
    expect(r.root("A").atomic).toBe(true);
    expect(r.root("Loop").kind).toBe("untyped");
    expect(r.root("Missing").kind).toBe("untyped");
  });

  it("derives list types as upstream: list-type wins, else merge strategy keys by merge key, else atomic", () => {
    const merged = r.shape({ type: "array", items: { type: "object", properties: { n: { type: "string" } } }, "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "n" });
    expect([merged.listType, merged.listKeys, merged.mergeKey]).toEqual(["map", ["n"], "n"]);
    const set = r.shape(registry.A.properties!.l);
    expect([set.listType, set.atomic]).toEqual(["set", false]);
    const declared = r.shape({ type: "array", items: { type: "object" }, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["a", "b"], "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "a" });
    expect([declared.listType, declared.listKeys]).toEqual(["map", ["a", "b"]]);
    expect(r.shape({ type: "array", items: { type: "string" } }).atomic).toBe(true);
  });

  it("tells structs, maps, untyped objects and scalars apart", () => {
    expect(r.shape({ type: "object", additionalProperties: { type: "string" } }).kind).toBe("map");
    expect(r.shape({ type: "object" }).kind).toBe("untyped");
    expect(r.shape({ type: "object", "x-kubernetes-preserve-unknown-fields": true }).kind).toBe("untyped");
    const open = r.shape({ type: "object", properties: { a: { type: "string" } }, "x-kubernetes-preserve-unknown-fields": true });
    expect([open.kind, r.member(open, "zz").allowed, r.member(open, "a").declared]).toEqual(["struct", true, true]);
    const closed = r.shape({ type: "object", properties: { a: { type: "string" } } });
    expect(r.member(closed, "zz").allowed).toBe(false);
    expect(r.shape({ "x-kubernetes-int-or-string": true }).intOrString).toBe(true);
    expect(r.shape(undefined).kind).toBe("untyped");
  });
});
