import { describe, it, expect } from "vitest";
import { labelSelectorFromObject, LabelSelectorError, parseLabelSelector } from "./label-selector.js";

const labels = { app: "web", tier: "frontend", env: "prod", count: "5" };

describe("parseLabelSelector (string syntax)", () => {
  const cases: [string, boolean][] = [
    ["", true],
    ["app=web", true],
    ["app==web", true],
    ["app!=web", false],
    ["app!=db", true],
    ["missing!=x", true],
    ["app in (web, api)", true],
    ["app in (db,api)", false],
    ["app notin (db)", true],
    ["missing notin (db)", true],
    ["app", true],
    ["missing", false],
    ["!missing", true],
    ["!app", false],
    ["app=web,tier=frontend", true],
    ["app=web,tier=backend", false],
    ["count>4", true],
    ["count<4", false],
    ["missing>1", false],
    ["  app = web , env in (prod) ", true],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} ${want ? "matches" : "does not match"}`, () => {
      expect(parseLabelSelector(text).matches(labels)).toBe(want);
    });
  }

  it("an empty value selects the empty label value", () => {
    expect(parseLabelSelector("a=").matches({ a: "" })).toBe(true);
    expect(parseLabelSelector("a=").matches({ a: "x" })).toBe(false);
  });

  it("renders upstream's canonical string (sorted by key)", () => {
    expect(parseLabelSelector("tier in (b,a),app=web,!gone").toString()).toBe("app=web,!gone,tier in (a,b)");
  });

  const bad: [string, RegExp][] = [
    ["app=web,", /unable to parse requirement: found '', expected: identifier after ','/],
    ["app in web", /found 'web', expected: '\('/],
    ["app==web==x", /found '==', expected: ',' or 'end of string'/],
    ["a b", /unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt/],
    ["Bad Key!=x", /found 'Key', expected/],
    ["key=has space", /found 'space'/],
    ["-bad=x", /unable to parse requirement: key: Invalid value: "-bad": name part must consist of alphanumeric characters/],
    ["a=not_valid_", /values\[0\]\[a\]: Invalid value: "not_valid_": a valid label must be an empty string/],
    ["a>x", /for 'Gt', 'Lt' operators, the value must be an integer/],
  ];
  for (const [text, msg] of bad) {
    it(`rejects ${JSON.stringify(text)} with a clear error`, () => {
      expect(() => parseLabelSelector(text)).toThrowError(LabelSelectorError);
      expect(() => parseLabelSelector(text)).toThrowError(msg);
    });
  }
});

describe("labelSelectorFromObject (metav1.LabelSelector)", () => {
  it("null selects nothing, empty selects everything", () => {
    expect(labelSelectorFromObject(null).matches(labels)).toBe(false);
    expect(labelSelectorFromObject(undefined).matches({})).toBe(false);
    expect(labelSelectorFromObject({}).matches(labels)).toBe(true);
    expect(labelSelectorFromObject({}).isEmpty()).toBe(true);
  });
  it("ANDs matchLabels and matchExpressions", () => {
    const sel = labelSelectorFromObject({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["frontend", "edge"] },
        { key: "env", operator: "NotIn", values: ["dev"] },
        { key: "count", operator: "Exists" },
        { key: "legacy", operator: "DoesNotExist" },
      ],
    });
    expect(sel.matches(labels)).toBe(true);
    expect(sel.matches({ ...labels, legacy: "1" })).toBe(false);
    expect(sel.matches({ ...labels, tier: "backend" })).toBe(false);
  });
  it("rejects unknown operators and invalid values", () => {
    expect(() => labelSelectorFromObject({ matchExpressions: [{ key: "a", operator: "Equals", values: ["x"] }] })).toThrowError('"Equals" is not a valid label selector operator');
    expect(() => labelSelectorFromObject({ matchExpressions: [{ key: "a", operator: "In", values: [] }] })).toThrowError("values set can't be empty");
    expect(() => labelSelectorFromObject({ matchLabels: { a: "bad value" } })).toThrowError(/a valid label must be an empty string/);
  });
});
