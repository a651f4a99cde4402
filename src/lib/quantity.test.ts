import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  Quantity,
  QuantityError,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_SUFFIX_ERROR,
  canonicalQuantity,
  compareQuantities,
  quantityToBytesCeil,
} from "./quantity.js";

describe("Quantity.parse canonical strings (upstream String())", () => {
  const cases: [string, string][] = [
    ["0", "0"],
    ["1", "1"],
    ["5Gi", "5Gi"],
    ["100Gi", "100Gi"],
    ["100M", "100M"],
    ["500m", "500m"],
    ["1e3", "1e3"],
    ["1.5Gi", "1536Mi"],
    ["1.5", "1500m"],
    ["1.5G", "1500M"],
    ["1024Mi", "1Gi"],
    ["8Gi", "8Gi"],
    ["1000M", "1G"],
    ["0.5Ki", "512"],
    ["0.0000000001", "1n"],
    ["1.1", "1100m"],
    ["1.5e3", "1500"],
    ["12e6", "12e6"],
    ["800E", "800E"],
    ["200E", "200E"],
    ["1000E", "1e21"],
    ["-5Gi", "-5Gi"],
    ["-1.5", "-1500m"],
    ["10Ki", "10Ki"],
    ["1Ki", "1Ki"],
    ["2048", "2048"],
    ["3000000", "3M"],
    ["8Ei", "9223372036854775807"],
  ];
  for (const [input, want] of cases) {
    it(`${input} -> ${want}`, () => {
      expect(Quantity.parse(input).toString()).toBe(want);
    });
  }

  it("keeps an already-canonical input verbatim, as upstream does", () => {
    expect(canonicalQuantity("+5M")).toBe("+5M");
    expect(canonicalQuantity("+1Gi")).toBe("+1Gi");
  });

  it("accepts JSON numbers", () => {
    expect(canonicalQuantity(5)).toBe("5");
    expect(canonicalQuantity(1.5)).toBe("1500m");
  });

  it("scans a lone sign, dot or suffix as zero (upstream quirk)", () => {
    expect(Quantity.parse("Gi").isZero()).toBe(true);
    expect(Quantity.parse("+").isZero()).toBe(true);
    expect(Quantity.parse(".").isZero()).toBe(true);
  });
});

describe("Quantity.parse errors", () => {
  const formatErrors = ["", "1.5.5", "abc", " 1", "1 ", "1e3x", "1Gb"];
  for (const bad of formatErrors) {
    it(`rejects ${JSON.stringify(bad)} with the regular-expression message`, () => {
      expect(() => Quantity.parse(bad)).toThrowError(QUANTITY_FORMAT_ERROR);
    });
  }
  const suffixErrors = ["5ki", "1e", "1Gi5", "--1", "5mi"];
  for (const bad of suffixErrors) {
    it(`rejects ${bad} as a bad suffix`, () => {
      expect(() => Quantity.parse(bad)).toThrowError(QUANTITY_SUFFIX_ERROR);
    });
  }
  it("throws QuantityError and the message names the upstream regex", () => {
    try {
      Quantity.parse("x");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(QuantityError);
      expect((e as Error).message).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }
  });
  it("tryParse returns undefined for non-strings and bad text", () => {
    expect(Quantity.tryParse({})).toBeUndefined();
    expect(Quantity.tryParse("5Zi")).toBeUndefined();
    expect(Quantity.tryParse("5Gi")?.toString()).toBe("5Gi");
  });
});

describe("Quantity comparison and bytes", () => {
  it("compares beyond int64 exactly (200E < 800E)", () => {
    expect(compareQuantities("200E", "800E")).toBe(-1);
    expect(compareQuantities("800E", "800E")).toBe(0);
    expect(compareQuantities("800E", "799999999999999999999")).toBe(1);
  });
  it("compares across formats", () => {
    expect(compareQuantities("1Gi", "1073741824")).toBe(0);
    expect(compareQuantities("1G", "1Gi")).toBe(-1);
    expect(compareQuantities("5Gi", "100Gi")).toBe(-1);
    expect(compareQuantities("1500m", "1.5")).toBe(0);
  });
  it("toBytesCeil rounds up and does not overflow", () => {
    expect(quantityToBytesCeil("800E")).toBe(800n * 10n ** 18n);
    expect(quantityToBytesCeil("200E")).toBe(200n * 10n ** 18n);
    expect(quantityToBytesCeil("1.5Gi")).toBe(1610612736n);
    expect(quantityToBytesCeil("500m")).toBe(1n);
    expect(quantityToBytesCeil("1001m")).toBe(2n);
    expect(quantityToBytesCeil("-500m")).toBe(-1n);
  });
  it("sign and zero", () => {
    expect(Quantity.parse("-1").sign()).toBe(-1);
    expect(Quantity.parse("0Gi").sign()).toBe(0);
    expect(Quantity.parse("0Gi").toString()).toBe("0");
  });
});

describe("Quantity properties", () => {
  it("canonical strings round-trip to the same value and string", () => {
    const suffixes = ["", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi"];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom(...suffixes), fc.integer({ min: 0, max: 3 }), (n, suffix, decimals) => {
        const text = decimals === 0 ? `${n}${suffix}` : `${(n / 10 ** decimals).toFixed(decimals)}${suffix}`;
        const q = Quantity.parse(text);
        const again = Quantity.parse(q.toString());
        expect(again.cmp(q)).toBe(0);
        expect(again.toString()).toBe(q.toString());
      }),
    );
  });
  it("cmp is antisymmetric", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), (a, b) => {
        const qa = Quantity.parse(a.toString());
        const qb = Quantity.parse(b.toString());
        expect(qa.cmp(qb)).toBe(-qb.cmp(qa) || 0);
        expect(qa.cmp(qb)).toBe(a === b ? 0 : a < b ? -1 : 1);
      }),
    );
  });
});
