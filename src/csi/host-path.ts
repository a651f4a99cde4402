/**
 * Defence in depth for the HostPath the EFS service answers with: it must lie beneath the
 * configured EFS data root (`<efs dataDir>/fs`), and it is opened from that root one component at
 * a time without following symlinks. Whatever is mounted, walked or deleted afterwards is that
 * opened directory, never the string re-resolved, so neither a confused service nor a symlink
 * planted inside a file system can point the driver elsewhere on the host.
 */
import { realpathSync } from "node:fs";
import { isAbsolute, normalize, relative, sep } from "node:path";
import { isSafePathError, openBeneath, type BeneathHandle } from "../lib/safe-path/index.js";
import { csiError } from "./spec.js";

function relativeBeneath(root: string, p: string): string | undefined {
  const rel = relative(root, p);
  if (rel === "") return "";
  if (rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

/** The HostPath relative to the data root, or throw FailedPrecondition. */
export function hostPathBeneath(dataRoot: string, hostPath: string): string {
  // eslint-disable-next-line no-control-regex
  if (typeof hostPath !== "string" || !isAbsolute(hostPath) || /[\u0000-\u001f]/.test(hostPath) || normalize(hostPath) !== hostPath.replace(/\/+$/, "")) {
    throw csiError("Internal", `EFS answered with an unusable HostPath ${JSON.stringify(hostPath)}`);
  }
  let rel = relativeBeneath(dataRoot, hostPath);
  if (rel === undefined) {
    // The service may spell the root through a symlink the configuration resolved, or the other way round.
    try {
      rel = relativeBeneath(realpathSync(dataRoot), hostPath);
    } catch {
      rel = undefined;
    }
  }
  if (rel === undefined || rel === "") {
    throw csiError("FailedPrecondition", `EFS HostPath ${JSON.stringify(hostPath)} is not inside the configured EFS data root ${JSON.stringify(dataRoot)}; refusing to use it`);
  }
  return rel;
}

/**
 * Open the HostPath's directory (O_PATH, no symlink anywhere below the data root). The caller
 * closes the handle. A path that is not a plain directory is FailedPrecondition.
 */
export function openHostPath(dataRoot: string, hostPath: string): BeneathHandle {
  const rel = hostPathBeneath(dataRoot, hostPath);
  try {
    return openBeneath(dataRoot, rel, { directory: true, pathOnly: true });
  } catch (e) {
    if (isSafePathError(e)) throw csiError("FailedPrecondition", `EFS HostPath ${JSON.stringify(hostPath)} cannot be opened safely: ${e.message}`);
    throw e;
  }
}
