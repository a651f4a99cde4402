/**
 * core/v1 ConfigMap. Keys follow the config-key syntax, a key may not appear in both data and
 * binaryData, the total is at most 1 MiB, and `immutable: true` freezes data and itself.
 */
import type { FieldError, KubeObject } from "../types.js";
import { forbidden, invalid, tooLong } from "../fields/errors.js";
import { jsonEqual } from "../fields/diff.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { isConfigMapKey, nameIsDNSSubdomain } from "../validation/names.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export const MAX_DATA_SIZE = 1024 * 1024;

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

/** Bytes of a base64 value once decoded. */
export function base64Length(v: string): number {
  return Buffer.from(v, "base64").length;
}

function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    for (const m of isConfigMapKey(key)) errs.push(invalid(`data[${key}]`, key, m));
    if (cm.binaryData && key in cm.binaryData) errs.push(invalid(`data[${key}]`, key, "duplicate of key present in binaryData"));
    total += Buffer.byteLength(String(value));
  }
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
    for (const m of isConfigMapKey(key)) errs.push(invalid(`binaryData[${key}]`, key, m));
    total += base64Length(String(value));
  }
  if (total > MAX_DATA_SIZE) errs.push(tooLong("", "", MAX_DATA_SIZE));
  return errs;
}

export function immutableDataErrors(obj: { immutable?: boolean; data?: unknown; binaryData?: unknown }, old: typeof obj, fields: ("data" | "binaryData")[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(forbidden("immutable", "field is immutable when `immutable` is set"));
  for (const f of fields) if (!jsonEqual(obj[f], old[f])) errs.push(forbidden(f, "field is immutable when `immutable` is set"));
  return errs;
}

export const configMaps: KindDefinition<ConfigMap> = {
  group: "",
  version: "v1",
  kind: "ConfigMap",
  listKind: "ConfigMapList",
  plural: "configmaps",
  singular: "configmap",
  shortNames: ["cm"],
  namespaced: true,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.core.v1.ConfigMap",
  validateName: nameIsDNSSubdomain,
  applyDefaults: () => undefined,
  validateCreate: (cm) => validateConfigMap(cm),
  validateUpdate: (cm, old) => [...immutableDataErrors(cm, old, ["data", "binaryData"]), ...validateConfigMap(cm)],
  tableColumns: [nameColumn(), column("Data", "Number of data and binaryData entries."), ageColumn()],
  tableRow: (cm, now) => [
    cm.metadata.name ?? "",
    Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
    ageSince(cm.metadata.creationTimestamp, now),
  ],
  fieldSelectors: {},
};

export const configMapKind = registerKind(configMaps);
