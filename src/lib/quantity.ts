/**
 * Kubernetes resource quantities ("5Gi", "100M", "1.5Gi", "500m", "1e3", "800E") with exact
 * arithmetic. A quantity is held as a sign-carrying BigInt `unscaled` and a decimal `scale`, so
 * its value is unscaled × 10^-scale; nothing is ever a float.
 *
 * Parsing follows apimachinery's ParseQuantity step by step: the same scanner, the same suffix
 * table, values rounded up (away from zero) to 10^-9, BinarySI values capped at 2^63-1, and the
 * same rule for when the original text is kept verbatim as the canonical string. toString() is
 * upstream's String(), with one deliberate difference: upstream 1.32 drops the suffix of DecimalSI
 * values whose canonical exponent exceeds 18 ("1000E" prints "1"); we print "1e21", as the later
 * upstream fix (kubernetes#140459) does, so that values round-trip.
 */

export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

const SPLIT_RE_STRING = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/** The three upstream parse errors, with upstream's messages. */
export const QUANTITY_FORMAT_ERROR = `quantities must match the regular expression '${SPLIT_RE_STRING}'`;
export const QUANTITY_NUMERIC_ERROR = "unable to parse numeric part of quantity";
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuantityError";
  }
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

/** Exponents beyond this would make BigInt powers absurdly large; upstream has no such limit. */
const MAX_EXPONENT = 10_000;
const NANO_SCALE = 9;
const MAX_INT64 = (1n << 63n) - 1n;
const SUFFIX_CHARS = "eEinumkKMGTP";

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

interface Scanned {
  positive: boolean;
  /** The signed numeric text without suffix (what upstream feeds to inf.Dec). */
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** Upstream's parseQuantityString, including its quirks ("+" and "." scan as zero). */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === "-") {
    positive = false;
    pos++;
  } else if (str[0] === "+") {
    pos++;
  }
  while (pos < end && str[pos] === "0") pos++;
  if (pos >= end) return { positive, value: "0", num: "0", denom: "", suffix: "" };

  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num: num || "0", denom: "", suffix: "" };
  pos = i;
  if (num.length === 0) num = "0";

  let denom = "";
  if (str[pos] === ".") {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: "" };
    pos = i;
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  i = pos;
  while (i < end && SUFFIX_CHARS.includes(str[i])) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === "-" || str[pos] === "+") pos++;
  i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  throw new QuantityError(QUANTITY_FORMAT_ERROR);
}

interface Interpreted {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): Interpreted {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: "DecimalSI" };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: "BinarySI" };
  if (suffix.length > 1 && (suffix[0] === "e" || suffix[0] === "E")) {
    const rest = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) throw new QuantityError(QUANTITY_SUFFIX_ERROR);
    const exponent = Number(rest);
    if (Math.abs(exponent) > MAX_EXPONENT) throw new QuantityError(`${QUANTITY_SUFFIX_ERROR}: exponent out of range`);
    return { base: 10, exponent, format: "DecimalExponent" };
  }
  throw new QuantityError(QUANTITY_SUFFIX_ERROR);
}

/** Divide a decimal (unscaled, scale) to `target` scale, rounding away from zero. */
function roundAwayFromZero(unscaled: bigint, scale: number, target: number): { unscaled: bigint; scale: number } {
  if (scale <= target) return { unscaled: unscaled * pow10(target - scale), scale: target };
  const div = pow10(scale - target);
  let q = unscaled / div;
  if (q * div !== unscaled) q += unscaled < 0n ? -1n : 1n;
  return { unscaled: q, scale: target };
}

function removeFactors(value: bigint, factor: bigint): { value: bigint; times: number } {
  let times = 0;
  if (value === 0n) return { value, times };
  while (value % factor === 0n) {
    value /= factor;
    times++;
  }
  return { value, times };
}

export class Quantity {
  private constructor(
    /** The value is unscaled × 10^-scale. */
    readonly unscaled: bigint,
    readonly scale: number,
    readonly format: QuantityFormat,
    /** Upstream keeps the input text when it is already canonical; we do the same. */
    private readonly text?: string,
  ) {}

  /**
   * Parse as upstream's ParseQuantity. Accepts a JSON number too (as upstream's UnmarshalJSON
   * does). Throws QuantityError with upstream's message on bad input.
   */
  static parse(input: string | number): Quantity {
    const str = typeof input === "number" ? String(input) : input;
    if (str.length === 0) throw new QuantityError(QUANTITY_FORMAT_ERROR);
    if (str === "0") return new Quantity(0n, 0, "DecimalSI", "0");
    const s = scan(str);
    const { base, exponent, format } = interpretSuffix(s.suffix);
    const sign = s.positive ? 1n : -1n;
    const digits = BigInt(s.num + s.denom);

    // Upstream's int64 fast path; it decides whether the input text is kept as canonical.
    const fast = Quantity.fastPath(s, base, exponent, format, str);
    if (fast) return fast;

    // Slow path: exact decimal, rounded up to nano, BinarySI capped at 2^63-1.
    let unscaled = digits * sign;
    let scale = s.denom.length;
    if (base === 10) scale -= exponent;
    else unscaled *= 1n << BigInt(exponent);
    if (unscaled !== 0n && scale > NANO_SCALE) ({ unscaled, scale } = roundAwayFromZero(unscaled, scale, NANO_SCALE));
    let fmt = format;
    if (fmt === "BinarySI") {
      const magnitude = unscaled < 0n ? -unscaled : unscaled;
      const capped = scale >= 0 ? magnitude > MAX_INT64 * pow10(scale) : magnitude * pow10(-scale) > MAX_INT64;
      if (capped) {
        unscaled = MAX_INT64 * sign;
        scale = 0;
      } else if (unscaled !== 0n && (scale >= 0 ? magnitude < pow10(scale) : false)) {
        fmt = "DecimalSI";
      }
    }
    return new Quantity(unscaled, scale, fmt);
  }

  private static fastPath(s: Scanned, base: 2 | 10, exponent: number, format: QuantityFormat, str: string): Quantity | undefined {
    let precision: number;
    let scale = 0;
    let mantissa = 1n;
    if (base === 10) {
      scale = exponent;
      precision = 18 - (s.num.length + s.denom.length);
    } else if (exponent >= 0 && s.denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - s.num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
    if (precision < 0) return undefined;
    scale -= s.denom.length;
    if (scale < -NANO_SCALE) return undefined;
    const shifted = s.num + s.denom;
    const value = BigInt(shifted);
    if (value > MAX_INT64) throw new QuantityError(QUANTITY_NUMERIC_ERROR);
    const product = value * mantissa;
    if (product > MAX_INT64) return undefined;
    const signed = s.positive ? product : -product;
    // Upstream's int64Amount has value × 10^scale; we store unscaled × 10^-scale.
    const keep =
      format === "BinarySI" ? exponent % 10 === 0 && (value & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0";
    return new Quantity(signed, -scale, format, keep ? str : undefined);
  }

  /** Parse, returning undefined instead of throwing. */
  static tryParse(input: unknown): Quantity | undefined {
    if (typeof input !== "string" && typeof input !== "number") return undefined;
    try {
      return Quantity.parse(input);
    } catch {
      return undefined;
    }
  }

  /** An integer amount (e.g. bytes) in the given format. */
  static fromInteger(value: bigint, format: QuantityFormat = "BinarySI"): Quantity {
    return new Quantity(value, 0, format);
  }

  sign(): -1 | 0 | 1 {
    return this.unscaled === 0n ? 0 : this.unscaled < 0n ? -1 : 1;
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  /** Exact comparison: -1, 0 or 1 (as upstream's Cmp). */
  cmp(other: Quantity): -1 | 0 | 1 {
    const s = Math.max(this.scale, other.scale);
    const a = this.unscaled * pow10(s - this.scale);
    const b = other.unscaled * pow10(s - other.scale);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  add(other: Quantity): Quantity {
    const s = Math.max(this.scale, other.scale);
    const sum = this.unscaled * pow10(s - this.scale) + other.unscaled * pow10(s - other.scale);
    return new Quantity(sum, s, this.format);
  }

  /**
   * The value as an integer, rounded away from zero (upstream's Value(), without its int64
   * overflow: 800E is 800000000000000000000n here).
   */
  toBytesCeil(): bigint {
    return roundAwayFromZero(this.unscaled, this.scale, 0).unscaled;
  }

  /** The canonical string, as upstream's String(). */
  toString(): string {
    if (this.text !== undefined) return this.text;
    if (this.unscaled === 0n) return "0";
    let format = this.format;
    if (format === "BinarySI") {
      const lower = this.cmp(Quantity.fromInteger(-1024n)) > 0 && this.cmp(Quantity.fromInteger(1024n)) < 0;
      const integral = roundAwayFromZero(this.unscaled, this.scale, 0).unscaled;
      if (lower || this.cmp(Quantity.fromInteger(integral)) !== 0) {
        format = "DecimalSI";
      } else {
        const { value, times } = removeFactors(integral, 1024n);
        return value.toString() + (BINARY_BY_EXPONENT.get(times * 10) ?? "");
      }
    }
    const { value, times } = removeFactors(this.unscaled, 10n);
    let mantissa = value;
    let exponent = times - this.scale;
    while (exponent % 3 !== 0) {
      mantissa *= 10n;
      exponent--;
    }
    if (format === "DecimalSI") {
      const suffix = DECIMAL_BY_EXPONENT.get(exponent);
      if (suffix !== undefined) return mantissa.toString() + suffix;
    }
    return exponent === 0 ? mantissa.toString() : `${mantissa}e${exponent}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Parse as Quantity.parse (throws QuantityError). */
export function parseQuantity(input: string | number): Quantity {
  return Quantity.parse(input);
}

/** -1, 0, 1 comparing two quantity strings exactly; throws on unparsable input. */
export function compareQuantities(a: string | number, b: string | number): -1 | 0 | 1 {
  return Quantity.parse(a).cmp(Quantity.parse(b));
}

/** Integer value rounded away from zero, as upstream's Quantity.Value() but without overflow. */
export function quantityToBytesCeil(input: string | number): bigint {
  return Quantity.parse(input).toBytesCeil();
}

/** The canonical form of a quantity string (what upstream stores and returns). */
export function canonicalQuantity(input: string | number): string {
  return Quantity.parse(input).toString();
}
