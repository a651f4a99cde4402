/**
 * Test helpers: run an object through the API server's write path (defaults, strategy,
 * metadata + kind validation) exactly as index.ts documents it, and render the 422 message.
 */
import type { FieldError, KubeObject, WriteContext } from "../types.js";
import { resourceForKind } from "../registry.js";
import type { KindDefinition } from "../kinds/kind.js";
import { validateObjectMeta } from "../validation/validate-meta.js";
import { prepareMetaForUpdate } from "../validation/object-meta.js";
import { invalidError } from "../fields/invalid-error.js";
import { errorString } from "../fields/errors.js";

export const NOW = new Date("2025-01-01T00:00:00Z");
export const ctx = (subresource = "", now = NOW): WriteContext => ({ now, subresource });

export function traitsOf(obj: KubeObject): KindDefinition {
  const t = resourceForKind(obj.apiVersion, obj.kind);
  if (!t) throw new Error(`no kind ${obj.apiVersion}/${obj.kind}`);
  return t;
}

/** Defaults + create strategy + create validation; returns the errors (object mutated in place). */
export function create(obj: KubeObject, now = NOW): FieldError[] {
  const t = traitsOf(obj);
  t.applyDefaults(obj);
  t.prepareForCreate?.(obj, ctx("", now));
  return [...validateObjectMeta(obj, t), ...t.validateCreate(obj)];
}

/** Defaults + update strategy + update validation against `old` (which must be stored-shaped). */
export function update(obj: KubeObject, old: KubeObject, subresource = "", now = NOW): FieldError[] {
  const t = traitsOf(obj);
  obj.metadata.resourceVersion ??= old.metadata.resourceVersion ?? "1";
  t.applyDefaults(obj);
  prepareMetaForUpdate(obj.metadata, old.metadata);
  t.prepareForUpdate?.(obj, old, ctx(subresource, now));
  return [...validateObjectMeta(obj, t, old), ...t.validateUpdate(obj, old, ctx(subresource, now))];
}

/** Create and return the stored object, failing the test on any validation error. */
export function stored<T extends KubeObject>(obj: T, now = NOW): T {
  const errs = create(obj, now);
  if (errs.length > 0) throw new Error(`unexpected errors: ${errs.map(errorString).join("; ")}`);
  obj.metadata.resourceVersion = "1";
  obj.metadata.uid ??= "uid-1";
  obj.metadata.creationTimestamp ??= now.toISOString().replace(".000Z", "Z");
  return obj;
}

export function messages(errs: FieldError[]): string[] {
  return errs.map(errorString);
}

export function invalidMessage(obj: KubeObject, errs: FieldError[]): string {
  return invalidError(traitsOf(obj), obj.metadata.name ?? "", errs).message;
}
