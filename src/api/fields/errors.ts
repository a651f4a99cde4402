/**
 * Constructors for field errors with upstream's shapes (k8s.io/apimachinery field.Error), and
 * their rendering into the text upstream prints: `<field>: <Type string>[: <value>][: <detail>]`.
 *
 * Values render as Go's fmt would: strings quoted (%q), numbers and booleans bare (%v), nil as
 * "null". Structs and slices print with %#v upstream; callers that need that exact text pass a
 * GoValue holding it, everything else falls back to a JSON rendering.
 */
import type { FieldError, FieldErrorType } from "../types.js";

/** A value printed verbatim (what Go's %#v would print for a struct, slice or map). */
export class GoValue {
  constructor(readonly text: string) {}
}

/** Marks a value that upstream deliberately omits from the message (TooMany without a count). */
export const OMIT_VALUE = Symbol("omit-value");

/**
 * Upstream also has FieldValueNotFound (used for volumeMounts naming a missing volume), which
 * the shared FieldErrorType union does not list; we emit upstream's reason anyway.
 */
const NOT_FOUND = "FieldValueNotFound" as unknown as FieldErrorType;

export function required(field: string, detail = ""): FieldError {
  return { type: "FieldValueRequired", field, detail };
}

export function invalid(field: string, value: unknown, detail = ""): FieldError {
  return { type: "FieldValueInvalid", field, value, detail };
}

export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? "supported values: " + supported.map(goQuote).join(", ") : "";
  return { type: "FieldValueNotSupported", field, value, detail, supported: [...supported] };
}

export function forbidden(field: string, detail: string): FieldError {
  return { type: "FieldValueForbidden", field, detail };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { type: "FieldValueDuplicate", field, value };
}

export function notFound(field: string, value: unknown): FieldError {
  return { type: NOT_FOUND, field, value };
}

/** Upstream (1.32) TooLong: the value is never printed. */
export function tooLong(field: string, value: unknown, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? "byte" : "bytes"}` : "value is too long";
  return { type: "FieldValueTooLong", field, value, detail };
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} ${max === 1 ? "item" : "items"}` : "has too many items";
  return { type: "FieldValueTooMany", field, value: actual >= 0 ? actual : OMIT_VALUE, detail };
}

const TYPE_TEXT: Record<string, string> = {
  FieldValueNotFound: "Not found",
  FieldValueRequired: "Required value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
  InternalError: "Internal error",
  FieldValueTypeInvalid: "Invalid value",
};

/** Go's %q for a string (close enough: control characters as \x.., everything printable kept). */
export function goQuote(s: string): string {
  return JSON.stringify(s)
    .replace(/\\u00([0-7][0-9a-f])/g, "\\x$1")
    .replace(/\u007f/g, "\\x7f");
}

/** Go's %v for a float64/int: integers plain, large/small floats in exponent form. */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return String(n);
}

/** How upstream prints a bad value inside a message. */
export function renderValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (value instanceof GoValue) return value.text;
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number") return goNumber(value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return `[]string{${value.map(goQuote).join(", ")}}`;
  }
  return JSON.stringify(value);
}

/** Upstream's ErrorBody(): the message without the field name (used as a Status cause message). */
export function errorBody(err: FieldError): string {
  const typeText = TYPE_TEXT[err.type] ?? err.type;
  let s: string;
  switch (err.type) {
    case "FieldValueRequired":
    case "FieldValueForbidden":
    case "FieldValueTooLong":
      s = typeText;
      break;
    default:
      s = err.value === OMIT_VALUE || (err.type as string) === "InternalError" ? typeText : `${typeText}: ${renderValue(err.value)}`;
  }
  if (err.detail) s += `: ${err.detail}`;
  return s;
}

/** Upstream's Error(): `<field>: <body>`. */
export function errorString(err: FieldError): string {
  return `${err.field}: ${errorBody(err)}`;
}

/** Prefix every error's field path (for validating a nested object with its own paths). */
export function prefixErrors(prefix: string, errs: FieldError[]): FieldError[] {
  return errs.map((e) => ({ ...e, field: e.field ? `${prefix}.${e.field}` : prefix }));
}
