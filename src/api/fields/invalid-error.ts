/**
 * The 422 Invalid Status, rendered exactly as upstream's errors.NewInvalid: message
 * `<Kind>[.<group>] "<name>" is invalid: <aggregate>` where the aggregate is the single error, or
 * `[e1, e2, …]` for several, duplicates (same text) dropped; one cause per field error.
 */
import { StatusError, type StatusCause } from "../status.js";
import type { FieldError } from "../types.js";
import { errorBody, errorString, goQuote } from "./errors.js";

export interface KindRef {
  group: string;
  kind: string;
}

/** Upstream's utilerrors aggregate text for a list of field errors (deduplicated by message). */
export function aggregateMessage(errors: FieldError[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const e of errors) {
    const msg = errorString(e);
    if (seen.has(msg)) continue;
    seen.add(msg);
    parts.push(msg);
  }
  if (parts.length === 1) return parts[0];
  return `[${parts.join(", ")}]`;
}

/** `StatusError(422, "Invalid")` for the kind named by `traits` (only group and kind are read). */
export function invalidError(traits: KindRef, name: string, errors: FieldError[]): StatusError {
  const qualifiedKind = traits.group ? `${traits.kind}.${traits.group}` : traits.kind;
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const message =
    errors.length === 0 ? `${qualifiedKind} ${goQuote(name)} is invalid` : `${qualifiedKind} ${goQuote(name)} is invalid: ${aggregateMessage(errors)}`;
  return new StatusError(422, "Invalid", message, {
    name,
    group: traits.group || undefined,
    kind: traits.kind,
    causes,
  });
}
