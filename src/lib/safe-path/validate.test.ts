import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SafePathError } from "./errors.js";
import { validateName, validateRelativePath } from "./validate.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof SafePathError ? e.code : "other";
  }
}

describe("validateRelativePath", () => {
  it("splits plain descending paths", () => {
    expect(validateRelativePath("a")).toEqual(["a"]);
    expect(validateRelativePath("a/b c/.hidden")).toEqual(["a", "b c", ".hidden"]);
    expect(validateRelativePath("..a/b..")).toEqual(["..a", "b.."]);
    expect(validateRelativePath("")).toEqual([]);
  });

  it.each([
    ["/etc/passwd"],
    ["../x"],
    ["a/../../x"],
    ["a/.."],
    ["a//b"],
    ["a/"],
    ["./a"],
    ["a/./b"],
    ["a\0b"],
    ["x".repeat(256)],
    [("a/").repeat(2100) + "a"],
  ])("refuses %j", (p) => {
    expect(codeOf(() => validateRelativePath(p))).toBe("InvalidPath");
  });

  it("accepts a 255-byte name and refuses a 256-byte multibyte one", () => {
    expect(validateRelativePath("y".repeat(255))).toHaveLength(1);
    expect(codeOf(() => validateRelativePath("é".repeat(128)))).toBe("InvalidPath");
  });

  it("never returns a component that could climb or be absolute (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "..", ".", "", "/", "b/..", "\0", "c"), { maxLength: 8 }), (pieces) => {
        const p = pieces.join("/");
        let parts: string[];
        try {
          parts = validateRelativePath(p);
        } catch (e) {
          expect(e).toBeInstanceOf(SafePathError);
          return;
        }
        for (const part of parts) {
          expect(part).not.toBe("..");
          expect(part).not.toBe(".");
          expect(part).not.toBe("");
          expect(part.includes("/")).toBe(false);
          expect(part.includes("\0")).toBe(false);
        }
        expect(parts.join("/")).toBe(p);
      }),
      { numRuns: 2000 },
    );
  });

  it("validateName takes exactly one component", () => {
    expect(validateName("x")).toBe("x");
    expect(codeOf(() => validateName("a/b"))).toBe("InvalidPath");
    expect(codeOf(() => validateName(""))).toBe("InvalidPath");
  });
});
