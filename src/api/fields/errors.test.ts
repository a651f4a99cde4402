import { describe, it, expect } from "vitest";
import { duplicate, errorBody, errorString, forbidden, GoValue, invalid, notFound, notSupported, required, tooLong, tooMany } from "./errors.js";
import { aggregateMessage, invalidError } from "./invalid-error.js";

describe("field error rendering (upstream ErrorBody)", () => {
  it("renders each type as upstream", () => {
    expect(errorString(required("spec.x"))).toBe("spec.x: Required value");
    expect(errorString(required("spec.x", "why"))).toBe("spec.x: Required value: why");
    expect(errorString(invalid("spec.x", "v", "bad"))).toBe('spec.x: Invalid value: "v": bad');
    expect(errorString(invalid("spec.n", 3, "bad"))).toBe("spec.n: Invalid value: 3: bad");
    expect(errorString(invalid("spec.b", false, "bad"))).toBe("spec.b: Invalid value: false: bad");
    expect(errorString(invalid("spec.p", null, "bad"))).toBe("spec.p: Invalid value: null: bad");
    expect(errorString(invalid("spec.s", new GoValue("core.X{}"), "bad"))).toBe("spec.s: Invalid value: core.X{}: bad");
    expect(errorString(notSupported("spec.m", "x", ["a", "b"]))).toBe('spec.m: Unsupported value: "x": supported values: "a", "b"');
    expect(errorString(forbidden("spec", "no"))).toBe("spec: Forbidden: no");
    expect(errorString(duplicate("spec.n", "a"))).toBe('spec.n: Duplicate value: "a"');
    expect(errorString(notFound("spec.v", "a"))).toBe('spec.v: Not found: "a"');
    expect(errorString(tooLong("spec.t", "whatever", 63))).toBe("spec.t: Too long: may not be more than 63 bytes");
    expect(errorString(tooMany("spec.l", 600, 512))).toBe("spec.l: Too many: 600: must have at most 512 items");
    expect(errorBody(tooMany("spec.l", -1, 1))).toBe("Too many: must have at most 1 item");
  });
  it("quotes strings like Go's %q", () => {
    expect(errorBody(invalid("f", 'a"b\n\u0001', ""))).toBe('Invalid value: "a\\"b\\n\\x01"');
  });
});

describe("invalidError", () => {
  it("dedups identical messages in the aggregate but keeps every cause", () => {
    const errs = [required("spec.a"), required("spec.a"), required("spec.b")];
    expect(aggregateMessage(errs)).toBe("[spec.a: Required value, spec.b: Required value]");
    const e = invalidError({ group: "storage.k8s.io", kind: "StorageClass" }, "sc", errs);
    expect(e.message).toBe('StorageClass.storage.k8s.io "sc" is invalid: [spec.a: Required value, spec.b: Required value]');
    expect(e.details).toEqual({
      name: "sc",
      group: "storage.k8s.io",
      kind: "StorageClass",
      causes: [
        { reason: "FieldValueRequired", message: "Required value", field: "spec.a" },
        { reason: "FieldValueRequired", message: "Required value", field: "spec.a" },
        { reason: "FieldValueRequired", message: "Required value", field: "spec.b" },
      ],
    });
  });
  it("with no errors says only 'is invalid'", () => {
    expect(invalidError({ group: "", kind: "Pod" }, "p", []).message).toBe('Pod "p" is invalid');
  });
});
