/**
 * validateObjectMeta(obj, traits, old?): the metadata checks the API server runs before the
 * kind's own validation — create rules always, update rules when `old` is given.
 */
import type { FieldError, KubeObject, ResourceTraits } from "../types.js";
import type { KindDefinition } from "../kinds/kind.js";
import { nameIsPathSegment } from "./names.js";
import { validateMetaCreate, validateMetaUpdate } from "./object-meta.js";

export function validateObjectMeta(obj: KubeObject, traits: ResourceTraits, old?: KubeObject): FieldError[] {
  const validateName = (traits as Partial<KindDefinition>).validateName ?? nameIsPathSegment;
  const errs = validateMetaCreate(obj.metadata, { namespaced: traits.namespaced, validateName });
  if (old) errs.push(...validateMetaUpdate(obj.metadata, old.metadata));
  return errs;
}
