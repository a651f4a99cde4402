/**
 * Pattern check for user-influenced relative paths (subPath, volume handles' sub-directories, access-point roots,
 * tar entry names). It is the first gate only: the walk in open-beneath.ts is what guarantees containment.
 */
import { SafePathError } from "./errors.js";

/** Linux limits: a component is at most NAME_MAX bytes, a whole path at most PATH_MAX. */
export const NAME_MAX = 255;
export const PATH_MAX = 4096;

/**
 * Split a relative path into its components, refusing anything that is not a plain descending path:
 * NUL bytes, a leading "/", empty components ("a//b", trailing "/"), "." and ".." components, over-long names.
 * The empty string is allowed and means the root itself (returns []).
 */
export function validateRelativePath(p: string): string[] {
  if (typeof p !== "string") throw new SafePathError("InvalidPath", String(p), "path must be a string");
  if (p === "") return [];
  if (p.includes("\0")) throw new SafePathError("InvalidPath", p, "path contains a NUL byte");
  if (Buffer.byteLength(p) > PATH_MAX) throw new SafePathError("InvalidPath", p, `path is longer than ${PATH_MAX} bytes`);
  if (p.startsWith("/")) throw new SafePathError("InvalidPath", p, `path ${JSON.stringify(p)} must be relative`);
  const parts = p.split("/");
  for (const part of parts) {
    if (part === "") throw new SafePathError("InvalidPath", p, `path ${JSON.stringify(p)} has an empty component`);
    if (part === "..") throw new SafePathError("InvalidPath", p, `path ${JSON.stringify(p)} must not contain ".."`);
    if (part === ".") throw new SafePathError("InvalidPath", p, `path ${JSON.stringify(p)} must not contain "."`);
    if (Buffer.byteLength(part) > NAME_MAX) {
      throw new SafePathError("InvalidPath", p, `path component longer than ${NAME_MAX} bytes`);
    }
  }
  return parts;
}

/** Same check for a single directory-entry name (no "/" allowed). */
export function validateName(name: string): string {
  const parts = validateRelativePath(name);
  if (parts.length !== 1) throw new SafePathError("InvalidPath", name, `${JSON.stringify(name)} is not a single name`);
  return parts[0];
}
