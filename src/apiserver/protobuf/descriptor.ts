/**
 * Descriptor tables: for each Kubernetes message, its field numbers (facts of upstream's wire
 * format) mapped to the JSON name and shape the object has in Kubernetes' JSON.
 *
 * Field flags mirror the Go struct tags, because Go's generated marshallers write every
 * non-pointer field (so "present on the wire" says nothing there) and only non-nil pointers:
 * - default: a zero value (""/0/false) is left out, like `omitempty`;
 * - `nullable`: a Go pointer; an explicit zero value on the wire is kept (`immutable: false`);
 * - `required`: a string whose JSON tag lacks `omitempty`; it reads "" when unset.
 */

/** Scalars as they appear in JSON. `bytes` becomes base64; `json` is raw JSON text parsed. */
export type ScalarType = "string" | "bool" | "int32" | "int64" | "bytes" | "json";

export type ValueType = ScalarType | MessageDescriptor | MapType;

export interface MapType {
  readonly map: ScalarType | MessageDescriptor;
}

export interface FieldDescriptor {
  readonly json: string;
  readonly type: ValueType;
  readonly repeated?: boolean;
  readonly nullable?: boolean;
  readonly required?: boolean;
}

export interface MessageDescriptor {
  readonly name: string;
  readonly fields: ReadonlyMap<number, FieldDescriptor>;
  /**
   * Types with their own JSON form (metav1.Time, resource.Quantity, intstr.IntOrString,
   * FieldsV1) turn their decoded fields into that form; `undefined` leaves the field out.
   */
  readonly toJson?: (fields: Record<string, unknown>) => unknown;
}

export function isMessage(t: ValueType): t is MessageDescriptor {
  return typeof t === "object" && "fields" in t;
}

export function isMap(t: ValueType): t is MapType {
  return typeof t === "object" && "map" in t;
}

type FieldOptions = Omit<FieldDescriptor, "json" | "type">;

export function field(json: string, type: ValueType, options: FieldOptions = {}): FieldDescriptor {
  return { json, type, ...options };
}

export function repeated(json: string, type: ScalarType | MessageDescriptor): FieldDescriptor {
  return { json, type, repeated: true };
}

export function mapOf(json: string, value: ScalarType | MessageDescriptor): FieldDescriptor {
  return { json, type: { map: value } };
}

export function message(
  name: string,
  fields: Record<number, FieldDescriptor>,
  toJson?: MessageDescriptor["toJson"],
): MessageDescriptor {
  const table = new Map(Object.entries(fields).map(([n, f]) => [Number(n), f] as const));
  return toJson ? { name, fields: table, toJson } : { name, fields: table };
}
