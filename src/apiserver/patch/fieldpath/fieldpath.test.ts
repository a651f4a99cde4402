import { describe, expect, it } from "vitest";
import { canonicalElement, fieldElement as f, keyElement as k, renderPath, valueElement as v, indexElement as i } from "./element.js";
import { decodeFieldsV1, encodeFieldsV1 } from "./fieldsv1.js";
import { FieldSet } from "./set.js";

describe("path elements", () => {
  it("render like upstream's Path.String()", () => {
    expect(renderPath([f("spec"), f("resources"), f("requests"), f("storage")])).toBe(".spec.resources.requests.storage");
    expect(renderPath([f("spec"), f("containers"), k({ name: "app" }), f("image")])).toBe('.spec.containers[name="app"].image');
    expect(renderPath([f("ports"), k({ protocol: "TCP", containerPort: 80 })])).toBe('.ports[containerPort=80,protocol="TCP"]');
    expect(renderPath([f("metadata"), f("finalizers"), v("x")])).toBe('.metadata.finalizers[="x"]');
    expect(renderPath([f("l"), i(2)])).toBe(".l[2]");
  });

  it("canonicalise stored keys so equal keys compare equal", () => {
    expect(canonicalElement('k:{"protocol":"TCP", "containerPort":80}')).toBe(k({ containerPort: 80, protocol: "TCP" }));
    expect(() => canonicalElement("x:nope")).toThrow();
    expect(() => canonicalElement("i:-1")).toThrow();
  });
});

describe("FieldSet", () => {
  const a = FieldSet.of([f("spec"), f("a")], [f("spec"), f("l"), k({ name: "x" })], [f("spec"), f("l"), k({ name: "x" }), f("image")]);
  const b = FieldSet.of([f("spec"), f("a")], [f("spec"), f("b")]);

  it("has structural set operations", () => {
    expect(a.has([f("spec"), f("a")])).toBe(true);
    expect(a.has([f("spec")])).toBe(false);
    expect(a.union(b).paths().length).toBe(4);
    expect(a.intersection(b).paths()).toEqual([[f("spec"), f("a")]]);
    expect(a.difference(b).paths()).toEqual([
      [f("spec"), f("l"), k({ name: "x" })],
      [f("spec"), f("l"), k({ name: "x" }), f("image")],
    ]);
    expect(a.difference(a).isEmpty()).toBe(true);
  });

  it("recursiveDifference removes whole subtrees under members", () => {
    const out = a.recursiveDifference(FieldSet.of([f("spec"), f("l")]));
    expect(out.paths()).toEqual([[f("spec"), f("a")]]);
  });
});

describe("FieldsV1", () => {
  it("encodes members, children and '.' in upstream's shape and order", () => {
    const set = FieldSet.of(
      [f("metadata"), f("labels"), f("app")],
      [f("spec"), f("containers"), k({ name: "app" })],
      [f("spec"), f("containers"), k({ name: "app" }), f("image")],
      [f("spec"), f("containers"), k({ name: "app" }), f("name")],
      [f("spec"), f("accessModes")],
    );
    const encoded = encodeFieldsV1(set);
    expect(JSON.stringify(encoded)).toBe(
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:accessModes":{},"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},"f:image":{},"f:name":{}}}}}',
    );
    expect(decodeFieldsV1(encoded).equals(set)).toBe(true);
  });

  it("rejects malformed input", () => {
    expect(() => decodeFieldsV1({ "f:a": 1 })).toThrow();
    expect(() => decodeFieldsV1({ "q:a": {} })).toThrow();
    expect(() => decodeFieldsV1("x")).toThrow();
  });
});
