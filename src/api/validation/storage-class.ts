/**
 * StorageClass validation (pkg/apis/storage/validation): provisioner a qualified name, at most
 * 512 parameters totalling 256 KiB, reclaimPolicy Delete or Retain (never Recycle),
 * volumeBindingMode required after defaulting; parameters, provisioner, reclaimPolicy and
 * volumeBindingMode immutable.
 */
import type { FieldError } from "../types.js";
import { forbidden, invalid, notSupported, required, tooLong } from "../fields/errors.js";
import { jsonEqual } from "../fields/diff.js";
import type { StorageClass } from "../kinds/storage-class.js";
import { immutableField, qualifiedName } from "./common.js";
import { validateAllowedTopologies } from "./selectors.js";

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;
const RECLAIM_POLICIES = ["Delete", "Retain"];
const BINDING_MODES = ["Immediate", "WaitForFirstConsumer"];

function validateParameters(params: Record<string, string> | undefined): FieldError[] {
  const entries = Object.entries(params ?? {});
  if (entries.length > MAX_PARAMETERS) return [tooLong("parameters", "Provisioner Parameters exceeded max allowed", MAX_PARAMETERS)];
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of entries) {
    if (k.length < 1) errs.push(invalid("parameters", k, "field can not be empty."));
    total += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (total > MAX_PARAMETERS_SIZE) errs.push(tooLong("parameters", "", MAX_PARAMETERS_SIZE));
  return errs;
}

export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = sc.provisioner ?? "";
  if (!provisioner) errs.push(required("provisioner"));
  else errs.push(...qualifiedName(provisioner.toLowerCase(), "provisioner"));
  errs.push(...validateParameters(sc.parameters));
  if (sc.reclaimPolicy && !RECLAIM_POLICIES.includes(sc.reclaimPolicy)) errs.push(notSupported("reclaimPolicy", sc.reclaimPolicy, RECLAIM_POLICIES));
  if (sc.volumeBindingMode === undefined || sc.volumeBindingMode === null) errs.push(required("volumeBindingMode"));
  else if (!BINDING_MODES.includes(sc.volumeBindingMode)) errs.push(notSupported("volumeBindingMode", sc.volumeBindingMode, BINDING_MODES));
  errs.push(...validateAllowedTopologies(sc.allowedTopologies, "allowedTopologies"));
  return errs;
}

export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs = validateStorageClass(sc);
  if (!jsonEqual(sc.parameters ?? {}, old.parameters ?? {})) errs.push(forbidden("parameters", "updates to parameters are forbidden."));
  if ((sc.provisioner ?? "") !== (old.provisioner ?? "")) errs.push(forbidden("provisioner", "updates to provisioner are forbidden."));
  if ((sc.reclaimPolicy ?? "") !== (old.reclaimPolicy ?? "")) errs.push(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
  errs.push(...immutableField(sc.volumeBindingMode, old.volumeBindingMode, "volumeBindingMode"));
  return errs;
}
