/**
 * The EFS service's error vocabulary: one class per AWS error code, each with the HTTP status the
 * `@aws-sdk/client-efs` model gives it. On the wire an error is the status, the header
 * `x-amzn-ErrorType: <Code>` (the SDK takes the code from it) and `{"ErrorCode", "Message", …extra}`.
 * `extra` carries the members some errors add (FileSystemId, AccessPointId).
 */

export class EfsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }
}

type Extra = Record<string, string>;

function define(code: string, status: number) {
  return class extends EfsError {
    constructor(message: string, extra?: Extra) {
      super(code, status, message, extra);
    }
  };
}

// 400
export const BadRequest = define("BadRequest", 400);
export const ValidationException = define("ValidationException", 400);
export const InvalidPolicyException = define("InvalidPolicyException", 400);
export const ThroughputLimitExceeded = define("ThroughputLimitExceeded", 400);
export const SecurityGroupLimitExceeded = define("SecurityGroupLimitExceeded", 400);
export const UnsupportedAvailabilityZone = define("UnsupportedAvailabilityZone", 400);
/** An AWS operation this service recognises but does not implement. */
export const UnsupportedOperation = define("UnsupportedOperation", 400);
// 403
export const AccessPointLimitExceeded = define("AccessPointLimitExceeded", 403);
export const FileSystemLimitExceeded = define("FileSystemLimitExceeded", 403);
export const AccessDeniedException = define("AccessDeniedException", 403);
// Authentication failures, as AWS's common errors for SigV4 services.
export const MissingAuthenticationTokenException = define("MissingAuthenticationTokenException", 403);
export const IncompleteSignatureException = define("IncompleteSignatureException", 403);
export const InvalidSignatureException = define("InvalidSignatureException", 403);
export const UnrecognizedClientException = define("UnrecognizedClientException", 403);
// 404
export const FileSystemNotFound = define("FileSystemNotFound", 404);
export const AccessPointNotFound = define("AccessPointNotFound", 404);
export const MountTargetNotFound = define("MountTargetNotFound", 404);
export const PolicyNotFound = define("PolicyNotFound", 404);
/** A path that is neither an AWS operation nor one of ours. */
export const UnknownOperationException = define("UnknownOperationException", 404);
/** Cistern mount extension: the mount id is unknown (already released, or never made). */
export const MountNotFound = define("MountNotFound", 404);
// 409
export const FileSystemAlreadyExists = define("FileSystemAlreadyExists", 409);
export const AccessPointAlreadyExists = define("AccessPointAlreadyExists", 409);
export const FileSystemInUse = define("FileSystemInUse", 409);
export const IncorrectFileSystemLifeCycleState = define("IncorrectFileSystemLifeCycleState", 409);
export const MountTargetConflict = define("MountTargetConflict", 409);
export const IpAddressInUse = define("IpAddressInUse", 409);
/** Cistern mount extension: the directory to serve cannot be produced (missing root, symlink, not a directory). */
export const MountFailed = define("MountFailed", 409);
// 413 / 500
export const RequestEntityTooLarge = define("RequestEntityTooLarge", 413);
export const InternalServerError = define("InternalServerError", 500);

/** Normalises anything thrown below the HTTP edge into an EfsError; unknown throws become 500s. */
export function toEfsError(err: unknown): EfsError {
  if (err instanceof EfsError) return err;
  return new InternalServerError("An internal error occurred; the service log has the details.");
}
