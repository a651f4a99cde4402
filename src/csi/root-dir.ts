/**
 * The access point root directory of a dynamically provisioned volume:
 *   "/" + basePath + (subPathPattern interpolated [+ "-" + unique id] | the volume name)
 * subPathPattern may use only ${.PVC.name}, ${.PVC.namespace} and ${.PV.name}; anything that still
 * looks like a template afterwards is refused, and so is every "..", "." or empty component, a
 * component EFS would refuse, more than 100 characters, more than 4 levels, and the file system
 * root itself (deleting that volume's directory would delete the whole file system, #1695).
 *
 * The unique suffix is derived from the volume name instead of a random UUID (upstream): the
 * volume name (pvc-<claim uid>) is unique already, and a retried CreateVolume then asks for the
 * very same directory, so a retry after a lost reply adopts the first access point cleanly.
 */
import { createHash } from "node:crypto";
import { checkEfsComponents, pathComponents } from "./ids.js";
import { PARAM, type ProvisionParams } from "./params.js";
import { csiError } from "./spec.js";

export const MAX_ROOT_LENGTH = 100;
export const MAX_ROOT_LEVELS = 4;

const VARIABLES: Record<string, keyof ProvisionParams> = {
  ".PVC.name": "pvcName",
  ".PVC.namespace": "pvcNamespace",
  ".PV.name": "pvName",
};
const PARAM_OF: Record<string, string> = { pvcName: PARAM.pvcName, pvcNamespace: PARAM.pvcNamespace, pvName: PARAM.pvName };

/** A UUID-shaped id that is the same for the same volume name and different for different ones. */
export function stableUniqueId(volumeName: string): string {
  const h = createHash("sha256").update(`cistern/efs-ap-dir/${volumeName}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function interpolateSubPathPattern(pattern: string, params: ProvisionParams): string {
  const supported = Object.keys(VARIABLES).sort();
  const result = pattern.replace(/\$\{([^${}]*)\}/g, (whole, name: string) => {
    const field = VARIABLES[name];
    if (!field) return whole;
    const value = params[field];
    if (typeof value !== "string") {
      throw csiError(
        "InvalidArgument",
        `${PARAM.subPathPattern} uses \${${name}} but ${PARAM_OF[field]} was not passed (the external provisioner must run with --extra-create-metadata)`,
      );
    }
    return value;
  });
  if (result.includes("${") || result.includes("}")) {
    throw csiError("InvalidArgument", `Path specified "${pattern}" contains invalid elements. Can only contain [${supported.join(" ")}]`);
  }
  return result;
}

/** The root directory's components below the file system root, and the absolute path. */
export function accessPointRootDir(params: ProvisionParams, volumeName: string): { components: string[]; path: string } {
  let dirName = volumeName;
  if (params.subPathPattern !== undefined) {
    const interpolated = interpolateSubPathPattern(params.subPathPattern, params);
    dirName = params.ensureUniqueDirectory ? `${interpolated}-${stableUniqueId(volumeName)}` : interpolated;
  }
  const own = pathComponents(dirName, `${PARAM.subPathPattern} result`);
  checkEfsComponents(own, `${PARAM.subPathPattern} result`);
  const components = [...params.basePath, ...own];
  const path = "/" + components.join("/");
  if (components.length === 0) {
    throw csiError("InvalidArgument", `the access point root directory would be the file system root; set ${PARAM.basePath} or ${PARAM.subPathPattern} so each volume gets its own directory`);
  }
  if (path.length > MAX_ROOT_LENGTH) throw csiError("InvalidArgument", `Proposed path '${path}' exceeds EFS limit of ${MAX_ROOT_LENGTH} characters`);
  if (components.length > MAX_ROOT_LEVELS) throw csiError("InvalidArgument", `Proposed path '${path}' exceeds EFS limit of ${MAX_ROOT_LEVELS} subdirectories`);
  return { components, path };
}
