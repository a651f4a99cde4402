/**
 * Patch and server-side apply for the API server: pure functions from (stored object, request)
 * to the object to store. Nothing here touches storage, admission or validation.
 *
 * - strategicMergePatch / jsonMergePatch / jsonPatch: the three PATCH content types. Strategic
 *   merge is driven by the kind's OpenAPI schema (merge keys, patch strategies, directives).
 * - serverSideApply: application/apply-patch+yaml, with field ownership in
 *   metadata.managedFields, conflicts (409) and create-if-absent.
 * - updateManagedFields: ownership bookkeeping for every other write.
 *
 * Invariants: inputs are never modified and results share nothing with them; every rejection
 * is a StatusError with upstream's code and wording (400 malformed, 409 apply conflict, 413
 * too many JSON patch operations, 422 a patch that cannot apply or does not fit the schema);
 * managedFields never contain apiVersion, kind, server-owned metadata (name, namespace, uid,
 * resourceVersion, generation, creationTimestamp, managedFields) or the reset half of the
 * object (status for the main resource, spec for /status).
 */
import type { JsonObject } from "./json.js";
import { jsonMergePatch } from "./json-merge-patch.js";
import { jsonPatch } from "./json-patch.js";
import type { SchemaContext } from "./schema.js";
import { strategicMergePatch } from "./strategic/strategic-merge-patch.js";

export type { JsonObject } from "./json.js";
export type { SchemaContext } from "./schema.js";
export { strategicMergePatch } from "./strategic/strategic-merge-patch.js";
export { jsonMergePatch } from "./json-merge-patch.js";
export { jsonPatch, DEFAULT_JSON_PATCH_LIMITS, type JsonPatchLimits } from "./json-patch.js";
export { serverSideApply, type ServerSideApplyInput } from "./apply/server-side-apply.js";
export { updateManagedFields, type UpdateManagedFieldsInput } from "./apply/update-managed-fields.js";
export type { ManagedResult } from "./apply/object-managed-fields.js";
export { LAST_APPLIED_ANNOTATION } from "./apply/last-applied.js";
export { decodePatchBody, patchTypeFromContentType, PATCH_CONTENT_TYPES, type PatchType } from "./decode.js";
export { GENERIC_UNPROCESSABLE, MAX_PATCH_DEPTH } from "./errors.js";

/** Apply a decoded JSON, merge or strategic patch to the stored object. */
export function applyPatch(type: "json" | "merge" | "strategic", original: JsonObject, patch: unknown, ctx: SchemaContext): JsonObject {
  switch (type) {
    case "json":
      return jsonPatch(original, patch);
    case "merge":
      return jsonMergePatch(original, patch);
    case "strategic":
      return strategicMergePatch(original, patch, ctx);
  }
}
