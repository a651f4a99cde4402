/**
 * The registry's view of the api and patch packages: one place that binds the kinds' schemas
 * to the patch functions and adapts their shapes to the calls the write path makes.
 */
import type { KubeObject, ManagedFieldsEntry } from "../../api/types.js";
import { schemas } from "../../api/index.js";
import * as patch from "../patch/index.js";

export { validateObjectMeta, invalidError, unknownFields, decodeErrors, normalizeNulls, prepareMetaForUpdate, parseLabelSelector, parseFieldSelector } from "../../api/index.js";

export function strategicMergePatch(original: KubeObject, p: unknown, rootSchema: string): KubeObject {
  return patch.strategicMergePatch(original as never, p, { schemas, rootSchema }) as unknown as KubeObject;
}

export function jsonMergePatch(original: KubeObject, p: unknown): KubeObject {
  return patch.jsonMergePatch(original as never, p) as unknown as KubeObject;
}

export function applyJsonPatch(original: KubeObject, ops: unknown[]): KubeObject {
  return patch.jsonPatch(original as never, ops) as unknown as KubeObject;
}

export interface ApplyArgs {
  live: KubeObject | undefined;
  applied: unknown;
  manager: string;
  force: boolean;
  apiVersion: string;
  kind: string;
  now: Date;
  subresource: string;
  rootSchema: string;
}

export function serverSideApply(a: ApplyArgs): KubeObject {
  return patch.serverSideApply({ ...a, schemas }).object;
}

export interface ManagedArgs {
  old: KubeObject | undefined;
  updated: KubeObject;
  manager: string;
  apiVersion: string;
  now: Date;
  subresource: string;
  rootSchema: string;
}

export function updateManagedFields(a: ManagedArgs): ManagedFieldsEntry[] | undefined {
  const r = patch.updateManagedFields({ ...a, operation: "Update", schemas });
  return r.managedFields.length > 0 ? r.managedFields : undefined;
}
