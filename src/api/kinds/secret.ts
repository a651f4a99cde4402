/**
 * core/v1 Secret. Type defaults to Opaque and is immutable; stringData is folded into data
 * (base64) at decode time, as upstream's v1 conversion does; typed secrets need their keys.
 */
import type { FieldError, KubeObject } from "../types.js";
import { invalid, required, tooLong } from "../fields/errors.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { immutableDataErrors, base64Length, MAX_DATA_SIZE } from "./config-map.js";
import { isConfigMapKey, nameIsDNSSubdomain } from "../validation/names.js";
import { immutableField } from "../validation/common.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export interface Secret extends KubeObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
  immutable?: boolean;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decoded(secret: Secret, key: string): string | undefined {
  const v = secret.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, "base64").toString("utf8");
}

function jsonError(text: string): string | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? undefined : "json: cannot unmarshal into Go value of type map[string]interface {}";
  } catch (e) {
    return (e as Error).message;
  }
}

function validateSecret(secret: Secret): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    for (const m of isConfigMapKey(key)) errs.push(invalid(`data[${key}]`, key, m));
    if (typeof value !== "string" || !BASE64.test(value)) errs.push(invalid(`data[${key}]`, "<secret contents redacted>", "must be base64-encoded"));
    else total += base64Length(value);
  }
  if (total > MAX_DATA_SIZE) errs.push(tooLong("data", "", MAX_DATA_SIZE));
  const has = (k: string) => secret.data !== undefined && k in secret.data;
  switch (secret.type) {
    case "kubernetes.io/service-account-token":
      if (!secret.metadata.annotations?.["kubernetes.io/service-account.name"]) {
        errs.push(required("metadata.annotations[kubernetes.io/service-account.name]"));
      }
      break;
    case "kubernetes.io/dockercfg":
    case "kubernetes.io/dockerconfigjson": {
      const key = secret.type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
      if (!has(key)) {
        errs.push(required(`data[${key}]`));
        break;
      }
      const problem = jsonError(decoded(secret, key) ?? "");
      if (problem) errs.push(invalid(`data[${key}]`, "<secret contents redacted>", problem));
      break;
    }
    case "kubernetes.io/basic-auth":
      if (!has("username") && !has("password")) errs.push(required("data[username]"), required("data[password]"));
      break;
    case "kubernetes.io/ssh-auth":
      if (!decoded(secret, "ssh-privatekey")) errs.push(required("data[ssh-privatekey]"));
      break;
    case "kubernetes.io/tls":
      if (!has("tls.crt")) errs.push(required("data[tls.crt]"));
      if (!has("tls.key")) errs.push(required("data[tls.key]"));
      break;
  }
  return errs;
}

export const secrets: KindDefinition<Secret> = {
  group: "",
  version: "v1",
  kind: "Secret",
  listKind: "SecretList",
  plural: "secrets",
  singular: "secret",
  shortNames: [],
  namespaced: true,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.core.v1.Secret",
  validateName: nameIsDNSSubdomain,

  applyDefaults(secret) {
    if (!secret.type) secret.type = "Opaque";
    if (secret.stringData) {
      secret.data ??= {};
      for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = Buffer.from(String(v), "utf8").toString("base64");
      delete secret.stringData;
    }
  },

  validateCreate: (s) => validateSecret(s),
  validateUpdate: (s, old) => [...immutableField(s.type, old.type, "type"), ...immutableDataErrors(s, old, ["data"]), ...validateSecret(s)],

  tableColumns: [nameColumn(), column("Type", "The secret's type."), column("Data", "Number of data entries."), ageColumn()],
  tableRow: (s, now) => [s.metadata.name ?? "", s.type ?? "", Object.keys(s.data ?? {}).length, ageSince(s.metadata.creationTimestamp, now)],
  fieldSelectors: { type: (s) => s.type ?? "" },
};

export const secretKind = registerKind(secrets);
