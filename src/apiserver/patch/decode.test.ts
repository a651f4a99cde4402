import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/status.js";
import { decodePatchBody, patchTypeFromContentType } from "./decode.js";
import { applyPatch } from "./index.js";
import { podCtx } from "./testdata/schemas.js";

describe("patch bodies", () => {
  it("maps Content-Type to patch type, ignoring parameters and case", () => {
    expect(patchTypeFromContentType("application/strategic-merge-patch+json; charset=utf-8")).toBe("strategic");
    expect(patchTypeFromContentType("Application/Merge-Patch+JSON")).toBe("merge");
    expect(patchTypeFromContentType("application/json-patch+json")).toBe("json");
    expect(patchTypeFromContentType("application/apply-patch+yaml")).toBe("apply");
    expect(patchTypeFromContentType("application/json")).toBeUndefined();
    expect(patchTypeFromContentType(undefined)).toBeUndefined();
  });

  it("decodes JSON and YAML, and answers undecodable bodies with 400", () => {
    expect(decodePatchBody("strategic", '{"a":1}')).toEqual({ a: 1 });
    expect(decodePatchBody("apply", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n")).toEqual({ apiVersion: "v1", kind: "Pod", metadata: { name: "x" } });
    expect(decodePatchBody("apply", '{"apiVersion":"v1"}')).toEqual({ apiVersion: "v1" });
    for (const [type, body] of [["merge", "{"], ["json", "[{"], ["apply", "a: [1"], ["apply", "a: 1\n---\nb: 2\n"]] as const) {
      const e = (() => {
        try {
          decodePatchBody(type, body);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(StatusError);
      expect((e as StatusError).code).toBe(400);
    }
  });

  it("refuses a YAML alias bomb instead of expanding it", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    expect(() => decodePatchBody("apply", lines.join("\n"))).toThrow(StatusError);
  });

  it("applyPatch dispatches on the patch type", () => {
    const live = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", finalizers: ["a"] }, spec: { containers: [] } };
    // Upstream puts patch items ahead of server-only ones unless the live list orders both.
    expect(applyPatch("strategic", live, { metadata: { finalizers: ["b"] } }, podCtx).metadata).toEqual({ name: "p", finalizers: ["b", "a"] });
    expect(applyPatch("merge", live, { metadata: { finalizers: ["b"] } }, podCtx).metadata).toEqual({ name: "p", finalizers: ["b"] });
    expect(applyPatch("json", live, [{ op: "add", path: "/metadata/finalizers/-", value: "c" }], podCtx).metadata).toEqual({ name: "p", finalizers: ["a", "c"] });
  });
});
