import { describe, it, expect } from "vitest";
import { FieldSelectorError, matchesFieldSelector, parseFieldSelector, unsupportedFieldLabel } from "./field-selector.js";
import { events } from "../kinds/event.js";
import { pods } from "../kinds/pod.js";
import type { Event } from "../kinds/event.js";

const ev = {
  apiVersion: "v1",
  kind: "Event",
  metadata: { name: "e1", namespace: "default" },
  involvedObject: { kind: "PersistentVolumeClaim", name: "x", namespace: "default", uid: "u1", apiVersion: "v1" },
  reason: "FailedBinding",
  type: "Warning",
} as Event;

describe("parseFieldSelector", () => {
  it("parses =, == and != terms (in upstream's sorted order)", () => {
    expect(parseFieldSelector("metadata.name=x,status.phase!=Running,spec.nodeName==n1")).toEqual([
      { key: "metadata.name", op: "=", value: "x" },
      { key: "spec.nodeName", op: "==", value: "n1" },
      { key: "status.phase", op: "!=", value: "Running" },
    ]);
  });
  it("allows empty values and backslash escapes", () => {
    expect(parseFieldSelector("involvedObject.namespace=")).toEqual([{ key: "involvedObject.namespace", op: "=", value: "" }]);
    expect(parseFieldSelector("a=x\\,y\\=z\\\\")).toEqual([{ key: "a", op: "=", value: "x,y=z\\" }]);
  });
  it("rejects terms without an operator and bad escapes", () => {
    expect(() => parseFieldSelector("metadata.name")).toThrowError(FieldSelectorError);
    expect(() => parseFieldSelector("metadata.name")).toThrowError("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
    expect(() => parseFieldSelector("a=b\\c")).toThrowError("invalid field selector: invalid escape sequence: \\c");
    expect(() => parseFieldSelector("a=b=c")).toThrowError("invalid field selector: unescaped character in value: =");
  });
});

describe("field selector matching per kind", () => {
  it("matches kubectl describe's event query in any term order, empty namespace included", () => {
    const reqs = parseFieldSelector("involvedObject.uid=u1,involvedObject.name=x,involvedObject.namespace=default,involvedObject.kind=PersistentVolumeClaim");
    expect(unsupportedFieldLabel(reqs, events)).toBeUndefined();
    expect(matchesFieldSelector(ev, reqs, events)).toBe(true);
    expect(matchesFieldSelector(ev, parseFieldSelector("involvedObject.namespace="), events)).toBe(false);
    expect(matchesFieldSelector(ev, parseFieldSelector("type!=Normal,reason=FailedBinding"), events)).toBe(true);
  });
  it("names the first unsupported field as upstream does", () => {
    expect(unsupportedFieldLabel(parseFieldSelector("metadata.name=x,spec.foo=1"), pods)).toBe("field label not supported: spec.foo");
    expect(unsupportedFieldLabel(parseFieldSelector("metadata.namespace=default,status.phase=Running"), pods)).toBeUndefined();
  });
});
