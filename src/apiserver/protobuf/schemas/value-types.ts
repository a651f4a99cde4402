/**
 * apimachinery types that are messages on the wire but have their own JSON form: metav1.Time
 * (an RFC 3339 string with second precision, null when zero), resource.Quantity (its string),
 * intstr.IntOrString (a number or a string) and metav1.FieldsV1 (its raw JSON).
 */
import { field, message } from "../descriptor.js";
import { malformed } from "../errors.js";

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range RFC 3339 years can spell. */
const MIN_SECONDS = -62135596800;
const MAX_SECONDS = 253402300799;

/**
 * Upstream reads only `seconds` (its JSON never carried sub-second precision), treats an empty
 * message as the zero time, and the zero time is JSON null: we leave it out.
 */
export const Time = message(
  "Time",
  {
    1: field("seconds", "int64", { nullable: true }),
    2: field("nanos", "int32", { nullable: true }),
  },
  (f) => {
    if (f.seconds === undefined && f.nanos === undefined) return undefined;
    const seconds = (f.seconds as number | undefined) ?? 0;
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw malformed(`Time: seconds ${seconds} is outside years 0001-9999`);
    if (seconds === MIN_SECONDS) return undefined;
    return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  },
);

export const Quantity = message("Quantity", { 1: field("string", "string") }, (f) => (f.string as string | undefined) ?? "0");

const INT_OR_STRING_INT = 0;
const INT_OR_STRING_STRING = 1;

export const IntOrString = message(
  "IntOrString",
  {
    1: field("type", "int64"),
    2: field("intVal", "int32"),
    3: field("strVal", "string"),
  },
  (f) => {
    const type = (f.type as number | undefined) ?? INT_OR_STRING_INT;
    if (type === INT_OR_STRING_INT) return (f.intVal as number | undefined) ?? 0;
    if (type === INT_OR_STRING_STRING) return (f.strVal as string | undefined) ?? "";
    throw malformed(`IntOrString: impossible type ${type}`);
  },
);

export const FieldsV1 = message("FieldsV1", { 1: field("Raw", "json") }, (f) => f.Raw);
