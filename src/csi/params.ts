/**
 * StorageClass parameters for dynamic provisioning (docs/parameters.md of the upstream driver),
 * parsed into a typed record. Every problem is InvalidArgument naming the parameter and the reason,
 * because the external provisioner shows the message to the user in a ProvisioningFailed event.
 * Unlike upstream, unknown parameters are refused too: a misspelt "gidRangestart" silently falling
 * back to defaults is how volumes end up with surprising owners.
 */
import { FS_ID, checkEfsComponents, pathComponents } from "./ids.js";
import { csiError } from "./spec.js";

export const PARAM = {
  provisioningMode: "provisioningMode",
  fileSystemId: "fileSystemId",
  directoryPerms: "directoryPerms",
  uid: "uid",
  gid: "gid",
  gidRangeStart: "gidRangeStart",
  gidRangeEnd: "gidRangeEnd",
  basePath: "basePath",
  subPathPattern: "subPathPattern",
  ensureUniqueDirectory: "ensureUniqueDirectory",
  reuseAccessPoint: "reuseAccessPoint",
  deleteAccessPointRootDir: "deleteAccessPointRootDir",
  enableTagging: "enableTagging",
  az: "az",
  pvName: "csi.storage.k8s.io/pv/name",
  pvcName: "csi.storage.k8s.io/pvc/name",
  pvcNamespace: "csi.storage.k8s.io/pvc/namespace",
} as const;

const KNOWN = new Set<string>(Object.values(PARAM));
const UNSUPPORTED: Record<string, string> = {
  fileSystemIdConfigRef: "is not supported by Cistern; set fileSystemId",
  fileSystemIdSecretRef: "is not supported by Cistern; set fileSystemId",
};

export const ACCESS_POINT_MODE = "efs-ap";
/** Upstream's code default: 50000 … 50000 + the access point limit per file system. */
export const DEFAULT_GID_RANGE = { min: 50_000, max: 60_000 } as const;
const MAX_ID = 4_294_967_294;

export interface ProvisionParams {
  fileSystemId: string;
  directoryPerms: string;
  uid?: number;
  gid?: number;
  gidRange: { min: number; max: number };
  basePath: string[];
  subPathPattern?: string;
  ensureUniqueDirectory: boolean;
  reuseAccessPoint: boolean;
  deleteAccessPointRootDir: boolean;
  enableTagging: boolean;
  pvName?: string;
  pvcName?: string;
  pvcNamespace?: string;
}

/** Go's strconv.ParseBool, which upstream uses: the spellings users already write. */
export function parseBool(v: string, param: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  throw csiError("InvalidArgument", `Invalid value for ${param} parameter: ${JSON.stringify(v)} is not a boolean`);
}

function parseId(v: string, param: string, min: number): number {
  if (!/^\d{1,10}$/.test(v)) throw csiError("InvalidArgument", `Failed to parse invalid ${param}: ${JSON.stringify(v)} is not a non-negative integer`);
  const n = Number(v);
  if (n < min) throw csiError("InvalidArgument", min === 0 ? `${param} must be greater or equal than 0` : `${param} must be greater than 0`);
  if (n > MAX_ID) throw csiError("InvalidArgument", `${param} must be at most ${MAX_ID}`);
  return n;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function optionalName(params: Record<string, string>, key: string, pattern: RegExp): string | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (!pattern.test(v)) throw csiError("InvalidArgument", `parameter ${key}: ${JSON.stringify(v)} is not a valid Kubernetes name`);
  return v;
}

function gidRange(params: Record<string, string>): { min: number; max: number } {
  const start = params[PARAM.gidRangeStart];
  const end = params[PARAM.gidRangeEnd];
  if (start === undefined && end === undefined) return { ...DEFAULT_GID_RANGE };
  if (start === undefined) throw csiError("InvalidArgument", `Missing ${PARAM.gidRangeStart} parameter (${PARAM.gidRangeEnd} needs it)`);
  if (end === undefined) throw csiError("InvalidArgument", `Missing ${PARAM.gidRangeEnd} parameter (${PARAM.gidRangeStart} needs it)`);
  const min = parseId(start, PARAM.gidRangeStart, 1);
  const max = parseId(end, PARAM.gidRangeEnd, 1);
  if (max <= min) throw csiError("InvalidArgument", `${PARAM.gidRangeEnd} must be greater than ${PARAM.gidRangeStart}`);
  return { min, max };
}

export function parseProvisionParams(params: Record<string, string> | undefined): ProvisionParams {
  const p = params ?? {};
  for (const [k, v] of Object.entries(p)) {
    if (k in UNSUPPORTED) throw csiError("InvalidArgument", `parameter ${k} ${UNSUPPORTED[k]}`);
    if (!KNOWN.has(k)) throw csiError("InvalidArgument", `parameter ${JSON.stringify(k)} is not a known StorageClass parameter of ${"efs.csi.aws.com"}`);
    if (typeof v !== "string") throw csiError("InvalidArgument", `parameter ${k} must be a string`);
  }
  const mode = p[PARAM.provisioningMode];
  if (mode === undefined) throw csiError("InvalidArgument", `Missing ${PARAM.provisioningMode} parameter`);
  if (mode !== ACCESS_POINT_MODE) {
    throw csiError("InvalidArgument", `Provisioning mode ${mode} is not supported. Only Access point provisioning: '${ACCESS_POINT_MODE}' is supported`);
  }
  const fsId = p[PARAM.fileSystemId];
  if (fsId === undefined) throw csiError("InvalidArgument", `Missing ${PARAM.fileSystemId} parameter`);
  if (fsId.trim() === "") throw csiError("InvalidArgument", `Parameter ${PARAM.fileSystemId} cannot be empty`);
  if (!FS_ID.test(fsId)) throw csiError("InvalidArgument", `parameter ${PARAM.fileSystemId}: ${JSON.stringify(fsId)} is not a file system ID (fs-[0-9a-f]{8,40})`);

  const perms = p[PARAM.directoryPerms] ?? "700";
  if (!/^[0-7]{3,4}$/.test(perms)) throw csiError("InvalidArgument", `parameter ${PARAM.directoryPerms}: ${JSON.stringify(perms)} is not an octal mode like "700"`);

  const basePath = pathComponents(p[PARAM.basePath] ?? "", `parameter ${PARAM.basePath}`);
  checkEfsComponents(basePath, `parameter ${PARAM.basePath}`);

  const out: ProvisionParams = {
    fileSystemId: fsId,
    directoryPerms: perms,
    gidRange: gidRange(p),
    basePath,
    ensureUniqueDirectory: p[PARAM.ensureUniqueDirectory] === undefined ? true : parseBool(p[PARAM.ensureUniqueDirectory], PARAM.ensureUniqueDirectory),
    reuseAccessPoint: p[PARAM.reuseAccessPoint] === undefined ? false : parseBool(p[PARAM.reuseAccessPoint], PARAM.reuseAccessPoint),
    deleteAccessPointRootDir:
      p[PARAM.deleteAccessPointRootDir] === undefined ? true : parseBool(p[PARAM.deleteAccessPointRootDir], PARAM.deleteAccessPointRootDir),
    enableTagging: p[PARAM.enableTagging] === undefined ? true : parseBool(p[PARAM.enableTagging], PARAM.enableTagging),
    pvName: optionalName(p, PARAM.pvName, DNS_SUBDOMAIN),
    pvcName: optionalName(p, PARAM.pvcName, DNS_SUBDOMAIN),
    pvcNamespace: optionalName(p, PARAM.pvcNamespace, DNS_LABEL),
  };
  if (p[PARAM.uid] !== undefined) out.uid = parseId(p[PARAM.uid], PARAM.uid, 0);
  if (p[PARAM.gid] !== undefined) out.gid = parseId(p[PARAM.gid], PARAM.gid, 0);
  if (p[PARAM.subPathPattern] !== undefined) out.subPathPattern = p[PARAM.subPathPattern];
  if (out.reuseAccessPoint && out.pvcName === undefined) {
    throw csiError("InvalidArgument", `${PARAM.reuseAccessPoint} needs ${PARAM.pvcName} (run the provisioner with --extra-create-metadata)`);
  }
  return out;
}
