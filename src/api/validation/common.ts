/**
 * Small validators shared by several kinds, each mirroring an upstream helper of the same name
 * (ValidateImmutableField, ValidateDNS1123Label, ValidatePositiveQuantityValue…).
 */
import type { FieldError } from "../types.js";
import { GoValue, invalid, required } from "../fields/errors.js";
import { jsonEqual } from "../fields/diff.js";
import { Quantity } from "../../lib/quantity.js";
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from "./names.js";

export function dns1123Label(value: string, field: string): FieldError[] {
  return isDNS1123Label(value).map((m) => invalid(field, value, m));
}

export function dns1123Subdomain(value: string, field: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => invalid(field, value, m));
}

export function qualifiedName(value: string, field: string): FieldError[] {
  return isQualifiedName(value).map((m) => invalid(field, value, m));
}

/** Upstream's ValidateImmutableField: Invalid(new value, "field is immutable"). */
export function immutableField(now: unknown, before: unknown, field: string): FieldError[] {
  return jsonEqual(now, before) ? [] : [invalid(field, now === undefined ? null : now, "field is immutable")];
}

export function nonNegative(value: number | undefined, field: string): FieldError[] {
  return typeof value === "number" && value < 0 ? [invalid(field, value, "must be greater than or equal to 0")] : [];
}

/**
 * A quantity field. Upstream rejects unparsable quantities while decoding (400); we report them
 * as Invalid with the parser's message, since we validate JSON rather than decoded structs.
 */
export function parseQuantityField(value: unknown, field: string, errs: FieldError[]): Quantity | undefined {
  if (typeof value !== "string" && typeof value !== "number") {
    errs.push(invalid(field, value === undefined ? null : value, "must be a quantity string"));
    return undefined;
  }
  try {
    return Quantity.parse(value);
  } catch (e) {
    errs.push(invalid(field, value, (e as Error).message));
    return undefined;
  }
}

/** ValidatePositiveQuantityValue: "must be greater than zero". */
export function positiveQuantity(q: Quantity, field: string): FieldError[] {
  return q.sign() <= 0 ? [invalid(field, q.toString(), "must be greater than zero")] : [];
}

/** ValidateNonnegativeQuantity: "must be greater than or equal to 0". */
export function nonNegativeQuantity(q: Quantity, field: string): FieldError[] {
  return q.sign() < 0 ? [invalid(field, q.toString(), "must be greater than or equal to 0")] : [];
}

/** validateBasicResource: Value() < 0 → "must be a valid resource quantity" (value as an integer). */
export function basicResource(q: Quantity, field: string): FieldError[] {
  const v = q.toBytesCeil();
  return v < 0n ? [invalid(field, new GoValue(v.toString()), "must be a valid resource quantity")] : [];
}

export function requiredString(value: unknown, field: string, detail = ""): FieldError[] {
  return typeof value === "string" && value.length > 0 ? [] : [required(field, detail)];
}

/** Go's %#v of a string slice, e.g. []core.PersistentVolumeAccessMode{"ReadWriteOnce"}. */
export function goStringSlice(typeName: string, values: readonly string[]): GoValue {
  return new GoValue(`[]${typeName}{${values.map((v) => JSON.stringify(v)).join(", ")}}`);
}

/** Go's %#v of a ResourceList map (approximate: quantities shown as their strings). */
export function goResourceList(list: Record<string, unknown> | undefined): GoValue {
  if (list === undefined || list === null) return new GoValue("core.ResourceList(nil)");
  const entries = Object.keys(list ?? {})
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(String((list ?? {})[k]))}`);
  return new GoValue(`core.ResourceList{${entries.join(", ")}}`);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Validate a path has no ".." element (validatePathNoBacksteps). */
export function pathNoBacksteps(path: string, field: string): FieldError[] {
  return path.split("/").includes("..") ? [invalid(field, path, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative and without "..". */
export function localDescendingPath(path: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (path.startsWith("/")) errs.push(invalid(field, path, "must be a relative path"));
  errs.push(...pathNoBacksteps(path, field));
  return errs;
}
