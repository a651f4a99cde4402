/**
 * The one error type of the safe-path layer. `code` is a closed vocabulary so callers can map it to their own
 * boundary (a Kubernetes CreateContainerConfigError, an EFS BadRequest, a CSI InvalidArgument) without parsing text.
 */

export type SafePathErrorCode =
  | "InvalidPath" // failed the pattern check (absolute, "..", empty component, NUL, too long)
  | "SymlinkRefused" // a component is a symbolic link
  | "NotFound" // a component does not exist
  | "NotDirectory" // an intermediate component is not a directory
  | "WrongType" // the final component is not of the requested type (or is a device, fifo or socket)
  | "Escape" // the opened object does not lie beneath the root (it was moved out during the walk)
  | "MountCrossing" // a destructive operation would cross into another mount
  | "IsRoot" // the operation would act on the root itself and the caller did not allow it
  | "TooDeep" // a tree is deeper than the walker's limit
  | "MountFailed" // mount(8)/umount(8) failed
  | "VerifyFailed"; // the mounted target is not the object that was opened

export class SafePathError extends Error {
  readonly code: SafePathErrorCode;
  /** The relative (or target) path the caller asked about, for messages; never used to touch the disk. */
  readonly path: string;

  constructor(code: SafePathErrorCode, path: string, message: string) {
    super(message);
    this.name = "SafePathError";
    this.code = code;
    this.path = path;
  }
}

export function isSafePathError(e: unknown, code?: SafePathErrorCode): e is SafePathError {
  return e instanceof SafePathError && (code === undefined || e.code === code);
}

/** Node's fs errors carry `code` ("ENOENT", "ELOOP"...). */
export function errnoCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : undefined;
}
