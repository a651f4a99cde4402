/**
 * Validation of the individual volume sources Cistern implements, shared by PersistentVolumes
 * and pod volumes (upstream's validateHostPathVolumeSource, validateNFSVolumeSource,
 * ValidateCSIDriverName…). Sources we do not implement are only counted, never inspected.
 */
import type { FieldError } from "../types.js";
import { forbidden, invalid, notSupported, required, tooLong } from "../fields/errors.js";
import { isDNS1123Subdomain } from "./names.js";
import { isObject, localDescendingPath, parseQuantityField, pathNoBacksteps } from "./common.js";

const HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

export function validateCSIDriverName(driver: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (driver.length === 0) errs.push(required(field));
  if (driver.length > 63) errs.push(tooLong(field, driver, 63));
  for (const m of isDNS1123Subdomain(driver.toLowerCase())) errs.push(invalid(field, driver, m));
  return errs;
}

export function validateHostPath(src: Record<string, unknown>, field: string): FieldError[] {
  const path = typeof src.path === "string" ? src.path : "";
  if (!path) return [required(`${field}.path`)];
  const errs = pathNoBacksteps(path, `${field}.path`);
  if (src.type !== undefined && src.type !== null && !HOST_PATH_TYPES.includes(String(src.type))) {
    errs.push(notSupported(`${field}.type`, src.type, HOST_PATH_TYPES));
  }
  return errs;
}

export function validateNFS(src: Record<string, unknown>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const path = typeof src.path === "string" ? src.path : "";
  if (!src.server) errs.push(required(`${field}.server`));
  if (!path) errs.push(required(`${field}.path`));
  if (!path.startsWith("/")) errs.push(invalid(`${field}.path`, path, "must be an absolute path"));
  return errs;
}

export function validateLocalSource(src: Record<string, unknown>, field: string): FieldError[] {
  const path = typeof src.path === "string" ? src.path : "";
  if (!path) return [required(`${field}.path`)];
  return pathNoBacksteps(path, `${field}.path`);
}

function validateMode(mode: unknown, field: string): FieldError[] {
  if (mode === undefined || mode === null) return [];
  const n = Number(mode);
  return Number.isInteger(n) && n >= 0 && n <= 0o777 ? [] : [invalid(field, mode, "must be a number between 0 and 0777 (octal), both inclusive")];
}

function validateKeyToPaths(items: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(items) ? items : []).forEach((item, i) => {
    const p = `${field}[${i}]`;
    const it = isObject(item) ? item : {};
    if (!it.key) errs.push(required(`${p}.key`));
    const path = typeof it.path === "string" ? it.path : "";
    if (!path) errs.push(required(`${p}.path`));
    else errs.push(...volumeFilePath(path, `${p}.path`));
    errs.push(...validateMode(it.mode, `${p}.mode`));
  });
  return errs;
}

/** validateVolumeSourcePath: relative, no "..", and no element starting with "..". */
function volumeFilePath(path: string, field: string): FieldError[] {
  const errs = localDescendingPath(path, field);
  if (path.split("/")[0].startsWith("..")) errs.push(invalid(field, path, "must not start with '..'"));
  return errs;
}

function validateDownwardAPIItems(items: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(items) ? items : []).forEach((item, i) => {
    const p = `${field}[${i}]`;
    const it = isObject(item) ? item : {};
    const path = typeof it.path === "string" ? it.path : "";
    if (!path) errs.push(required(`${p}.path`));
    else errs.push(...volumeFilePath(path, `${p}.path`));
    errs.push(...validateMode(it.mode, `${p}.mode`));
    if (it.fieldRef !== undefined && it.resourceFieldRef !== undefined) {
      errs.push(invalid(p, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
    } else if (it.fieldRef === undefined && it.resourceFieldRef === undefined) {
      errs.push(required(p, "one of fieldRef and resourceFieldRef is required"));
    }
  });
  return errs;
}

/**
 * One pod volume source (the object under volumes[i].<key>); `field` is `spec.volumes[i].<key>`.
 * `validateClaimSpec` validates an ephemeral volume's claim template spec.
 */
export function validatePodVolumeSource(key: string, source: unknown, field: string, validateClaimSpec: (spec: unknown, field: string) => FieldError[]): FieldError[] {
  const src = isObject(source) ? source : {};
  switch (key) {
    case "hostPath":
      return validateHostPath(src, field);
    case "nfs":
      return validateNFS(src, field);
    case "emptyDir": {
      if (src.sizeLimit === undefined || src.sizeLimit === null) return [];
      const errs: FieldError[] = [];
      const q = parseQuantityField(src.sizeLimit, `${field}.sizeLimit`, errs);
      if (q && q.sign() < 0) errs.push(forbidden(`${field}.sizeLimit`, "SizeLimit field must be a valid resource quantity"));
      return errs;
    }
    case "persistentVolumeClaim":
      return src.claimName ? [] : [required(`${field}.claimName`)];
    case "secret": {
      const errs: FieldError[] = [];
      if (!src.secretName) errs.push(required(`${field}.secretName`));
      errs.push(...validateMode(src.defaultMode, `${field}.defaultMode`));
      errs.push(...validateKeyToPaths(src.items, `${field}.items`));
      return errs;
    }
    case "configMap": {
      const errs: FieldError[] = [];
      if (!src.name) errs.push(required(`${field}.name`));
      errs.push(...validateMode(src.defaultMode, `${field}.defaultMode`));
      errs.push(...validateKeyToPaths(src.items, `${field}.items`));
      return errs;
    }
    case "downwardAPI":
      return [...validateMode(src.defaultMode, `${field}.defaultMode`), ...validateDownwardAPIItems(src.items, `${field}.items`)];
    case "projected":
      return validateProjected(src, field);
    case "csi":
      return validateCSIDriverName(typeof src.driver === "string" ? src.driver : "", `${field}.driver`);
    case "ephemeral":
      if (!isObject(src.volumeClaimTemplate)) return [required(`${field}.volumeClaimTemplate`)];
      return validateClaimSpec(src.volumeClaimTemplate.spec, `${field}.volumeClaimTemplate.spec`);
    default:
      return [];
  }
}

function validateProjected(src: Record<string, unknown>, field: string): FieldError[] {
  const errs = validateMode(src.defaultMode, `${field}.defaultMode`);
  (Array.isArray(src.sources) ? src.sources : []).forEach((s, i) => {
    const p = `${field}.sources[${i}]`;
    const proj = isObject(s) ? s : {};
    const kinds = ["secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle"].filter((k) => proj[k] !== undefined);
    if (kinds.length === 0) errs.push(required(p, "must specify exactly 1 of secret, configMap, downwardAPI, serviceAccountToken"));
    for (const extra of kinds.slice(1)) errs.push(forbidden(`${p}.${extra}`, "may not specify more than 1 volume type per source"));
    const k = kinds[0];
    const inner = isObject(proj[k]) ? (proj[k] as Record<string, unknown>) : {};
    if (k === "secret" || k === "configMap") {
      if (!inner.name) errs.push(required(`${p}.${k}.name`));
      errs.push(...validateKeyToPaths(inner.items, `${p}.${k}.items`));
    } else if (k === "downwardAPI") {
      errs.push(...validateDownwardAPIItems(inner.items, `${p}.downwardAPI.items`));
    } else if (k === "serviceAccountToken") {
      const path = typeof inner.path === "string" ? inner.path : "";
      if (!path) errs.push(required(`${p}.serviceAccountToken.path`));
      else errs.push(...volumeFilePath(path, `${p}.serviceAccountToken.path`));
      const exp = inner.expirationSeconds;
      if (typeof exp === "number" && exp < 600) errs.push(invalid(`${p}.serviceAccountToken.expirationSeconds`, exp, "may not specify a duration less than 10 minutes"));
      if (typeof exp === "number" && exp > 2 ** 32) errs.push(invalid(`${p}.serviceAccountToken.expirationSeconds`, exp, "may not specify a duration larger than 2^32 seconds"));
    }
  });
  return errs;
}
