import { describe, it, expect } from "vitest";
import { JsonLinesDecoder } from "./json-lines.js";

describe("JsonLinesDecoder", () => {
  it("yields each document once its line is complete, wherever chunks are cut", () => {
    const d = new JsonLinesDecoder();
    expect(d.push('{"type":"ADD')).toEqual([]);
    expect(d.push('ED","object":{}}\n{"type":"DELETED"')).toEqual([{ type: "ADDED", object: {} }]);
    expect(d.push(',"object":{}}\n\n')).toEqual([{ type: "DELETED", object: {} }]);
    expect(d.end()).toEqual([]);
  });

  it("throws on a malformed line and on an unbounded one", () => {
    expect(() => new JsonLinesDecoder().push("{nope}\n")).toThrow();
    expect(() => new JsonLinesDecoder(10).push('{"a":"0123456789"')).toThrow(/longer than 10/);
  });

  it("parses an unterminated last document at the end", () => {
    const d = new JsonLinesDecoder();
    d.push('{"a":1}');
    expect(d.end()).toEqual([{ a: 1 }]);
  });
});
