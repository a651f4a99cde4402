/**
 * The StatusErrors this component throws, with upstream's codes and wording. The API server
 * sends them as they are: nothing here needs mapping at the edge.
 *
 * Upstream mapping (k8s.io/apiserver endpoints/handlers/patch.go):
 * - undecodable bodies and malformed directives: 400 BadRequest with the decoder's message;
 * - JSON patch over 10000 operations: 413 RequestEntityTooLarge;
 * - a JSON patch that fails while applying (failed `test`, missing path): 422 Invalid with the
 *   generic "the server rejected our request due to an error in our request" (upstream drops
 *   the detail; we keep it in details.causes so clients can see which operation failed);
 * - strategic lists of lists / retainKeys mismatch: 422 Invalid, same generic message;
 * - a patched object that no longer decodes (wrong types): 422 Invalid on field "patch".
 */
import { StatusError, type StatusCause } from "../../api/status.js";

/** Upstream's message for a 422 built by NewGenericServerResponse. */
export const GENERIC_UNPROCESSABLE = "the server rejected our request due to an error in our request";

export function badRequest(message: string): StatusError {
  return new StatusError(400, "BadRequest", message);
}

/** 422 with upstream's generic text; the specific reason travels in a cause. */
export function unprocessable(detail: string, field?: string): StatusError {
  const cause: StatusCause = { reason: "FieldValueInvalid", message: detail };
  if (field !== undefined) cause.field = field;
  return new StatusError(422, "Invalid", GENERIC_UNPROCESSABLE, { causes: [cause] });
}

/**
 * 422 for a patch whose result does not fit the schema, shaped like upstream's
 * NewInvalid(GroupKind{}, "", field.Invalid(field.NewPath("patch"), patch, err)).
 */
export function invalidPatch(patchText: string, detail: string): StatusError {
  const message = `patch: Invalid value: ${JSON.stringify(patchText)}: ${detail}`;
  return new StatusError(422, "Invalid", ` "" is invalid: ${message}`, {
    causes: [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(patchText)}: ${detail}`, field: "patch" }],
  });
}

export function tooLarge(message: string): StatusError {
  return new StatusError(413, "RequestEntityTooLarge", message);
}

/** Deepest nesting accepted in a patch body; every walker here recurses, so this bounds the stack. */
export const MAX_PATCH_DEPTH = 1000;

/** Iterative depth check (the check itself must not recurse on hostile input). */
export function assertMaxDepth(value: unknown, max = MAX_PATCH_DEPTH): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > max) throw badRequest(`error decoding patch: nesting exceeds the maximum depth of ${max}`);
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (typeof c === "object" && c !== null) stack.push([c, depth + 1]);
  }
}
