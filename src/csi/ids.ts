/**
 * Identifier and path-component rules shared by the handle, parameter and option parsers. Patterns
 * are strict (fixed alphabets, anchored) because these values end up in EFS API calls, paths and,
 * with efs-utils, in mount(8) option strings: nothing may carry a separator through.
 */
import { isSafePathError, validateRelativePath } from "../lib/safe-path/index.js";
import { csiError } from "./spec.js";

export const DRIVER_NAME = "efs.csi.aws.com";

export const FS_ID = /^fs-[0-9a-f]{8,40}$/;
export const AP_ID = /^fsap-[0-9a-f]{8,40}$/;
/** An IAM role/user or STS assumed-role ARN (what EFS evaluates a file system policy against). */
export const PRINCIPAL_ARN = /^arn:aws[-a-z]*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/-]{1,512}$/;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Characters the EFS API refuses in access point root directory components (CreateAccessPoint's pattern). */
const EFS_FORBIDDEN = /[$#<>;`|&?{}^*\n]/;

/**
 * Split a user path ("/a/b", "a/b/", "" or "/") into plain components: no ".", "..", empty
 * components, NUL or control characters. `what` names the field in the error.
 */
export function pathComponents(p: string, what: string): string[] {
  if (typeof p !== "string") throw csiError("InvalidArgument", `${what} must be a string`);
  if (CONTROL.test(p)) throw csiError("InvalidArgument", `${what} ${JSON.stringify(p)} contains control characters`);
  const trimmed = p.replace(/^\/+/, "").replace(/\/+$/, "");
  try {
    return validateRelativePath(trimmed);
  } catch (e) {
    if (isSafePathError(e)) throw csiError("InvalidArgument", `${what} ${JSON.stringify(p)} is not a plain path: ${e.message}`);
    throw e;
  }
}

/** Components that EFS would accept in an access point root directory (no leading dot, no shell metacharacters). */
export function checkEfsComponents(comps: string[], what: string): void {
  for (const c of comps) {
    if (c.startsWith(".")) throw csiError("InvalidArgument", `${what}: component ${JSON.stringify(c)} must not start with "."`);
    if (EFS_FORBIDDEN.test(c)) throw csiError("InvalidArgument", `${what}: component ${JSON.stringify(c)} contains a character EFS does not allow ($#<>;\`|&?{}^*)`);
  }
}
